"""The indexing pipeline: decode workers → bounded queue → batching embedder → catalog + stores.

Decoding (PIL, PyAV) releases the GIL, so worker threads decode in parallel while the
consumer thread embeds full batches. Each file is committed in one catalog transaction
together with its vectors; stores are checkpointed to disk every few seconds and at the end.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from indexer.catalog import Catalog, FileRecord, FileState
from indexer.errors import MediaError
from indexer.media import ExtractOptions, MediaSegment, extract
from indexer.progress import IndexReport, ProgressEvent
from indexer.space import Space

log = logging.getLogger(__name__)


@dataclass(eq=False)
class FileJob:
    state: FileState
    previous: FileRecord | None
    kind: str | None = None
    segments: list[MediaSegment] = field(default_factory=list)  # data dropped once embedded
    vectors: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)  # space → position → vector
    unembedded: int = 0
    extracted: bool = False
    error: MediaError | None = None

    @property
    def ready(self) -> bool:
        return self.extracted and (self.error is not None or self.unembedded == 0)


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


def _put(out: queue.Queue, item: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            out.put(item, timeout=0.2)
            return True
        except queue.Full:
            continue
    return False


def _extract_worker(job: FileJob, options: ExtractOptions, out: queue.Queue, stop: threading.Event) -> None:
    kind = None
    try:
        extraction = extract(job.state.path, options)
        kind = extraction.kind
        for position, segment in enumerate(extraction.segments):
            if not _put(out, _Segment(job, position, segment), stop):
                return
        _put(out, _End(job, kind, None), stop)
    except MediaError as exc:
        _put(out, _End(job, kind, exc), stop)
    except Exception as exc:  # a decoder bug must cost one file, not the run
        log.exception("unexpected error while decoding %s", job.state.path)
        _put(out, _End(job, kind, MediaError(job.state.path, f"unexpected decoder error: {exc!r}")), stop)


class Pipeline:
    def __init__(
        self,
        catalog: Catalog,
        spaces: Sequence[Space],
        options: ExtractOptions,
        *,
        workers: int,
        batch_size: int,
        checkpoint_every_s: float,
        on_progress: Callable[[ProgressEvent], None] | None = None,
    ) -> None:
        self._catalog = catalog
        self._spaces = list(spaces)
        self._options = options
        self._workers = workers
        self._batch_size = batch_size
        self._checkpoint_every_s = checkpoint_every_s
        self._on_progress = on_progress
        self._buffers: dict[str, list[_Segment]] = {"image": [], "audio": []}

    def run(self, jobs: Sequence[FileJob], report: IndexReport) -> None:
        """Process every job; bad files are recorded as failed and the run goes on."""
        if not jobs:
            return
        out: queue.Queue = queue.Queue(maxsize=4 * self._batch_size)
        stop = threading.Event()
        started = last_save = time.monotonic()
        outstanding = set(jobs)
        done = 0
        pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="framefind-decode")
        try:
            for job in jobs:
                pool.submit(_extract_worker, job, self._options, out, stop)
            while outstanding:
                self._take(out)
                for job in [j for j in outstanding if j.ready]:
                    self._commit(job, report)
                    outstanding.discard(job)
                    done += 1
                    self._progress(len(jobs), done, report.failed, job, started)
                if time.monotonic() - last_save > self._checkpoint_every_s:
                    self.save()
                    last_save = time.monotonic()
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            self.save()

    def save(self) -> None:
        for space in self._spaces:
            space.save()

    def _take(self, out: queue.Queue) -> None:
        """Take one queue item; embed a modality's batch when full, or all when idle."""
        try:
            item = out.get(timeout=0.05 if any(self._buffers.values()) else 1.0)
        except queue.Empty:
            self._flush_all()
            return
        if isinstance(item, _End):
            item.job.kind, item.job.error, item.job.extracted = item.kind, item.error, True
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
        segments = [b.segment for b in batch]
        for space in self._spaces:
            if space.takes(modality):
                vectors = space.embedder.encode_segments(segments)
                for item, vector in zip(batch, vectors, strict=True):
                    item.job.vectors.setdefault(space.name, {})[item.position] = vector
        for item in batch:
            item.job.segments[item.position] = replace(item.segment, data=None)  # free the pixels
            item.job.unembedded -= 1

    def _commit(self, job: FileJob, report: IndexReport) -> None:
        if job.error is not None:
            self._record_failure(job, report)
            return
        duration = max((s.end or 0.0 for s in job.segments), default=None) if job.kind != "photo" else None
        with self._catalog.transaction():
            file_id = self._catalog.save_file(job.state, kind=job.kind, status="indexed", duration=duration)
            old, new = self._catalog.replace_segments(file_id, job.segments)
            for space in self._spaces:
                space.store.remove(np.asarray(old, dtype=np.int64))
                vectors = job.vectors.get(space.name, {})
                positions = sorted(vectors)
                space.store.add(
                    np.asarray([new[p] for p in positions], dtype=np.int64),
                    np.stack([vectors[p] for p in positions]) if positions else np.empty((0, 0)),
                )
                space.dirty = True
        report.segments += len(new)
        report.indexed_by_kind[job.kind or "?"] += 1
        if job.previous is None:
            report.new += 1
        else:
            report.changed += 1

    def _record_failure(self, job: FileJob, report: IndexReport) -> None:
        assert job.error is not None
        log.warning("skipping %s: %s", job.state.path, job.error.reason)
        with self._catalog.transaction():
            file_id = self._catalog.save_file(
                job.state, kind=job.kind, status="failed", error=job.error.reason
            )
            old, _ = self._catalog.replace_segments(file_id, [])
            for space in self._spaces:
                if old:
                    space.store.remove(np.asarray(old, dtype=np.int64))
                    space.dirty = True
        report.failed += 1

    def _progress(self, total: int, done: int, failed: int, job: FileJob, started: float) -> None:
        if self._on_progress is None:
            return
        elapsed = max(time.monotonic() - started, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else None
        self._on_progress(ProgressEvent(total, done, failed, job.state.path, rate, eta))
