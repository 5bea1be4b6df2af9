"""Keep the index in step with folders: reconcile on start, then follow filesystem events.

Handlers run on watchdog's thread and only queue paths. The watcher's own loop releases a
path once it has stopped changing (two looks `settle_s` apart agree), so a copy in progress
is never read half-written, and hands released paths to `Engine.update` in one batch: a
move's source and destination arrive together and are matched by content.

A folder's "modified" event (its listing changed) is ignored: each entry that changed has
an event of its own, and rescanning the folder would re-list a whole library for one new
photo. The watcher's thread is the engine's one writer, so other threads hand it writes
(`submit`) rather than calling the engine themselves.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from indexer import jsonfile
from indexer.engine import Engine, ProgressCallback
from indexer.ingest.control import Control
from indexer.ingest.progress import IndexReport
from indexer.ingest.scan import excluded
from indexer.watcher_state import WATCHER_STATE

log = logging.getLogger(__name__)

# File systems where inotify/FSEvents miss changes made by other machines.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ncpfs",
        "ceph",
        "glusterfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "davfs",
    }
)
LIMIT_ERRORS = frozenset({errno.ENOSPC, errno.EMFILE, errno.ENFILE})
IGNORED_EVENTS = frozenset({"opened", "closed_no_write"})
ABSENT_LOOK_S = 2.0  # how often a missing root is looked for (one stat each)


@dataclass(frozen=True)
class WatchMode:
    polling: bool
    reason: str | None = None

    def describe(self) -> str:
        return f"polling every few seconds ({self.reason})" if self.polling else "filesystem events"


def filesystem_type(path: Path, mounts: Path = Path("/proc/self/mounts")) -> str | None:
    """The type of the file system holding `path` (Linux), or None if unknown."""
    try:
        lines = mounts.read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path.resolve())
    for line in lines:
        fields = line.split()
        if len(fields) > 2:
            point = fields[1].replace("\\040", " ")
            inside = target == point or target.startswith(point.rstrip("/") + "/")
            if inside and len(point) > len(best):
                best, kind = point, fields[2]
    return kind


class _Inbox(FileSystemEventHandler):
    def __init__(self, paths: queue.Queue[Path]) -> None:
        self._paths = paths

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in IGNORED_EVENTS or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self._paths.put(Path(os.fsdecode(raw)))


ObserverFactory = Callable[[], BaseObserver]
# How long the observer's threads wait for events before looking whether they should stop:
# watchdog's 1 s kept a closing window's process waiting up to that long.
OBSERVER_TIMEOUT_S = 0.1


def native_observer() -> BaseObserver:
    return Observer(timeout=OBSERVER_TIMEOUT_S)


class Watcher:
    def __init__(
        self,
        engine: Engine,
        roots: list[Path],
        *,
        control: Control | None = None,
        on_progress: ProgressCallback | None = None,
        on_update: Callable[[IndexReport], None] | None = None,
        observer_factory: ObserverFactory = native_observer,
    ) -> None:
        self.engine = engine
        self.roots = [Path(os.path.abspath(r)) for r in roots]
        self.control = control or Control()
        self._on_progress = on_progress
        self._on_update = on_update
        self._observer_factory = observer_factory
        self._inbox: queue.Queue[Path] = queue.Queue()
        self._tasks: queue.Queue[Callable[[], IndexReport]] = queue.Queue()
        self._changed: dict[Path, float] = {}  # path → when it last changed, as far as we know
        self._looked: dict[Path, tuple[int, int] | None] = {}  # path → (size, mtime) at last look
        self.mode: WatchMode | None = None
        self._absent: list[Path] = []  # roots not there (a drive unplugged, a folder moved away)
        self._watches: dict[Path, tuple[ObservedWatch, tuple[int, int] | None]] = {}  # root: watch, identity
        self._last: IndexReport | None = None  # the last pass's report, said again after the words stage
        self._words_busy = False  # the words stage did work in its last turn
        self._handler = _Inbox(self._inbox)

    def run(self) -> None:
        """Watch until the control is stopped. Events during the start-up reconciliation
        are queued, not lost: the observer starts first."""
        observer = self._start_observer()
        self._publish()
        try:
            self._report(self.engine.index(self.roots, self._on_progress, self.control))
            if self._absent:  # held, so status and the window say where they are
                self._report(self.engine.update(self._absent, self._on_progress, self.control, self.roots))
            looked_for_absent = time.monotonic()
            while self.control.sleep(0.25):
                while not self._tasks.empty():
                    self._report(self._tasks.get_nowait()())
                if self.control.paused:
                    continue
                if time.monotonic() - looked_for_absent > ABSENT_LOOK_S:
                    looked_for_absent = time.monotonic()
                    self._gone(observer)
                    self._welcome_back(observer)
                ready = self.settled(time.monotonic())
                if ready:
                    self._report(self.engine.update(ready, self._on_progress, self.control, self.roots))
                elif not self._changed:  # idle: a piece of speech, then a look at the disk again
                    self._words_turn()
        finally:
            observer.stop()
            observer.join(timeout=5)
            (self.engine.settings.data_dir / WATCHER_STATE).unlink(missing_ok=True)

    def submit(self, task: Callable[[], IndexReport]) -> None:
        """Run an engine write (e.g. `engine.prune`) on the watcher's thread, between updates."""
        self._tasks.put(task)

    def _words_turn(self) -> None:
        """A piece of the words stage; when it has nothing left after working, the last
        pass's report is said again, in place of the stage's last progress (and a window
        searches again: the new words may match)."""
        words = self.engine.transcribe(self._on_progress, self.control, pieces=1)
        if words.drained and self._words_busy and self._last is not None:
            self._report(self._last)
        self._words_busy = not words.drained

    def _report(self, report: IndexReport) -> None:
        self._last = report
        if self._on_update is not None:
            self._on_update(report)

    def _gone(self, observer: BaseObserver) -> None:
        """A watched root that is not there any more (moved away, unmounted, deleted), or
        another folder in its place: its watch ends (inotify's follows the folder it was
        given, wherever it went), it is held like an emptied root (named in status and the
        window, its files kept) and looked for again."""
        gone = [root for root, (_, seen) in self._watches.items() if _identity(root) != seen]
        for root in gone:
            watch, _ = self._watches.pop(root)
            with contextlib.suppress(KeyError):  # a deleted folder's watch has ended already
                observer.unschedule(watch)
            log.warning("%s is not there any more: what was indexed there is kept until it is back", root)
        if gone:
            self._absent += gone
            self._report(self.engine.update(gone, self._on_progress, self.control, self.roots))

    def _welcome_back(self, observer: BaseObserver) -> None:
        """A root that was not there (a drive plugged back in, a share mounted, a folder moved
        back) is watched and brought up to date as soon as it is back, not at the next start:
        a whole pass, so what was added while it was away is indexed too."""
        back = [root for root in self._absent if root.is_dir()]
        if not back:
            return
        self._absent = [root for root in self._absent if root not in back]
        for root in back:
            log.info("%s is back: watching it again", root)
            self._watch(observer, root)
        self._report(self.engine.index(back, self._on_progress, self.control))

    def _watch(self, observer: BaseObserver, root: Path) -> None:
        seen = _identity(root)  # before scheduling: a change after it is caught at the next look
        self._watches[root] = (observer.schedule(self._handler, str(root), recursive=True), seen)

    def _start_observer(self) -> BaseObserver:
        settings = self.engine.settings
        network = [r for r in self.roots if filesystem_type(r) in NETWORK_FILESYSTEMS]
        if settings.force_polling:
            self.mode = WatchMode(True, "force_polling is set")
        elif network:
            self.mode = WatchMode(
                True, f"{network[0]} is on a network share, where events from other machines are missed"
            )
        else:
            try:
                return self._schedule(self._observer_factory(), WatchMode(False))
            except OSError as exc:
                if exc.errno not in LIMIT_ERRORS:
                    raise
                self.mode = WatchMode(
                    True,
                    "the inotify watch limit is reached; raise fs.inotify.max_user_watches to use events",
                )
        log.warning("watching by polling: %s", self.mode.reason)
        return self._schedule(PollingObserver(timeout=settings.poll_interval_s), self.mode)

    def _schedule(self, observer: BaseObserver, mode: WatchMode) -> BaseObserver:
        self._absent, self._watches = [], {}
        for root in self.roots:
            if not root.is_dir():  # an unplugged drive: what was indexed there is kept
                log.warning("not watching %s: it is not there now; it is watched once it is back", root)
                self._absent.append(root)
                continue
            self._watch(observer, root)
        observer.start()
        self.mode = mode
        return observer

    def _publish(self) -> None:
        assert self.mode is not None
        state = {
            "pid": os.getpid(),
            "roots": [str(r) for r in self.roots],
            "started": time.time(),
            **asdict(self.mode),
            "describe": self.mode.describe(),
        }
        jsonfile.write(self.engine.settings.data_dir / WATCHER_STATE, state)

    def _ignored(self, path: Path) -> bool:
        for root in self.roots:
            if root == path or root in path.parents:
                parts = path.relative_to(root).parts
                return any(excluded(p, self.engine.settings.exclude) for p in parts)
        return True  # outside every root

    def settled(self, now: float) -> list[Path]:
        """Paths that changed and have since held still for `settle_s`."""
        while True:
            try:
                path = self._inbox.get_nowait()
            except queue.Empty:
                break
            if not self._ignored(path):
                self._changed[path] = now
                self._looked.pop(path, None)
        settle = self.engine.settings.settle_s
        ready = []
        for path, since in list(self._changed.items()):
            if now - since < settle:
                continue
            look = _look(path)
            if path in self._looked and self._looked[path] == look:
                ready.append(path)
                del self._changed[path], self._looked[path]
            else:
                self._looked[path], self._changed[path] = look, now  # look again after settling
        return _outermost(ready)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path (device and inode); None when none is."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def _look(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _outermost(paths: list[Path]) -> list[Path]:
    """Drop paths inside another path of the list: updating the folder covers them."""
    chosen = set(paths)
    return sorted(p for p in chosen if not any(parent in chosen for parent in p.parents))
