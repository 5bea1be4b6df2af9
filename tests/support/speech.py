"""Real speech for the tests, spoken by espeak-ng (Debian's `espeak-ng`, installed by
`packaging/system-deps.sh test`), at 16 kHz mono, and recognised by PocketSphinx (its model
ships inside its wheel) listening for the words of ENGLISH, said in any order."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.models.speech import Heard, Recogniser, Word

RATE = 16_000

ENGLISH = (  # noqa: SIM905 - a sentence is easier to read than a list
    "we need more time for the camera demo before the launch next week let's ship it "
    "budget report revenue fell grew this quarter team plan decision yes no thank you everyone "
    "please start recording meeting today tomorrow new phone battery lasts two days price is too "
    "high green garden coffee morning evening question answer music stop go now good"
).split()


@dataclass(frozen=True)
class Said:
    """One sentence as spoken into a recording: where it starts and ends, in seconds."""

    text: str
    start: float
    end: float
    lang: str = "en"
    voice: str = "en"
    words_per_minute: int = 160

    def word_time(self, word: str) -> float:
        """About when `word` of the sentence begins: after the words before it, said alone."""
        before = self.text.split()[: self.text.split().index(word)]
        if not before:
            return self.start
        return self.start + len(speak(" ".join(before), self.voice, self.words_per_minute)) / RATE


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str = "en", words_per_minute: int = 160) -> np.ndarray:
    """`text` spoken by espeak-ng, as float32 samples at 16 kHz, silence at the ends trimmed."""
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(words_per_minute), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    samples = pcm.astype(np.float32) / 32768.0
    if rate != RATE:  # espeak-ng speaks at 22,050 Hz
        positions = np.arange(0, len(samples) * RATE / rate) * rate / RATE
        samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples


def recording(
    sentences: list[tuple[str, float]],
    seconds: float,
    voice: str = "en",
    words_per_minute: int = 160,
    lang: str = "en",
    background: np.ndarray | None = None,
) -> tuple[np.ndarray, list[Said]]:
    """A recording `seconds` long with each (text, start) sentence spoken at its start, over
    quiet (or `background`); the samples and where each sentence really lies."""
    out = np.zeros(int(seconds * RATE), dtype=np.float32)
    if background is not None:
        out[: len(background)] += background[: len(out)]
    said = []
    for text, start in sentences:
        voice_samples = speak(text, voice, words_per_minute)
        at = int(start * RATE)
        piece = voice_samples[: max(0, len(out) - at)]
        out[at : at + len(piece)] += piece
        said.append(Said(text, start, start + len(piece) / RATE, lang, voice, words_per_minute))
    return np.clip(out, -1, 1), said


class SphinxRecogniser(Recogniser):
    """The tests' recogniser: CMU PocketSphinx's US English model, which ships inside its
    wheel (offline), listening for the words of ENGLISH (a grammar of any sequence of them,
    as the tests' sentences are), with word times. It stands in for Whisper behind the same
    interface, Silero's voice detection included; the language is English. What it shows
    is that the stage, the times and the search work, not how well Whisper recognises."""

    def __init__(self, model: str, device: str, models=None, threads: int = 0) -> None:
        super().__init__(model, device, models, threads)
        self._grammar: Path | None = None

    @property
    def identity(self) -> str:  # type: ignore[override]
        return f"pocketsphinx-en-us ({self._choice})"

    def recognise(self, samples: np.ndarray, language: str | None = None) -> Heard:
        from pocketsphinx import Decoder

        def run() -> Heard:
            if self._grammar is None:
                self._grammar = Path(tempfile.mkdtemp(prefix="sphinx-")) / "words.gram"
                words = " | ".join(sorted(set(ENGLISH)))
                self._grammar.write_text(f"#JSGF V1.0;\ngrammar words;\npublic <said> = ( {words} )+ ;\n")
            # A decoder per call: each window is heard alone, as Whisper hears it (a decoder
            # keeps adapting to the voices it heard before, and the times move by a frame).
            decoder = Decoder(samprate=RATE, jsgf=str(self._grammar), loglevel="FATAL")
            pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes()
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            said = [s for s in decoder.seg() or () if not s.word.startswith(("<", "["))]
            words = [
                Word(s.start_frame / 100, (s.end_frame + 1) / 100, " " + s.word.split("(")[0]) for s in said
            ]
            return Heard("en", words)

        return self._on_model_thread(run)
