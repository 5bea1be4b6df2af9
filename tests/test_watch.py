"""The watcher: settle logic with a fake clock, and a real watcher following real changes."""

from __future__ import annotations

import errno
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from indexer import Query, build_engine
from indexer.engine import watcher_state
from indexer.ingest.control import Control
from indexer.ingest.watch import Watcher, filesystem_type
from tests.engine.test_index_search import assert_consistent
from tests.support.media import write_photo


class _Engine:
    """Enough of an engine for the settle logic."""

    def __init__(self, settings):
        self.settings = settings


def test_a_path_is_released_only_after_holding_still(settings, tmp_path):
    watcher = Watcher(_Engine(replace(settings, settle_s=1.0)), [tmp_path])
    growing = tmp_path / "copy.mp4"
    growing.write_bytes(b"x" * 10)
    watcher._inbox.put(growing)
    assert watcher.settled(0.0) == []
    assert watcher.settled(1.1) == []  # first look after settling
    growing.write_bytes(b"x" * 20)  # still being copied
    assert watcher.settled(2.2) == []
    assert watcher.settled(3.3) == [growing]
    assert watcher.settled(9.9) == []


def test_excluded_and_nested_paths_are_folded(settings, tmp_path):
    watcher = Watcher(_Engine(replace(settings, settle_s=0.0)), [tmp_path])
    for name in ("a/x.jpg", "a/y.jpg", "a", ".hidden/z.jpg", "b.part"):
        watcher._inbox.put(tmp_path / name)
    watcher.settled(0.0)
    assert watcher.settled(1.0) == [tmp_path / "a"]


def test_network_shares_are_recognised(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\nnas:/photos /mnt/nas nfs4 rw 0 0\n")
    assert filesystem_type(tmp_path, mounts) == "ext4"
    assert filesystem_type(Path("/mnt/nas/2024"), mounts) == "nfs4"


@pytest.fixture
def watching(settings, tmp_path):
    """A watcher running in a thread over an empty folder; yields (folder, reader, watcher)."""
    folder = tmp_path / "watched"
    folder.mkdir()
    fast = replace(settings, settle_s=0.3, poll_interval_s=0.5, checkpoint_every_s=0.2)
    started = []

    def run(factory=None):
        engine = build_engine(fast)
        kwargs = {"observer_factory": factory} if factory else {}
        watcher = Watcher(engine, [folder], control=Control(), **kwargs)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        started.append((engine, watcher, thread))
        deadline = time.monotonic() + 30
        while watcher_state(fast.data_dir) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return watcher

    yield folder, fast, run
    for engine, watcher, thread in started:
        watcher.control.stop()
        thread.join(timeout=30)
        engine.close()


def _eventually(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("the index did not catch up in time")


def _paths(settings):
    with build_engine(settings, writer=False) as reader:
        results = reader.search(Query(text="x", limit=100, per_file=1, show_all=True))
        return {p for r in results for p in (r.path, *(s.path for s in r.similar))}


def test_changes_reach_the_index_while_watching(watching):
    folder, settings, run = watching
    run()
    photo = write_photo(folder / "new.jpg", 1)
    _eventually(lambda: _paths(settings) == {photo})

    renamed = photo.rename(folder / "renamed.jpg")
    _eventually(lambda: _paths(settings) == {renamed})

    sub = folder / "sub"
    sub.mkdir()
    second = write_photo(sub / "second.png", 2)
    _eventually(lambda: _paths(settings) == {renamed, second})

    renamed.unlink()
    _eventually(lambda: _paths(settings) == {second})
    with build_engine(settings, writer=False) as reader:
        assert reader.search(Query(examples=(second,)))[0].path == second
        assert_consistent(reader)


def test_a_file_being_copied_is_indexed_once_complete(watching):
    folder, settings, run = watching
    run()
    source = write_photo(folder.parent / "big.png", 5, size=(800, 600))
    data = source.read_bytes()
    target = folder / "big.png"
    with open(target, "wb") as fh:
        fh.write(data[: len(data) // 3])
        fh.flush()
        time.sleep(1.0)  # longer than settle_s would allow if a single look sufficed
        fh.write(data[len(data) // 3 :])
    _eventually(lambda: _paths(settings) == {target})
    with build_engine(settings, writer=False) as reader:
        assert reader.failures() == []


def test_out_of_inotify_watches_falls_back_to_polling(watching):
    folder, settings, run = watching

    def exhausted():
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    watcher = run(exhausted)
    assert watcher.mode.polling and "max_user_watches" in watcher.mode.reason
    state = watcher_state(settings.data_dir)
    assert state["polling"] and "polling" in state["describe"]
    photo = write_photo(folder / "polled.jpg", 3)
    _eventually(lambda: _paths(settings) == {photo})


def test_a_folder_that_is_not_there_is_skipped_the_rest_watched_and_it_is_watched_once_back(engine, tmp_path):
    here = tmp_path / "here"
    write_photo(here / "a.jpg", 1)
    watcher = Watcher(engine, [here, tmp_path / "unplugged-drive"], control=Control())
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _eventually(lambda: watcher_state(engine.settings.data_dir) is not None)
        write_photo(here / "b.jpg", 2)
        _eventually(lambda: engine.status().indexed.get("photo") == 2)
        drive = tmp_path / "unplugged-drive"
        write_photo(drive / "trip" / "c.jpg", 3)  # plugged back in: indexed without a restart
        _eventually(lambda: engine.status().indexed.get("photo") == 3)
        write_photo(drive / "trip" / "d.jpg", 4)  # and watched from then on
        _eventually(lambda: engine.status().indexed.get("photo") == 4)
    finally:
        watcher.control.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_a_watched_folder_moved_away_is_held_and_reconciled_when_it_comes_back(engine, tmp_path):
    """`mv ~/lib ~/lib-away` said nothing for 45 s, and what was added while it was away was
    never indexed once it came back."""
    library = tmp_path / "lib"
    for i in range(3):
        write_photo(library / f"{i}.jpg", i)
    watcher = Watcher(engine, [library], control=Control())
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _eventually(lambda: engine.status().indexed.get("photo") == 3)
        away = library.rename(tmp_path / "lib-away")
        _eventually(lambda: [h.path for h in engine.status().held] == [library], timeout=15)
        assert "is not there" in engine.status().held[0].reason
        assert engine.status().indexed.get("photo") == 3  # kept, not deleted
        write_photo(away / "added-while-away.jpg", 7)
        (away / "0.jpg").unlink()
        away.rename(library)
        _eventually(lambda: not engine.status().held, timeout=15)
        _eventually(lambda: _indexed_names(engine) == {"1.jpg", "2.jpg", "added-while-away.jpg"})
        write_photo(library / "after.jpg", 8)  # watched again
        _eventually(lambda: "after.jpg" in _indexed_names(engine))
    finally:
        watcher.control.stop()
        thread.join(timeout=30)
    assert not thread.is_alive()


def _indexed_names(engine) -> set[str]:
    return {r.path.name for r in engine.catalog.files.all("indexed")}


def test_one_new_photo_in_a_large_folder_lists_no_folder(watching, monkeypatch):
    """watchdog reports the parent folder as modified with each new file; acting on that
    would re-list a whole library for one photo."""
    import os

    folder, settings, run = watching
    for i in range(10_000):
        (folder / f"note-{i:05d}.txt").write_bytes(b"")
    run()
    listed: list[str] = []
    real_scandir = os.scandir

    def counting(path):  # os.scandir itself is replaced: shutil also lists folders by descriptor
        if not isinstance(path, int) and (Path(path) == folder or folder in Path(path).parents):
            listed.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr("indexer.ingest.scan.os.scandir", counting)
    photo = write_photo(folder / "new.jpg", 4)
    _eventually(lambda: _paths(settings) == {photo})
    time.sleep(1.0)  # a folder event would be released by now
    assert listed == []  # the photo was stat'ed alone; the 10,000 other entries were not read


def test_folder_modified_events_are_ignored_and_file_events_kept(settings, tmp_path):
    from watchdog.events import DirCreatedEvent, DirModifiedEvent, FileCreatedEvent

    watcher = Watcher(_Engine(replace(settings, settle_s=0.0)), [tmp_path])
    (tmp_path / "new").mkdir()
    handler = watcher_inbox(watcher)
    handler.dispatch(DirModifiedEvent(str(tmp_path)))
    handler.dispatch(FileCreatedEvent(str(tmp_path / "a.jpg")))
    handler.dispatch(DirCreatedEvent(str(tmp_path / "new")))  # a folder moved in: read it whole
    watcher.settled(0.0)
    assert watcher.settled(1.0) == [tmp_path / "a.jpg", tmp_path / "new"]


def watcher_inbox(watcher):
    from indexer.ingest.watch import _Inbox

    return _Inbox(watcher._inbox)


def test_when_the_words_stage_runs_out_the_last_pass_is_reported_again(tmp_path):
    """The status line shows the stage's progress while it works; once it has nothing left,
    the last pass's report (its failures, "watching") is said again in its place."""
    from indexer.ingest.progress import IndexReport
    from indexer.ingest.speech import SpeechReport

    turns = iter([SpeechReport(pieces=1), SpeechReport(drained=True), SpeechReport(drained=True)])

    class Engine:
        def transcribe(self, *args, **kwargs):
            return next(turns)

    reports: list[IndexReport] = []
    watcher = Watcher(Engine(), [tmp_path], on_update=reports.append)
    last = IndexReport(failed=1)
    watcher._report(last)
    for _ in range(3):
        watcher._words_turn()
    assert reports == [last, last]  # once more after the stage worked, not at every idle turn
