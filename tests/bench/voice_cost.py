"""What the speech stage spends before any recogniser runs, per minute of audio: reading a
piece (decode and resample to 16 kHz mono) and voice detection (Silero, as the stage runs it),
and how much of the audio is passed on to the recogniser, for silence, music, and a talk
(espeak-ng sentences with pauses between them). Prints JSON.

    .venv/bin/python -m tests.bench.voice_cost [--minutes 10]

Recognition itself is measured by tests.bench.speech_rtf (its cost per second of speech).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from indexer.ingest.speech import PIECE_S, plan_cut, read_piece
from indexer.models.speech import Recogniser
from tests.support.media import sound, write_audio
from tests.support.speech import ENGLISH, RATE, recording


def _talk(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(0)
    sentences = [(" ".join(rng.choice(ENGLISH, 8)), t) for t in np.arange(1.0, seconds - 6, 6.0)]
    return recording(sentences, seconds, voice="en")[0]


def _music(seconds: float) -> np.ndarray:
    parts = [("chirp", 440, 5.0), ("sine", 660, 5.0), ("chirp", 220, 5.0), ("sine", 330, 5.0)]
    one = sound(parts, RATE)
    return np.tile(one, int(seconds // 20) + 1)[: int(seconds * RATE)] * 0.5


def measure(path: Path, recogniser: Recogniser) -> dict[str, float]:
    read_s = voice_s = heard = taken_s = 0.0
    start, last = 0.0, False
    while not last:
        began = time.perf_counter()
        piece = read_piece(path, start)
        read_s += time.perf_counter() - began
        began = time.perf_counter()
        voice = recogniser.voice(piece.samples)
        voice_s += time.perf_counter() - began
        taken, cut = plan_cut(voice, piece.seconds, piece.last)
        taken_s += sum(b - a for a, b in taken)
        heard += cut
        last = piece.last and cut >= piece.seconds
        start += max(cut, 1.0)
    minutes = heard / 60
    return {
        "read_ms_per_min": round(1000 * read_s / minutes, 1),
        "voice_ms_per_min": round(1000 * voice_s / minutes, 1),
        "share_to_recogniser": round(taken_s / heard, 3),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args(argv)
    seconds = args.minutes * 60
    recogniser = Recogniser("unused", "cpu")  # voice detection only: no Whisper is loaded
    results = {"piece_s": PIECE_S}
    with tempfile.TemporaryDirectory() as tmp:
        for name, samples in (
            ("silence", np.zeros(int(seconds * RATE), np.float32)),
            ("music", _music(seconds)),
            ("talk", _talk(seconds)),
        ):
            path = Path(tmp) / f"{name}.m4a"
            write_audio(path, samples, RATE)
            results[name] = measure(path, recogniser)
            print(name, json.dumps(results[name]), flush=True)
    return results


if __name__ == "__main__":
    main()
