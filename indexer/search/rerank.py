"""Second stage: a sentence-transformers CrossEncoder re-scores the top results.

A cross-encoder sees the query and the document together (the photo, the video frame at
the moment's best time, the audio of the moment), so it judges relevance far better than
comparing two separately made vectors, at a cost per result. It is therefore optional,
limited to the top N, and limited in time: results it did not reach keep their order after
the ones it scored, and the report says what happened.

Default ("auto"): Qwen3-VL-Reranker-2B (text, images, video; about 5 GB in half precision)
on a CUDA GPU with at least 12 GB; nothing otherwise, because on a CPU or a small GPU a
multimodal reranker takes seconds per result and a search must answer in about one. Any
CrossEncoder id or folder can be set instead, and "none" turns reranking off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from indexer.errors import MediaError
from indexer.models.loading import load_model, load_reason, resolve_device
from indexer.models.model_thread import TorchThread

log = logging.getLogger(__name__)

AUTO_MODEL = "Qwen/Qwen3-VL-Reranker-2B"
AUTO_MIN_GPU_BYTES = 12 * 2**30
BATCH = 4


@dataclass(frozen=True)
class RerankReport:
    model: str | None
    scored: int  # results the cross-encoder re-scored
    considered: int  # results it was offered
    seconds: float
    skipped: str | None = None  # why it did not run, or did not finish

    def summary(self) -> str:
        if self.model is None or self.scored == 0:
            return f"not reranked: {self.skipped}"
        text = f"reranked {self.scored} of {self.considered} with {self.model} in {self.seconds:.1f} s"
        return f"{text} ({self.skipped})" if self.skipped else text


def choose_model(setting: str, device: str) -> tuple[str | None, str | None]:
    """(model to load, or None with the reason) for a `reranker` setting."""
    if setting == "none":
        return None, "reranking is turned off"
    if setting != "auto":
        return setting, None
    if not device.startswith("cuda"):
        return None, f"no GPU: set a reranker model to rerank on {device} anyway (seconds per result)"
    import torch

    memory = torch.cuda.get_device_properties(0).total_memory
    if memory < AUTO_MIN_GPU_BYTES:
        return None, f"the GPU has {memory / 2**30:.0f} GB; the default reranker wants 12 GB"
    return AUTO_MODEL, None


class Reranker:
    """One CrossEncoder, loaded lazily on first use; a load failure is reported, not raised."""

    def __init__(
        self,
        setting: str,
        device: str = "auto",
        budget_s: float = 3.0,
        top: int = 20,
        models: TorchThread | None = None,
    ) -> None:
        self._models = models  # the engine's model thread (see torch_thread.py); None: this thread
        self._device = resolve_device(device)
        self.model_id, self._unavailable = choose_model(setting, self._device)
        self.budget_s = budget_s
        self.top = top
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None and self._unavailable is None:
                from sentence_transformers import CrossEncoder

                log.info("Loading the reranker %s on %s…", self.model_id, self._device)
                try:
                    self._model = self._on_model_thread(
                        lambda: load_model(CrossEncoder, str(self.model_id), None, self._device)
                    )
                except Exception as exc:  # the hub and transformers raise many types
                    self._unavailable = (
                        f"the reranker {self.model_id} did not load: {load_reason(exc, str(self.model_id))}"
                    )
                    log.warning("%s", self._unavailable)
        return self._model

    def _on_model_thread(self, work: Callable[[], Any], urgent: bool = False) -> Any:
        return work() if self._models is None else self._models.run(work, urgent)

    def rerank(
        self, query: str, count: int, modality_of: Callable[[int], str], media_of: Callable[[int], Any]
    ) -> tuple[list[int], list[float], RerankReport]:
        """Re-score items 0..count-1 (best first); returns (new order of the scored prefix,
        their scores, report). Items the model cannot take, or cannot decode, are left out."""
        started = time.perf_counter()
        considered = min(count, self.top)
        model = self._load()
        if model is None:
            return [], [], RerankReport(None, 0, considered, 0.0, self._unavailable)
        takes = set(getattr(model, "modalities", ("text",)))
        wanted = [i for i in range(considered) if modality_of(i) in takes]
        scored: list[tuple[int, float]] = []
        note = (
            None
            if len(wanted) == considered
            else f"it does not take {_missing(modality_of, considered, takes)}"
        )
        for first in range(0, len(wanted), BATCH):
            if time.perf_counter() - started > self.budget_s:
                note = f"stopped at the {self.budget_s:g} s budget"
                break
            batch = _pairs(query, wanted[first : first + BATCH], media_of)
            pairs = [pair for _, pair in batch]
            predict = partial(model.predict, pairs, batch_size=BATCH, show_progress_bar=False)
            scores = self._on_model_thread(predict, urgent=True)
            scored += [(i, float(s)) for (i, _), s in zip(batch, scores, strict=True)]
        scored.sort(key=lambda p: -p[1])
        seconds = time.perf_counter() - started
        report = RerankReport(
            self.model_id, len(scored), considered, seconds, note if scored else note or "nothing to rerank"
        )
        return [i for i, _ in scored], [s for _, s in scored], report


def _missing(modality_of: Callable[[int], str], count: int, takes: set[str]) -> str:
    return ", ".join(sorted({modality_of(i) for i in range(count)} - takes))


def _pairs(
    query: str, items: Sequence[int], media_of: Callable[[int], Any]
) -> list[tuple[int, tuple[str, Any]]]:
    pairs = []
    for i in items:
        try:
            pairs.append((i, (query, media_of(i))))
        except MediaError as exc:  # the file changed or vanished since it was indexed
            log.info("not reranking %s: %s", exc.path, exc.reason)
    return pairs
