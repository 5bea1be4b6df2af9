"""The content fingerprint hashes the size and three 64 KiB samples (fingerprint.py:11-23). A
file edited in place without changing its size, outside those samples (an audio editor
replacing a few seconds of a WAV, a retouched BMP/TIFF), gets the same fingerprint: make_plan
calls it "touched" (plan.py:138-140), only its stat data is updated, and the index keeps the
vectors of what the file no longer holds."""

import numpy as np
from _common import RATE, quiet, settings, tmpdir

quiet()
from indexer import Query, build_engine
from indexer.ingest.fingerprint import fingerprint
from tests.support.media import write_audio
from tests.support.synthetic import make_sound

rng = np.random.default_rng(0)
media = tmpdir("media")
low = np.concatenate([make_sound("low", 10.0, RATE, rng) for _ in range(6)])  # 60 s of a low tone
wav = write_audio(media / "interview.wav", low, RATE)
before = fingerprint(wav)
with build_engine(settings(tmpdir("data"), image=None)) as engine:
    engine.index([media])
    q = Query(text="white noise", calibrate=False, show_all=True, per_file=10)
    print(
        "before the edit: moments found for 'white noise':",
        [
            (round(m.start), round(m.end), round(m.cosine, 2))
            for r in engine.search(q).results
            for m in (r, *r.moments)
        ],
    )
    edited = low.copy()
    edited[12 * RATE : 22 * RATE] = make_sound("noise", 10.0, RATE, rng)  # 12-22 s replaced, same length
    write_audio(wav, edited, RATE)
    print("size unchanged:", wav.stat().st_size, "| fingerprint unchanged:", fingerprint(wav) == before)
    print("index after the edit:", engine.index([media]).summary())
    print(
        "after the edit: moments found for 'white noise':",
        [
            (round(m.start), round(m.end), round(m.cosine, 2))
            for r in engine.search(q).results
            for m in (r, *r.moments)
        ],
    )
with build_engine(settings(tmpdir("data2"), image=None)) as fresh:
    fresh.index([media])
    print(
        "a fresh index of the edited file finds:",
        [
            (round(m.start), round(m.end), round(m.cosine, 2))
            for r in fresh.search(q).results
            for m in (r, *r.moments)
        ],
    )
