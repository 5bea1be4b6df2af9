"""A space's identity is the model's resolved path (or hub id) and revision (settings.py:63-68):
nothing about its content. A local model folder that is updated in place (fine-tuned again,
re-exported, a newer snapshot copied over it) keeps its identity, so the index keeps the old
model's vectors and queries are embedded by the new one: "Nothing to do", and wrong results.
With another dimension, searches and indexing fail with errors about shapes (the
catalog's dim is compared with the file's, store.py:376, never with the model's)."""

import shutil

from _common import CLIP, photos, quiet, settings, tmpdir

quiet()
from indexer import Query, build_engine
from tests.support.models import build_tiny_clip

model = tmpdir("model") / "my-clip"
shutil.copytree(CLIP, model)
media = tmpdir("media")
files = photos(media, range(12))
data = tmpdir("data")
s = settings(data, image=model, audio=None)


def hits(engine):
    return sum(
        engine.search(Query(examples=(f,), calibrate=False, limit=1)).results[0].path == f for f in files
    )


with build_engine(s) as engine:
    engine.index([media])
    print("indexed with the first model: each photo finds itself:", hits(engine), "/", len(files))
shutil.rmtree(model)
build_tiny_clip(model, seed=3, width=64, dim=32)  # the same folder, another model of the same size
with build_engine(s) as engine:
    print("after replacing the folder's model:", engine.index([media]).summary())
    print(
        "  each photo finds itself:",
        hits(engine),
        "/",
        len(files),
        "(the query side uses the new model, the index the old one)",
    )
shutil.rmtree(model)
build_tiny_clip(model, seed=3, width=32, dim=16)  # another dimension
with build_engine(s) as engine:
    print("with another dimension:", engine.index([media]).summary())
    try:
        engine.search(Query(text="a red circle"))
        print("  search: no error")
    except Exception as exc:
        print(f"  search raises {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:160]!r}")
    photos(media, [77])
    try:
        print("  a new photo:", engine.index([media]).summary())
    except Exception as exc:
        print(
            f"  indexing a new photo raises {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:160]!r}"
        )
