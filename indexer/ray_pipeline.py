"""Distributed indexing on Ray Data (`cluster: auto` for a Ray on this machine, or
`ray://HOST:PORT`): the files are planned from the catalog as always; Ray actors decode and
embed them (each loads the models once, on its own GPU where the cluster has them); the
results stream back to this process, which commits each file through the same one-writer
path as the local pipeline (catalog first, then the stores).

So a worker that dies loses nothing: Ray runs its file again elsewhere, and a file whose
answer comes twice is committed once. A driver that dies leaves what it committed; the
next run plans the rest, as after any interrupted run. The workers must see the files at
the same paths (a shared mount) and reach the models (the hub or a shared folder).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embed import Embedder, default_batch_size
from indexer.errors import FramefindError, MediaError
from indexer.media.extract import ExtractOptions, extract
from indexer.media.segment import MediaSegment
from indexer.models import resolve_device
from indexer.pipeline import FileJob, Pipeline
from indexer.progress import IndexReport
from indexer.settings import SpaceSpec
from indexer.thumbs import save_thumbnail, thumbnail_path
from indexer.torch_thread import TorchThread

log = logging.getLogger(__name__)


@dataclass
class FileResult:
    """What a worker sends back for one file: no pixels or samples, only what is committed."""

    kind: str | None = None
    taken: float | None = None
    damage: str | None = None
    error: str | None = None
    segments: list[MediaSegment] = field(default_factory=list)  # data None
    vectors: dict[str, dict[int, np.ndarray]] = field(default_factory=dict)  # space → position → vector
    thumbnail: Any = None  # the first picture, for the card


def embed_file(
    path: Path,
    targets: frozenset[str] | None,
    embedders: Sequence[Embedder],
    options: ExtractOptions,
    batch: int,
) -> FileResult:
    """Decode one file and embed its segments `batch` at a time (a long video never holds
    more than a batch of frames)."""
    result = FileResult()
    pending: dict[str, list[tuple[int, MediaSegment]]] = {"image": [], "audio": []}

    def flush(modality: str) -> None:
        items, pending[modality] = pending[modality], []
        for embedder in embedders:
            wanted = targets is None or embedder.spec.name in targets
            if items and wanted and modality in embedder.modalities:
                vectors = embedder.encode_segments([s for _, s in items])
                mine = result.vectors.setdefault(embedder.spec.name, {})
                mine.update((p, v) for (p, _), v in zip(items, vectors, strict=True))

    try:
        extraction = extract(path, options)
        result.kind = extraction.kind
        for position, segment in enumerate(extraction.segments):
            if position == 0 and segment.modality == "image":
                result.thumbnail = segment.data
            result.segments.append(replace(segment, data=None))
            pending[segment.modality].append((position, segment))
            if len(pending[segment.modality]) >= batch:
                flush(segment.modality)
        for modality in pending:
            flush(modality)
        result.taken, result.damage = extraction.taken, extraction.notes()
    except MediaError as exc:
        result.error = exc.reason
    except Exception as exc:  # a decoder bug must cost one file, not the run
        log.exception("unexpected error while decoding %s", path)
        result.error = f"unexpected decoder error: {exc!r}"
    return result


class FileEmbedder:
    """A Ray actor: the models, loaded once, and files in, results out (pickled: a row)."""

    def __init__(self, specs: Sequence[SpaceSpec], device: str, batch_size: int, options: ExtractOptions):
        device = resolve_device(device)
        models = TorchThread()
        self._batch = batch_size or default_batch_size(device)
        self._embedders = [Embedder(spec, device, self._batch, models) for spec in specs]
        self._options = options

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        targets = frozenset(row["targets"].split(",")) if row["targets"] else None
        result = embed_file(Path(row["path"]), targets, self._embedders, self._options, self._batch)
        return {"path": row["path"], "result": pickle.dumps(result)}


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
        rows = [{"path": p, "targets": ",".join(sorted(j.targets or ()))} for p, j in waiting.items()]
        gpus = int(ray.cluster_resources().get("GPU", 0))
        actors = gpus or max(1, int(ray.cluster_resources().get("CPU", 1)) // 2)
        results = ray.data.from_items(rows).map(
            FileEmbedder,
            fn_constructor_args=(self._specs, self._device, self._batch_size, self._options),
            concurrency=actors,
            num_gpus=1 if gpus else 0,
            # A worker that dies is replaced and its files run again.
            max_restarts=-1,
            max_task_retries=-1,
        )
        clock = self._start_clock(jobs)
        log.info("indexing %d files on Ray (%d %s actors)", len(jobs), actors, "GPU" if gpus else "CPU")
        try:
            for row in results.iter_rows():
                if self._control.stopped:
                    break
                job = waiting.pop(row["path"], None)
                if job is None:
                    continue  # a file that ran twice (its worker died after answering)
                self._fill(job, pickle.loads(row["result"]))
                self._finish(job, report, len(jobs), clock)
                self._checkpoint_when_due()
        except FramefindError:
            raise
        except Exception as exc:  # Ray's own errors: a cluster gone, a model no worker can load
            raise FramefindError(
                f"Indexing on Ray ({self._cluster}) stopped after {self._done} of {len(jobs)} files: {exc}. "
                "What was indexed is kept; run the same command again to go on."
            ) from exc

    def _fill(self, job: FileJob, result: FileResult) -> None:
        job.kind, job.taken, job.damage = result.kind, result.taken, result.damage
        job.error = MediaError(job.state.path, result.error) if result.error else None
        job.segments, job.vectors, job.extracted = result.segments, result.vectors, True
        if result.thumbnail is not None and self._thumbs_in and job.state.fingerprint:
            save_thumbnail(result.thumbnail, thumbnail_path(self._thumbs_in, job.state.fingerprint))
