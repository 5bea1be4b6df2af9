"""Second stage: a sentence-transformers CrossEncoder re-scores the top results.

A cross-encoder sees the query and the document together (the photo, the video frame at
the moment's best time, the audio of the moment), so it judges relevance far better than
comparing two separately made vectors, at a cost per result. It is therefore optional,
limited to the top N, and limited in time: results it did not reach keep their order after
the ones it scored, and the report says what happened.

Default ("auto"): Qwen3-VL-Reranker (text, images, video) on a CUDA GPU, the 8B or the 2B by
the memory the video-language space leaves (models/hardware.py); nothing otherwise, because on
a CPU or a small GPU a multimodal reranker takes seconds per result and a search must answer
in about one. The 8B is given a video moment as the clip around it (it sees the motion the
query may describe); the 2B, which gains nothing on video retrieval, its frame. Any
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
from indexer.media.segment import CLIP_PROCESSING
from indexer.models.hardware import NEEDS_GIB, NO_GAIN_ON_VIDEO, RERANKER_2B, auto_reranker, gpu_memory_gib
from indexer.models.loading import load_model, load_reason, resolve_device
from indexer.models.model_thread import TorchThread

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Choice:
    """The reranker a setting gives: a model, or None and why; `clips`: whether a video
    moment is given to it as the clip around it (else as its frame)."""

    model: str | None
    unavailable: str | None = None
    clips: bool = False


@dataclass(frozen=True)
class Candidate:
    """What the reranker needs to know of a result to choose the media it is given."""

    modality: str  # what found it: image, audio, video (a clip)
    timed: bool  # a moment of a video or recording, not a photo


def choose_model(
    setting: str, device: str, beside: str | None = None, memory_gib: float | None = None
) -> Choice:
    """The reranker of a `reranker` setting on `device`, beside the vlm space's model
    `beside`; `memory_gib` the GPU's (None: asked)."""
    if setting == "none":
        return Choice(None, "reranking is turned off")
    if setting != "auto":
        return Choice(setting, clips=setting not in NO_GAIN_ON_VIDEO)
    if not device.startswith("cuda"):
        return Choice(None, f"no GPU: set a reranker model to rerank on {device} anyway (seconds per result)")
    memory = memory_gib if memory_gib is not None else _cuda_memory_gib()
    model = auto_reranker(memory, beside)
    if model is None:
        beside_vlm = " beside the video-language model" if beside else ""
        return Choice(
            None,
            f"the GPU has {memory:.0f} GB; the smallest reranker wants "
            f"{NEEDS_GIB[RERANKER_2B]:.0f} GB{beside_vlm}",
        )
    return Choice(model, clips=model not in NO_GAIN_ON_VIDEO)


def _cuda_memory_gib() -> float:
    memory = gpu_memory_gib()
    if memory is None:  # not NVIDIA's tool (a container without it): torch knows
        import torch

        memory = torch.cuda.get_device_properties(0).total_memory / 2**30
    return memory


class Reranker:
    """One CrossEncoder, loaded lazily on first use; a load failure is reported, not raised."""

    def __init__(
        self,
        setting: str,
        device: str = "auto",
        budget_s: float = 3.0,
        top: int = 20,
        models: TorchThread | None = None,
        beside: str | None = None,
    ) -> None:
        """`beside`: the vlm space's model, which `auto` leaves its memory to."""
        self._models = models  # the engine's model thread (see torch_thread.py); None: this thread
        self._device = resolve_device(device)
        choice = choose_model(setting, self._device, beside)
        self.model_id, self._unavailable, self.clips = choice.model, choice.unavailable, choice.clips
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

    def given(self, candidate: Candidate, takes: set[str]) -> str | None:
        """The media a result is given as (image, audio, video), None where the model takes
        none of them: a video moment as its clip where this reranker gains from clips."""
        if candidate.modality == "audio":
            wanted = "audio"
        elif candidate.timed and self.clips and "video" in takes:
            wanted = "video"
        else:
            wanted = "image"  # a photo, or a video moment's frame (a clip's middle one)
        return wanted if wanted in takes else None

    def rerank(
        self, query: str, candidates: Sequence[Candidate], media_of: Callable[[int, str], Any]
    ) -> tuple[list[int], list[float], RerankReport]:
        """Re-score the candidates (best first) by index; `media_of(i, modality)` decodes one.
        Returns (new order of the scored prefix, their scores, report). Items the model
        cannot take, or cannot decode, are left out."""
        started = time.perf_counter()
        considered = min(len(candidates), self.top)
        model = self._load()
        if model is None:
            return [], [], RerankReport(None, 0, considered, 0.0, self._unavailable)
        takes = set(getattr(model, "modalities", ("text",)))
        given = {i: m for i in range(considered) if (m := self.given(candidates[i], takes))}
        left = sorted({candidates[i].modality for i in range(considered) if i not in given})
        note = f"it does not take {', '.join(left)}" if left else None
        scored: list[tuple[int, float]] = []
        wanted = list(given)
        for first in range(0, len(wanted), BATCH):
            if time.perf_counter() - started > self.budget_s:
                note = f"stopped at the {self.budget_s:g} s budget"
                break
            batch = _pairs(query, [(i, given[i]) for i in wanted[first : first + BATCH]], media_of)
            pairs, clips = _clips_beside([pair for _, pair in batch])
            predict = partial(model.predict, pairs, batch_size=BATCH, show_progress_bar=False, **clips)
            scores = self._on_model_thread(predict, urgent=True)
            scored += [(i, float(s)) for (i, _), s in zip(batch, scores, strict=True)]
        scored.sort(key=lambda p: -p[1])
        seconds = time.perf_counter() - started
        report = RerankReport(
            self.model_id, len(scored), considered, seconds, note if scored else note or "nothing to rerank"
        )
        return [i for i, _ in scored], [s for _, s in scored], report


def _clips_beside(pairs: list[tuple[str, Any]]) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    """The pairs with each clip as its frames, and the keyword arguments that give the clips'
    timing: Sentence Transformers takes a clip's metadata inside one input, not inside a pair."""
    timing = []
    out = []
    for query, media in pairs:
        if isinstance(media, dict) and "video_metadata" in media:
            timing.append(media["video_metadata"])
            media = media["array"]
        out.append((query, media))
    if not timing:
        return out, {}
    return out, {"processing_kwargs": {"video": {**CLIP_PROCESSING["video"], "video_metadata": timing}}}


def _pairs(
    query: str, items: Sequence[tuple[int, str]], media_of: Callable[[int, str], Any]
) -> list[tuple[int, tuple[str, Any]]]:
    pairs = []
    for i, modality in items:
        try:
            pairs.append((i, (query, media_of(i, modality))))
        except MediaError as exc:  # the file changed or vanished since it was indexed
            log.info("not reranking %s: %s", exc.path, exc.reason)
    return pairs
