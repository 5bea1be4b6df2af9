"""Speech recognition with faster-whisper: Whisper on CTranslate2, int8 on a CPU, float16 on a
GPU (tests/bench/speech_rtf.py measured it 1.5× faster than Whisper in transformers on two
cores), with the Silero voice detector that ships inside its package, so music and silence
cost a few milliseconds instead of a decoder pass.

The recogniser writes words with their times; lines are made from them by the speech stage
(indexer/ingest/speech.py). Every call runs on the engine's model thread, queries first.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from indexer.errors import FramefindError
from indexer.models.hub import hub_reachable, without_telemetry
from indexer.models.loading import _is_path, load_reason, model_digest, resolve_device
from indexer.models.model_thread import TorchThread

log = logging.getLogger(__name__)

RATE = 16_000
# Whisper base (74 M parameters) transcribes 15× faster than real time on two CPU cores with
# int8; large-v3-turbo is the accurate one where a GPU makes it cheap.
CPU_MODEL, GPU_MODEL = "base", "large-v3-turbo"
WINDOW_S = 30.0  # Whisper hears 30 seconds at a time, padded: a call packs up to that much speech
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Word:
    start: float  # seconds into the audio given
    end: float
    text: str  # with its leading space, as Whisper writes it


@dataclass(frozen=True)
class Heard:
    language: str | None
    words: list[Word]


def default_speech_model(device: str) -> str:
    return GPU_MODEL if device.startswith("cuda") else CPU_MODEL


class Recogniser:
    """A Whisper model by size ("base"), hub id or folder (a CTranslate2 conversion); "auto"
    picks by device. Loaded on first use."""

    def __init__(self, model: str, device: str, models: TorchThread | None = None, threads: int = 0) -> None:
        self._choice = model
        self._preference = device
        self._models = models
        self._threads = threads
        self._model: Any = None

    @functools.cached_property
    def _device(self) -> str:
        return "cuda" if resolve_device(self._preference).startswith("cuda") else "cpu"

    @functools.cached_property
    def model_name(self) -> str:
        return default_speech_model(self._device) if self._choice == "auto" else self._choice

    @functools.cached_property
    def identity(self) -> str:
        """What the transcripts were made with: a folder by its content (a new conversion in
        the same place transcribes again; a moved or linked folder does not), a size or hub
        id by its name."""
        if _is_path(self.model_name):
            return f"folder@{model_digest(self.model_name)}"
        return self.model_name

    def voice(self, samples: np.ndarray) -> list[tuple[float, float]]:
        """Where someone speaks in 16 kHz mono `samples`, in seconds: stretches of at most 25
        seconds, split at the shortest pauses when longer (a Whisper window holds one)."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        options = VadOptions(min_silence_duration_ms=500, speech_pad_ms=200, max_speech_duration_s=25)
        found = self._on_model_thread(lambda: get_speech_timestamps(samples, options, sampling_rate=RATE))
        return [(r["start"] / RATE, r["end"] / RATE) for r in found]

    def recognise(self, samples: np.ndarray, language: str | None = None) -> Heard:
        """The words in at most WINDOW_S seconds of speech, and its language (detected when
        not given)."""

        def run() -> Heard:
            model = self._load()
            segments, info = model.transcribe(
                samples,
                language=language,
                beam_size=1 if self._device == "cpu" else 5,
                temperature=(0.0, 0.4),  # one retry when greedy decoding loops
                condition_on_previous_text=False,
                without_timestamps=True,
                word_timestamps=True,
                vad_filter=False,  # done before: only speech comes here
            )
            words = [Word(w.start, w.end, w.word) for s in segments for w in (s.words or [])]
            return Heard(info.language, words)

        return self._on_model_thread(run)

    def _on_model_thread(self, work: Callable[[], T]) -> T:
        return work() if self._models is None else self._models.run(work)

    def _load(self) -> Any:
        if self._model is None:
            from faster_whisper import WhisperModel

            without_telemetry()
            compute = "int8" if self._device == "cpu" else "float16"

            def load(local_only: bool) -> Any:
                return WhisperModel(
                    self.model_name,
                    device=self._device,
                    compute_type=compute,
                    cpu_threads=self._threads,
                    local_files_only=local_only,
                )

            log.info("loading speech model %s (%s, %s)", self.model_name, self._device, compute)
            try:
                try:
                    self._model = load(True)
                except Exception:
                    if _is_path(self.model_name) or not hub_reachable():
                        raise
                    self._model = load(False)
            except Exception as exc:
                raise FramefindError(
                    f"Cannot load the speech model {self.model_name!r}: {load_reason(exc, self.model_name)}. "
                    "Choose another with --speech-model (a Whisper size such as base, a hub id or a "
                    "folder), or turn speech off with --speech-model none."
                ) from exc
        return self._model
