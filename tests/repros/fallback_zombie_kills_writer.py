"""At the end of a model switch the writer destroys the old space and pops it from
Engine._fallbacks (engine.py:486-488). A search whose catalog snapshot began before that
commit and whose searchable_spaces() runs after the pop (engine.py:580-581: the search thread
descheduled between the two lines) re-creates the old space through _space_for
(engine.py:497-510) from its older snapshot and loads its store: a zombie in _fallbacks that
no catalog row backs. From then on every write's _caught_up() (engine.py:263, 366, 371)
raises SpaceGone from the zombie (space.py:153-155), which _writing does not catch: the
watcher / the app's indexer stops until the app restarts.
The interleaving is forced here with two events; the code run is the engine's own."""

import shutil
import threading

from _common import CLIP, photos, quiet, settings, tmpdir

quiet()
from indexer import build_engine
from indexer.ingest.control import Control

media = tmpdir("media")
photos(media, range(4))
data = tmpdir("data")
with build_engine(settings(data, audio=None)) as engine:  # model A
    engine.index([media])
clip_b = tmpdir("clip-b") / "clip-b"
shutil.copytree(CLIP, clip_b)
sb = settings(data, image=clip_b, audio=None)
control = Control()
with build_engine(sb) as engine:  # switch to model B, stopped after one file: B building, A searched
    engine.index([media], on_progress=lambda e: control.stop(), control=control)

engine = build_engine(sb)
snapshot_open, switch_done, views = threading.Event(), threading.Event(), []


def search_thread():
    with engine.catalog.reading():  # Engine.search, engine.py:580
        engine.catalog.spaces.all()  # (its snapshot starts at the first read)
        snapshot_open.set()
        switch_done.wait()  # descheduled here…
        views.extend((s.identity, s.snapshot()) for s in engine.searchable_spaces())  # engine.py:581


t = threading.Thread(target=search_thread)
t.start()
snapshot_open.wait()
engine.index([media])  # finishes B, activates it, destroys A
print("after the switch, catalog spaces:", [r.model.rsplit("/", 1)[-1] for r in engine.catalog.spaces.all()])
switch_done.set()
t.join()
print("the search's views:", [i.rsplit("/", 1)[-1][:30] for i, _ in views])
print("engine._fallbacks now holds:", [k.rsplit("/", 1)[-1][:30] for k in engine.registry._fallbacks])
new = photos(media, [9])[0]
try:
    print("next watcher update:", engine.update([new]).summary())
except Exception as exc:
    print(f"next watcher update raised {type(exc).__name__}: {exc}")
try:
    print("and the one after:", engine.update([new]).summary())
except Exception as exc:
    print(f"and the one after raised {type(exc).__name__}: {exc}")
engine.close()
