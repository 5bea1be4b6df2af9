"""A FAISS checkpoint can be newer than the catalog: the catalog runs WAL with
synchronous=NORMAL (catalog.py:227; commits since the last WAL sync roll back on power loss)
while store.save fsyncs index-<seq>.faiss (store.py:448-450); a backup that copies the data
folder while the app runs (catalog.sqlite3 without its -wal, newer .faiss) gives the same.
Space._load only checks store.seq >= checkpoint_seq (space.py:166), never store.seq <=
the catalog's last seq. After such a rollback the catalog hands out the same segment ids and
log seq numbers again (AUTOINCREMENT rolled back too); FaissStore.apply ignores every change
whose seq <= the file's (store.py:386), so the store keeps the lost files' vectors under the
new files' ids: wrong results, while discrepancies() (id by id) sees nothing wrong.
Simulated by restoring a copy of catalog.sqlite3 taken before the last batch."""

import shutil

import numpy as np
from _common import photos, quiet, settings, tmpdir

quiet()
from indexer import Query, build_engine

media = tmpdir("media")
data = tmpdir("data")
s = settings(data, audio=None, checkpoint_every_s=0)
photos(media / "a", range(0, 6))
with build_engine(s) as engine:
    engine.index([media])
shutil.copy(data / "catalog.sqlite3", data.parent / (data.name + "-catalog-backup"))  # what survives

batch_b = photos(media / "b", range(20, 26))  # indexed, checkpointed (fsynced), then the power fails
with build_engine(s) as engine:
    engine.index([media])
    print(
        "before the crash: last_seq",
        engine.catalog.log.last_seq(),
        "| checkpoint files",
        [p.name for p in engine.spaces[0].folder.iterdir()],
    )
shutil.copy(data.parent / (data.name + "-catalog-backup"), data / "catalog.sqlite3")  # the WAL tail is lost
shutil.rmtree(media / "b")  # (those photos are gone too, or elsewhere)

batch_c = photos(media / "c", range(40, 46))  # the user carries on
with build_engine(s) as engine:
    report = engine.index([media])
    print(
        "after restart:",
        report.summary(),
        "| last_seq",
        engine.catalog.log.last_seq(),
        "| store seq",
        engine.spaces[0].store.seq,
    )
    print("discrepancies (id by id):", {k: (len(m), len(x)) for k, (m, x) in engine.discrepancies().items()})
    right = 0
    for photo in batch_c:
        top = engine.search(Query(examples=(photo,), calibrate=False, limit=1, show_all=True)).results[0]
        right += top.path == photo
        seg = engine.catalog.segments.of_file(engine.catalog.files.get(photo).id)[0][0]
        print(
            f"  {photo.name}: top result {top.path.relative_to(media)} cos {top.cosine:.3f}; segment id {seg}"
        )
    snap = engine.spaces[0].store.snapshot
    ids = [engine.catalog.segments.of_file(engine.catalog.files.get(p).id)[0][0] for p in batch_c]
    from PIL import Image

    own = engine.spaces[0].embedder.encode_segments(
        [
            __import__("indexer.media.segment", fromlist=["MediaSegment"]).MediaSegment(
                "image", Image.open(p).convert("RGB")
            )
            for p in batch_c
        ]
    )
    stored = snap.vectors(np.asarray(ids))
    print(
        f"{right}/{len(batch_c)} new photos find themselves; cosine of stored vs own vector per photo:",
        np.round((stored * own).sum(1), 3).tolist(),
    )
