"""Catalog.set_checkpoint drops the trigger's removal rows (space_id NULL) only up to
MIN(checkpoint_seq) over ALL spaces (catalog.py:602-605). A registered space whose store
never changes never checkpoints (Space.checkpoint needs delta rows or hidden ids,
space.py:187), so its checkpoint_seq stays where it was registered: the audio space of a
photos-only library (both spaces are registered by the first run), or a space turned off
with `audio_model: none` (its row stays). Every segment ever deleted (each re-indexed or
removed file) then stays in vector_log forever, and every open of that space replays them."""

import os

from _common import photos, quiet, settings, tmpdir

quiet()
from indexer import build_engine

media = tmpdir("media")
files = photos(media, range(20))
data = tmpdir("data")
s = settings(data, checkpoint_every_s=0)  # a checkpoint at every write: the best case


def null_rows(engine):
    return engine.catalog.db.rows("SELECT COUNT(*) FROM vector_log WHERE space_id IS NULL")[0][0]


with build_engine(s) as engine:
    engine.index([media])
    for rnd in range(1, 4):
        for i, f in enumerate(files):  # the user edits every photo (a new crop, a rating in the file…)
            from tests.support.media import write_photo

            write_photo(f, 100 * rnd + i)
        engine.index([media])
        spaces = {r.name: r.checkpoint_seq for r in engine.catalog.spaces.all()}
        print(
            f"after edit round {rnd}: last_seq {engine.catalog.log.last_seq()}, checkpoint_seq {spaces}, "
            f"vector_log rows {engine.catalog.log.size()} (removals, space NULL: {null_rows(engine)})"
        )

# turning the audio space off does not help either: its row (and checkpoint_seq) stays
with build_engine(settings(data, audio=None, checkpoint_every_s=0)) as engine:
    for f in files[:5]:
        os.unlink(f)
    engine.index([media])
    print(
        f"audio_model none, 5 photos deleted: spaces in catalog {[r.name for r in engine.catalog.spaces.all()]}, "
        f"vector_log rows {engine.catalog.log.size()} (NULL: {null_rows(engine)})"
    )
