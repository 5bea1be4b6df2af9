"""Distributed indexing on Ray Data (`cluster: auto` for a Ray on this machine, or
`ray://HOST:PORT`): the files are planned from the catalog as always; Ray tasks decode them
on CPUs into rows of segments, Ray actors embed those (each loads the models once, on its
own GPU where the cluster has them); the vectors stream back to this process, which
commits each file, once all its rows are in, through the same one-writer path as the
local pipeline (catalog first, then the stores).

So a worker that dies loses nothing: Ray runs its rows again elsewhere, and a row that
comes twice adds nothing. A driver that dies leaves what it committed; the next run plans
the rest, as after any interrupted run. The workers must see the files at the same paths
(a shared mount) and reach the models (the hub or a shared folder).
"""

from __future__ import annotations

import logging
import pickle
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import FramefindError, MediaError
from indexer.ingest.control import Control
from indexer.ingest.fingerprint import content_hash_or_none
from indexer.ingest.pipeline import FileJob, Pipeline
from indexer.ingest.progress import IndexReport
from indexer.ingest.thumbs import save_thumbnail, thumbnail_path
from indexer.media.extract import ExtractOptions, extract
from indexer.media.segment import MediaSegment
from indexer.media.subtitles import Line
from indexer.models.embed import Embedder, default_batch_size
from indexer.models.loading import resolve_device
from indexer.models.model_thread import TorchThread
from indexer.settings import SpaceSpec
from indexer.wording import Message

log = logging.getLogger(__name__)


CHUNK = 32  # segments per row between decoding and embedding (a long video streams)
DECODE_TRIES = 3  # a file whose decoding kills its worker this many times is failed
CRASHED = Message(
    "the decoder crashed on it ({tries} times; a damaged file, or not enough memory)", tries=DECODE_TRIES
)
EMBED_ROWS = 8  # rows an actor embeds together: photos are one segment each


@dataclass
class FileResult:
    """A file's decoding as the driver assembles it: no pixels or samples, only what is
    committed."""

    kind: str | None = None
    taken: float | None = None
    damage: str | None = None
    lines: list[Line] = field(default_factory=list)  # what its subtitles say
    error: str | None = None
    content: str | None = None  # the whole file's hash (fingerprint.content_hash)
    chunks: int = 0  # rows of segments the decoder sent (-1: not known yet)
    received: set[int] = field(default_factory=set)  # which of them arrived
    thumbnail: Any = None  # the first picture, for the card
    segments: dict[int, MediaSegment] = field(default_factory=dict)  # position → segment (data None)
    vectors: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)  # space → position → vector


def decode_file(row: dict[str, Any], options: ExtractOptions) -> Iterator[dict[str, Any]]:
    """A Ray task on a CPU: one file's segments in rows of CHUNK, then a row that says how
    the file ended (its kind and dates, or why it failed) and how many rows came before."""
    path, chunk, sent = Path(row["path"]), [], 0
    end = FileResult()

    def rows_of(items: list[tuple[int, MediaSegment]]) -> dict[str, Any]:
        return {**row, "chunk": sent, "payload": pickle.dumps(items)}

    try:
        end.content = content_hash_or_none(path)
        extraction = extract(path, options)
        end.kind = extraction.kind
        for position, segment in enumerate(extraction.segments):
            if position == 0 and segment.modality == "image":
                end.thumbnail = segment.data
            chunk.append((position, segment))
            if len(chunk) == CHUNK:
                yield rows_of(chunk)
                chunk, sent = [], sent + 1
        if chunk:
            yield rows_of(chunk)
            sent += 1
        end.taken, end.damage, end.lines = extraction.taken, extraction.notes(), extraction.lines
    except MediaError as exc:
        end.error = exc.reason
    except Exception as exc:  # a decoder bug must cost one file, not the run
        log.exception("unexpected error while decoding %s", path)
        end.error = Message("unexpected decoder error: {error}", error=repr(exc))
    end.chunks = sent
    yield {**row, "chunk": -1, "payload": pickle.dumps(end)}


class ChunkEmbedder:
    """A Ray actor (one per GPU, or per two CPUs): the models, loaded once; rows of decoded
    segments in, their vectors out (the pixels stay here). End rows pass through."""

    def __init__(self, specs: Sequence[SpaceSpec], device: str, batch_size: int, threads: int) -> None:
        if threads:
            import torch

            # Ray gives an actor one OpenMP thread per CPU it asked for: one here, so that the
            # decode tasks get the others; while it embeds, its share of the node is `threads`.
            torch.set_num_threads(threads)
        device = resolve_device(device)
        models = TorchThread()
        batch = batch_size or default_batch_size(device)
        self._embedders = [Embedder(spec, device, batch, models) for spec in specs]

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A batch of rows (several photos' rows, or a long video's): the segments of all of
        them are embedded together, a model batch at a time, one modality per encode."""
        rows = [dict(zip(batch, values, strict=True)) for values in zip(*batch.values(), strict=True)]
        work = [(r, pickle.loads(r["payload"])) for r in rows if r["chunk"] >= 0]
        found: dict[tuple[int, str], dict[int, np.ndarray]] = {}  # (row, space) → position → vector
        for embedder in self._embedders:
            for modality in ("image", "audio"):  # one encode per modality: a batch is one input type
                mine = [
                    (n, p, s)
                    for n, (row, items) in enumerate(work)
                    if not row["targets"] or embedder.spec.name in row["targets"].split(",")
                    for p, s in items
                    if s.modality == modality and s.segment_kind in embedder.spec.embeds
                ]
                if not mine:
                    continue
                vectors = embedder.encode_segments([s for _, _, s in mine])
                for (n, p, _), vector in zip(mine, vectors, strict=True):
                    found.setdefault((n, embedder.spec.name), {})[p] = vector
        for n, (row, items) in enumerate(work):
            vectors_of = {space: v for (m, space), v in found.items() if m == n}
            row["payload"] = pickle.dumps(([(p, replace(s, data=None)) for p, s in items], vectors_of))
        return {column: np.asarray([r[column] for r in rows], dtype=object) for column in batch}


class _Rows:
    """A dataset's rows, read on a thread of their own so that the driver can be stopped or
    paused while Ray works on a row that does not come (a file being retried)."""

    def __init__(self, dataset: Any) -> None:
        self._executor: Any = None
        self._capture_executor(dataset)
        self._queue: queue.Queue = queue.Queue(maxsize=2 * EMBED_ROWS)
        self._closed = threading.Event()
        self.finished = False  # every row was read
        self._thread = threading.Thread(
            target=self._read, args=(dataset,), name="framefind-ray-rows", daemon=True
        )
        self._thread.start()

    def _capture_executor(self, dataset: Any) -> None:
        """Keep the streaming executor the dataset makes, to shut it down on a stop. Ray Data
        keeps it only once the first rows are out (`Dataset._current_executor`), which a
        stop may come before; where a version has no `_create_executor`, a stopped run's
        rows are read to their end in the background instead."""
        create = getattr(dataset, "_create_executor", None)
        if create is None:
            return

        def capturing() -> Any:
            self._executor = create()
            return self._executor

        dataset._create_executor = capturing

    def _read(self, dataset: Any) -> None:
        try:
            for row in dataset.iter_rows():
                while not self._put(row):
                    if self._closed.is_set():
                        return
            self._put_end(_DONE)
        except Exception as exc:  # handed to the driver, which says what happened
            self._put_end(exc)

    def _put(self, item: object) -> bool:
        try:
            self._queue.put(item, timeout=0.2)
            return True
        except queue.Full:
            return False

    def _put_end(self, item: object) -> None:
        while not self._put(item) and not self._closed.is_set():
            pass

    def follow(self, control: Control) -> Iterator[dict[str, Any]]:
        """The rows as they come, until the last one or until `control` stops the run; none
        are taken while it is paused (Ray Data then holds back for lack of room)."""
        while not control.stopped:
            if control.paused:
                control.wait(0.2)
                continue
            try:
                item = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is _DONE:
                self.finished = True
                return
            if isinstance(item, Exception):
                raise item
            yield item

    def close(self) -> None:
        """Stop reading and Ray Data's execution, so that a stopped run frees the cluster's
        slots: its actors would otherwise hold them, and the next run's decode tasks would
        wait for them for ever."""
        self._closed.set()
        executor = self._executor
        if executor is not None and not self.finished:
            try:
                executor.shutdown(force=True)
            except Exception as exc:  # best effort: the run has ended either way
                log.debug("Ray Data's executor did not shut down: %s", exc)


_DONE = object()


def connect_ray(cluster: str) -> Any:
    """Ray, started on this machine (`auto`) or joined to a cluster (`ray://HOST:PORT`)."""
    try:
        import ray
    except ImportError:
        raise FramefindError("Indexing on Ray needs ray: pip install 'framefind[cluster]'.") from None
    if not ray.is_initialized():
        try:
            ray.init(address=None if cluster == "auto" else cluster, log_to_driver=False)
        except Exception as exc:  # ConnectionError, or Ray's own for a refused address
            raise FramefindError(f"Cannot reach the Ray cluster at {cluster}: {exc}") from exc
    return ray


class RayPipeline(Pipeline):
    """The local pipeline's commit path, fed by Ray actors instead of local threads."""

    def __init__(
        self, *args: Any, cluster: str, specs: Sequence[SpaceSpec], device: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._cluster, self._specs, self._device = cluster, list(specs), device

    def run(self, jobs: Sequence[FileJob], report: IndexReport) -> None:
        if not jobs:
            return
        ray = connect_ray(self._cluster)
        waiting = {str(job.state.path): job for job in jobs}
        progress = self._start_progress(jobs)
        rows = _Rows(self._dataset(ray, waiting))
        partial: dict[str, FileResult] = {}
        try:
            for row in rows.follow(self._control):
                result = self._gather(partial, row)
                job = waiting.pop(row["path"], None) if result is not None else None
                if result is not None and job is not None:  # no job: committed, answered again
                    self._fill(job, result)
                    self._finish(job, report, progress)
                self._checkpoint_when_due()
        except FramefindError:
            raise
        except Exception as exc:  # Ray's own errors: a cluster gone, a model no worker can load
            raise FramefindError(
                f"Indexing on Ray ({self._cluster}) stopped after {self._done} of {len(jobs)} files: {exc}. "
                "What was indexed is kept; run the same command again to go on."
            ) from exc
        finally:
            rows.close()
        if rows.finished:  # every row came: a file still waiting is one whose decoding kept dying
            for job in list(waiting.values()):
                job.error = MediaError(job.state.path, CRASHED)
                job.extracted = True
                self._finish(job, report, progress)

    def _dataset(self, ray: Any, waiting: dict[str, FileJob]) -> Any:
        rows = [{"path": p, "targets": ",".join(sorted(j.targets or ()))} for p, j in waiting.items()]
        gpus = int(ray.cluster_resources().get("GPU", 0))
        cpus = int(ray.cluster_resources().get("CPU", 1))
        actors = gpus or max(1, cpus // 2)
        threads = 0 if gpus else max(1, cpus // actors)
        # One block per file: a file whose decoding kills its worker DECODE_TRIES times fails
        # its block alone, which the run skips (the file is then recorded as failed).
        ray.data.DataContext.get_current().max_errored_blocks = -1
        log.info("indexing %d files on Ray (%d %s actors)", len(rows), actors, "GPU" if gpus else "CPU")
        return (
            ray.data.from_items(rows, override_num_blocks=len(rows))
            .flat_map(decode_file, fn_args=(self._options,), num_cpus=1, max_retries=DECODE_TRIES - 1)
            .map_batches(
                ChunkEmbedder,
                batch_size=EMBED_ROWS,
                fn_constructor_args=(self._specs, self._device, self._batch_size, threads),
                concurrency=actors,
                num_gpus=1 if gpus else 0,
                # A dead actor is replaced and its rows run again (the driver keeps one of each).
                max_restarts=-1,
                max_task_retries=DECODE_TRIES,
            )
        )

    @staticmethod
    def _gather(partial: dict[str, FileResult], row: dict[str, Any]) -> FileResult | None:
        """Add a row to its file's result; the result once every row of the file is in.
        Rows come in any order, and a row run twice adds nothing new."""
        result = partial.setdefault(row["path"], FileResult(chunks=-1))
        if row["chunk"] < 0:
            end: FileResult = pickle.loads(row["payload"])
            result.kind, result.taken, result.damage = end.kind, end.taken, end.damage
            result.lines = end.lines
            result.content = end.content
            result.error, result.thumbnail, result.chunks = end.error, end.thumbnail, end.chunks
        else:
            segments, vectors = pickle.loads(row["payload"])
            result.segments.update(segments)
            for space, found in vectors.items():
                result.vectors.setdefault(space, {}).update(found)
            result.received.add(row["chunk"])
        if result.chunks < 0 or len(result.received) < result.chunks:
            return None
        return partial.pop(row["path"])

    def _fill(self, job: FileJob, result: FileResult) -> None:
        job.kind, job.taken, job.damage = result.kind, result.taken, result.damage
        job.lines = result.lines
        job.state = replace(job.state, content=result.content)
        job.error = MediaError(job.state.path, result.error) if result.error else None
        job.segments = [result.segments[p] for p in sorted(result.segments)]
        job.vectors, job.extracted = result.vectors, True
        if result.thumbnail is not None and self._thumbs_in and job.state.fingerprint:
            save_thumbnail(result.thumbnail, thumbnail_path(self._thumbs_in, job.state.fingerprint))
