"""The indexing pipeline: decode workers → bounded queue → batching embedder → catalog + stores.

Decoding (PIL, PyAV) releases the GIL, so worker threads decode in parallel while the
consumer thread embeds full batches. Each file is committed in one catalog transaction
that also logs its vectors; only after COMMIT do the stores apply them (`after_commit`),
so a failed commit leaves no vector behind (see engine.py).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from indexer.catalog import Catalog, FileRecord, FileState
from indexer.errors import MediaError
from indexer.ingest.control import Control
from indexer.ingest.fingerprint import content_hash_or_none
from indexer.ingest.progress import IndexReport, ProgressEvent, file_work
from indexer.ingest.run_progress import HEARTBEAT_S, RunProgress
from indexer.ingest.thumbs import save_thumbnail, thumbnail_path
from indexer.media.extract import ExtractOptions, extract
from indexer.media.segment import MediaSegment
from indexer.media.subtitles import Line
from indexer.vectors.space import Space
from indexer.wording import Message

log = logging.getLogger(__name__)

CHECKPOINT_CHECK_S = 2.0  # how often the spaces are asked whether a checkpoint is due


@dataclass(eq=False)
class FileJob:
    """One file to decode and embed.

    A full job (targets None) embeds into every space and replaces the file's segments.
    A backfill job fills only the named spaces and keeps the file's segment ids, so the
    vectors other spaces hold for them stay valid.
    """

    state: FileState
    previous: FileRecord | None
    targets: frozenset[str] | None = None
    refill: bool = False  # a backfill whose file no longer decoded to its segments, now embedded whole
    kind: str | None = None
    taken: float | None = None
    segments: list[MediaSegment] = field(default_factory=list)  # data dropped once embedded
    vectors: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)  # space → position → vector
    unembedded: int = 0
    extracted: bool = False
    error: MediaError | None = None
    damage: str | None = None  # what decoding lost in a file that is indexed all the same
    lines: list[Line] = field(default_factory=list)  # what its subtitles say

    @property
    def ready(self) -> bool:
        return self.extracted and (self.error is not None or self.unembedded == 0)

    def release(self) -> None:
        """Drop what was only needed until the commit (a library's worth adds up)."""
        self.segments, self.vectors, self.lines = [], {}, []


@dataclass(frozen=True)
class _Segment:
    job: FileJob
    position: int
    segment: MediaSegment


@dataclass(frozen=True)
class _End:
    job: FileJob
    kind: str | None
    error: MediaError | None
    taken: float | None = None
    damage: str | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class _Shared:
    """What every decode worker of one run shares."""

    options: ExtractOptions
    out: queue.Queue
    stop: threading.Event  # the run is over
    control: Control  # pause / stop from outside
    thumbs_in: Path | None  # data folder for thumbnails


def _put(item: object, shared: _Shared) -> bool:
    """Queue an item unless the run stops first; waits while paused."""
    while not shared.stop.is_set():
        if not shared.control.wait(0.2):
            if shared.control.stopped:
                return False
            continue
        try:
            shared.out.put(item, timeout=0.2)
            return True
        except queue.Full:
            continue
    return False


def _extract_worker(job: FileJob, shared: _Shared) -> None:
    kind = None
    try:
        job.state = replace(job.state, content=content_hash_or_none(job.state.path))  # read while cold
        extraction = extract(job.state.path, shared.options)
        kind = extraction.kind
        for position, segment in enumerate(extraction.segments):
            shared.control.yield_to_searches()  # before decoding the next segment
            if position == 0 and segment.modality == "image" and shared.thumbs_in and job.state.fingerprint:
                save_thumbnail(segment.data, thumbnail_path(shared.thumbs_in, job.state.fingerprint))
            if not _put(_Segment(job, position, segment), shared):
                return
        _put(_End(job, kind, None, extraction.taken, extraction.notes(), extraction.lines), shared)
    except MediaError as exc:
        _put(_End(job, kind, exc), shared)
    except Exception as exc:  # a decoder bug must cost one file, not the run
        log.exception("unexpected error while decoding %s", job.state.path)
        reason = Message("unexpected decoder error: {error}", error=repr(exc))
        _put(_End(job, kind, MediaError(job.state.path, reason)), shared)


def _changed_since_planned(job: FileJob) -> bool:
    try:
        st = job.state.path.stat()
    except OSError:
        return True
    return (st.st_size, st.st_mtime_ns) != (job.state.size, job.state.mtime_ns)


class Pipeline:
    def __init__(
        self,
        catalog: Catalog,
        spaces: Sequence[Space],
        options: ExtractOptions,
        *,
        workers: int,
        batch_size: int,
        after_commit: Callable[[], None],
        checkpoint: Callable[[], None],
        on_progress: Callable[[ProgressEvent], None] | None = None,
        control: Control | None = None,
        thumbs_in: Path | None = None,
        yield_every: int = 0,
    ) -> None:
        self._catalog = catalog
        self._spaces = list(spaces)
        self._options = options
        self._workers = workers
        self._batch_size = batch_size
        self._after_commit = after_commit
        self._checkpoint = checkpoint
        self._on_progress = on_progress
        self._control = control or Control()
        self._thumbs_in = thumbs_in
        self._yield_every = yield_every or batch_size  # embed this many at a time between searches
        self._buffers: dict[str, list[_Segment]] = {"image": [], "audio": [], "video": []}
        self._decoded: list[FileJob] = []  # decoded, waiting for their last vectors
        self._done, self._last_check = 0, 0.0  # files committed this run; the last checkpoint check
        self.requeued: list[FileJob] = []  # full jobs for backfills that could not keep their segments

    def run(self, jobs: Sequence[FileJob], report: IndexReport) -> None:
        """Process every job; bad files are recorded as failed and the run goes on.

        Work in flight is bounded whatever the number of jobs: `workers` files decoding, a
        queue of a few batches, and the files waiting for their last batch. Pausing (through
        the Control) holds decoding and embedding; stopping ends the run after the file being
        committed, leaving the rest for the next run.
        """
        if not jobs:
            return
        stop = threading.Event()
        control = self._control
        shared = _Shared(
            self._options, queue.Queue(maxsize=4 * self._batch_size), stop, control, self._thumbs_in
        )
        feed, feed_lock = iter(jobs), threading.Lock()

        def decode_next_files() -> None:
            while not stop.is_set():
                with feed_lock:
                    job = next(feed, None)
                if job is None:
                    return
                _extract_worker(job, shared)

        workers = [
            threading.Thread(target=decode_next_files, name=f"framefind-decode-{i}", daemon=True)
            for i in range(self._workers)
        ]
        for worker in workers:
            worker.start()
        progress = self._start_progress(jobs)
        try:
            while self._done < len(jobs) and not control.stopped:
                if control.paused:
                    progress.clock.pause()
                    self._checkpoint()
                    control.wait(0.2)
                    continue
                progress.clock.resume()
                self._take(shared.out, progress)
                for job in [j for j in self._decoded if j.ready]:
                    if control.paused:  # a pause said in a progress callback holds the rest
                        break
                    self._decoded.remove(job)
                    self._finish(job, report, progress)
                progress.tick()
                self._checkpoint_when_due()
        finally:
            stop.set()
            for worker in workers:
                worker.join()

    def _start_progress(self, jobs: Sequence[FileJob]) -> RunProgress:
        self._done, self._last_check = 0, time.monotonic()
        work = [file_work(j.state.path, j.state.size) for j in jobs]
        return RunProgress(work, self._on_progress, lambda: self._control.paused)

    def _finish(self, job: FileJob, report: IndexReport, progress: RunProgress) -> None:
        """Commit a file whose segments are all decoded and embedded, and say so."""
        self._commit(job, report)
        job.release()
        self._done += 1
        progress.finished(job.state.path, file_work(job.state.path, job.state.size), report.failed)

    def _checkpoint_when_due(self) -> None:
        if time.monotonic() - self._last_check > CHECKPOINT_CHECK_S:
            self._checkpoint()
            self._last_check = time.monotonic()

    def _take(self, out: queue.Queue, progress: RunProgress) -> None:
        """Take one queue item; embed a modality's batch when full, or all when idle."""
        try:
            item = out.get(timeout=0.05 if any(self._buffers.values()) else HEARTBEAT_S)
        except queue.Empty:
            self._flush_all()
            return
        progress.started(item.job.state.path)
        if isinstance(item, _End):
            item.job.kind, item.job.error, item.job.taken = item.kind, item.error, item.taken
            item.job.damage, item.job.lines = item.damage, item.lines
            item.job.extracted = True
            self._decoded.append(item.job)
            if item.error is not None:  # its frames decoded before the damage are not wanted
                for modality, buffer in self._buffers.items():
                    self._buffers[modality] = [b for b in buffer if b.job is not item.job]
        elif item.job.error is None:
            item.job.segments.append(item.segment)
            item.job.unembedded += 1
            buffer = self._buffers[item.segment.modality]
            buffer.append(item)
            if len(buffer) >= self._batch_size:
                self._flush(item.segment.modality)
        if out.empty():
            self._flush_all()

    def _flush_all(self) -> None:
        for modality in self._buffers:
            self._flush(modality)

    def _flush(self, modality: str) -> None:
        batch, self._buffers[modality] = self._buffers[modality], []
        if not batch:
            return
        for space in self._spaces:
            wanted = [
                b
                for b in batch
                if space.embeds(b.segment.segment_kind)
                and (b.job.targets is None or space.name in b.job.targets)
            ]
            if not wanted:
                continue
            vectors = list(self._embed(space, [b.segment for b in wanted]))
            if len(vectors) < len(wanted):
                return  # stopped: these files are left for the next run, uncommitted
            for item, vector in zip(wanted, vectors, strict=True):
                item.job.vectors.setdefault(space.name, {})[item.position] = vector
        for item in batch:
            item.job.segments[item.position] = replace(item.segment, data=None)  # free the pixels
            item.job.unembedded -= 1

    def _embed(self, space: Space, segments: list[MediaSegment]) -> Iterator[np.ndarray]:
        """Embed in pieces of `yield_every`, letting a search that arrives go first; ends
        early when the run is stopped (closing the app waits for one piece, not a batch)."""
        for start in range(0, len(segments), self._yield_every):
            self._control.yield_to_searches()
            if self._control.stopped:
                return
            yield from space.embedder.encode_segments(segments[start : start + self._yield_every])

    def run_all(self, jobs: Sequence[FileJob], report: IndexReport) -> None:
        """`run`, then once more for the backfills that turned out to need a full job."""
        self.run(jobs, report)
        if self.requeued and not self._control.stopped:
            again, self.requeued = self.requeued, []
            self.run(again, report)

    def _commit(self, job: FileJob, report: IndexReport) -> None:
        self._commit_catalog(job, report)
        self._after_commit()

    def _commit_catalog(self, job: FileJob, report: IndexReport) -> None:
        if job.error is not None:
            self._record_failure(job, report)
        elif _changed_since_planned(job):
            # What was decoded may mix old and new content: index it once it settles.
            log.info("%s changed while it was read; it will be indexed again", job.state.path)
            report.deferred += 1
        elif job.targets is not None and job.previous is not None:
            if self._backfill(job):
                report.backfilled += 1
            else:  # new segments would drop the other spaces' vectors: embed it into every space
                log.info("%s no longer decodes as it did; it is embedded again whole", job.state.path)
                self.requeued.append(FileJob(job.state, job.previous, refill=True))
        else:
            self._replace(job, report)

    def _backfill(self, job: FileJob) -> bool:
        """Add the target spaces' vectors under the existing segment ids; False when the
        segments decoded now are not those in the catalog (then the file is replaced)."""
        assert job.previous is not None and job.targets is not None
        modalities = {s.modality for s in job.segments}
        existing = [s for s in self._catalog.segments.of_file(job.previous.id) if s[1] in modalities]
        decoded = [(s.modality, s.start) for s in job.segments]
        same = len(existing) == len(decoded) and all(
            m == e[1] and (t is None) == (e[2] is None) and abs((t or 0.0) - (e[2] or 0.0)) < 1e-3
            for (m, t), e in zip(decoded, existing, strict=False)
        )
        if not same:
            return False
        with self._catalog.transaction():
            for space in self._spaces:
                vectors = job.vectors.get(space.name, {})
                if space.name in job.targets and vectors:
                    self._log(space, [existing[p][0] for p in sorted(vectors)], vectors)
        return True

    def _log(self, space: Space, ids: list[int], vectors: dict[int, np.ndarray]) -> None:
        self._catalog.log.add(space.record.id, ids, np.stack([vectors[p] for p in sorted(vectors)]))

    def _replace(self, job: FileJob, report: IndexReport) -> None:
        duration = max((s.end or 0.0 for s in job.segments), default=None) if job.kind != "photo" else None
        with self._catalog.transaction():
            file_id = self._catalog.files.save(
                job.state,
                kind=job.kind,
                status="indexed",
                error=job.damage,
                duration=duration,
                taken=job.taken,
                sampled_s=self._options.video_interval_s if job.kind == "video" else None,
            )
            new = self._catalog.segments.replace(file_id, job.segments)
            self._catalog.lines.replace(file_id, job.lines, same_content=bool(job.refill))
            for space in self._spaces:
                vectors = job.vectors.get(space.name, {})
                if vectors:
                    self._log(space, [new[p] for p in sorted(vectors)], vectors)
        report.segments += len(new)
        report.indexed_by_kind[job.kind or "?"] += 1
        if job.previous is None:
            report.new += 1
        elif job.refill:
            report.backfilled += 1
        else:
            report.changed += 1

    def _record_failure(self, job: FileJob, report: IndexReport) -> None:
        assert job.error is not None
        log.warning("skipping %s: %s", job.state.path, job.error.reason)
        with self._catalog.transaction():
            file_id = self._catalog.files.save(
                job.state, kind=job.kind, status="failed", error=job.error.reason
            )
            self._catalog.segments.replace(file_id, [])
        report.failed += 1
