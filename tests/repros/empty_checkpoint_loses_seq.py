"""FaissStore.__init__ keeps `snapshot or Snapshot.empty(dim)` (store.py:356); a Snapshot has
__len__, so a snapshot holding no vectors is falsy and is replaced by a fresh one at seq 0.
FaissStore.load of a checkpoint that holds no vectors (a space whose files were all removed)
therefore says seq 0, Space._load sees it as older than the catalog's checkpoint_seq, and
every open of that data folder (each `framefind` command, each reader process) logs
"a lost or damaged checkpoint", reads the file three times and compares id by id.
FaissStores.empty(folder, dim, seq) loses its seq the same way."""

from _common import RATE, photos, quiet, settings, tmpdir

quiet()
from indexer import build_engine
from indexer.vectors.faiss_store import FaissStore, Snapshot
from indexer.vectors.stores import FaissStores
from tests.support.media import sound, write_audio

print("FaissStore(8, Snapshot.empty(8, seq=42)).seq =", FaissStore(8, Snapshot.empty(8, 42)).seq)
print("FaissStores().empty(folder, 8, seq=42).seq  =", FaissStores().empty(tmpdir("x"), 8, 42).seq)

media = tmpdir("media")
photos(media / "photos", [1, 2])
rec = write_audio(media / "sounds" / "tone.flac", sound([("sine", 440.0, 6.0)], RATE), RATE)
data = tmpdir("data")
with build_engine(
    settings(data, checkpoint_every_s=0)
) as engine:  # 0: save at every write (as the app does after 120 s)
    engine.index([media])
    engine.remove([media / "sounds"])  # the user drops their only audio folder
    rec_ = engine.catalog.spaces.get(engine.spaces[1].identity)
    print(
        "audio space after removal: checkpoint_seq",
        rec_.checkpoint_seq,
        "| files:",
        sorted(p.name for p in engine.spaces[1].folder.iterdir()),
    )
for run in (1, 2):
    with build_engine(settings(data), writer=False) as reader:  # e.g. `framefind search --here`
        print(
            f"reader process {run}: audio store seq {reader.spaces[1].store.seq} "
            f"(catalog checkpoint_seq {reader.catalog.spaces.get(reader.spaces[1].identity).checkpoint_seq})"
        )
