"""A space's files live in space_folder(data_dir, name, MODEL STRING, identity) (space.py:33-37).
Space.folder uses the model as spelled in this run's settings (space.py:61), _settle_spaces
keeps only the folders named after the model as spelled when the space was registered
(engine.py:490-495). The identity is the resolved path, so two spellings of one model folder
are one space but two folders, and load_settings itself respells it: with no --image-model,
the model is the resolved path from the catalog (settings.py:216, 257). Index once with a
model given through a symlink (models/current -> clip-v2) or as "." and every later run
finds no checkpoint in "its" folder: a "lost or damaged checkpoint" warning, every file
embedded again; the next run's _settle_spaces (engine.py:190) deletes that folder again
before the store loads, and so on: the whole library is re-embedded at every start."""

import os
import shutil

from _common import CLIP, photos, quiet, tmpdir

quiet()
os.environ.pop("FRAMEFIND_IMAGE_MODEL", None)
from indexer import build_engine, load_settings

models = tmpdir("models")
shutil.copytree(CLIP, models / "clip-v2")
os.symlink(models / "clip-v2", models / "current")
media = tmpdir("media")
photos(media, range(10))
data = tmpdir("data")
common = dict(data_dir=data, audio_model="none", device="cpu", reranker="none")
for run, model in enumerate([str(models / "current"), None, None], 1):
    s = load_settings(image_model=model, **common)
    with build_engine(s) as engine:
        report = engine.index([media])
        print(
            f"run {run}: image model {s.spaces[0].model!r}\n   {report.summary()}"
            f"\n   folders: {sorted(p.name for p in (data / 'spaces').iterdir())}"
        )
