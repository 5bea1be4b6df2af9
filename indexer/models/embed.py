"""A narrow wrapper around one sentence-transformers model: one embedding space.

The model loads lazily, once, under a lock. Encoders return normalised, contiguous float32
arrays whatever the model's dtype, cut to the space's dims where it keeps fewer. Media are
always passed as decoded objects: a path string would be embedded as text.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from indexer.errors import ModelLoadError
from indexer.media.segment import CLIP_PROCESSING, MediaSegment, model_input
from indexer.models.loading import load_model, load_reason, model_digest, resolve_device
from indexer.models.model_thread import TorchThread
from indexer.models.query_tower import CARD, QueryTower
from indexer.models.text_tower import quantize_text_towers
from indexer.models.translator import Translator
from indexer.space_spec import SpaceSpec

log = logging.getLogger(__name__)


T = TypeVar("T")
QUERY_CACHE = 256  # query texts whose vectors are kept


def default_batch_size(device: str) -> int:
    """Large batches keep a GPU busy; on a CPU they only cost memory."""
    return 128 if device.startswith("cuda") else 32


class Embedder:
    """Encodes text and media into one space's vectors."""

    def __init__(
        self,
        spec: SpaceSpec,
        device: str = "auto",
        batch_size: int = 0,
        models: TorchThread | None = None,
        towers: Path | None = None,
        translator: Translator | None = None,
    ) -> None:
        """`models`: the engine's model thread, which every model call goes through (see
        torch_thread.py); None runs them on the calling thread. `towers`: the folder where
        query towers are kept (query_tower.py); None embeds queries with the model alone.
        `translator`: puts queries that are not English into English first (translator.py)."""
        self.spec = spec
        self._models = models
        self._towers = towers
        self._translator = translator
        self._tower: QueryTower | None = None
        self._tower_looked = False
        self._tower_lock = threading.Lock()  # not the model's: a search must not wait for a load
        self._export: subprocess.Popen | None = None  # the child exporting the tower, while it runs
        self._device_preference = device
        self._batch_size = batch_size
        self.batch_size = batch_size  # 0 until the model loads: then chosen for its device
        self._model: Any = None
        self._lock = threading.Lock()
        # (query path, text) → vector, least recent first: a query typed before the translator was
        # ready is embedded again, translated, once it is
        self._queries: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        queries = spec.text_queries()  # a query model of its own embeds text queries, when it loads
        self._text = Embedder(queries, device, batch_size, models, towers) if queries else None

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._on_model_thread(self._load)
        return self._model

    def _on_model_thread(self, work: Callable[[], T], urgent: bool = False) -> T:
        return work() if self._models is None else self._models.run(work, urgent)

    def _load(self) -> Any:
        from sentence_transformers import SentenceTransformer

        device = resolve_device(self._device_preference)
        self.batch_size = self._batch_size or default_batch_size(device)
        log.info("Loading the %s model %s on %s…", self.spec.name, self.spec.model, device)
        try:
            model: Any = load_model(SentenceTransformer, self.spec.model, self.spec.revision, device)
        except Exception as exc:  # the hub and transformers raise many types; all mean "not loaded"
            raise ModelLoadError(self.spec.model, self.spec.name, load_reason(exc, self.spec.model)) from exc
        missing = sorted(self.spec.inputs - set(model.modalities))
        if missing:
            raise ModelLoadError(
                self.spec.model,
                self.spec.name,
                f"it takes {', '.join(sorted(model.modalities))} but not {', '.join(missing)}; "
                f"choose a model that embeds {' and '.join(sorted(self.spec.inputs))}",
            )
        if "text" in model.modalities:
            self._export_tower()
            if self._translator is not None:
                self._translator.prepare()
        if device == "cpu":
            quantize_text_towers(model)
        return model

    def _tower_folder(self) -> Path | None:
        """Named for what the model is: a model replaced in place gets a tower of its own."""
        digest = model_digest(self.spec.model, self.spec.revision) if self._towers else None
        return self._towers / digest if self._towers and digest else None

    @property
    def query_tower(self) -> QueryTower | None:
        """The exported text tower, opened at first use (and again once an export this
        embedder started has ended); None when there is none yet."""
        if self._text is not None:
            return self._text.query_tower
        if self._export is not None and self._export.poll() is not None:
            self._export, self._tower_looked = None, False
        if not self._tower_looked:
            with self._tower_lock:
                if not self._tower_looked:
                    folder = self._tower_folder()
                    self._tower = QueryTower.find(folder) if folder else None
                    self._tower_looked = True
        made = self._model.get_embedding_dimension() if self._model is not None else None
        if self._tower is not None and made is not None and self._tower.dim != made:
            log.warning("The query tower of %s is another model's: its model answers.", self.spec.model)
            self._tower = None  # an export that raced a model replaced in place (before digests)
        return self._tower

    def _export_tower(self) -> None:
        """Start exporting the text tower, once, if this space answers text and has none."""
        if self._text is not None:
            self._text._export_tower()
            return
        folder = self._tower_folder()
        if folder is None or "text" not in self.spec.answers or (folder / CARD).exists():
            return
        from indexer.models.query_tower_child import start_export

        self._export = start_export(self.spec.model, self.spec.revision, folder, digest=folder.name)

    def tower_ready(self, wait_s: float = 0.0) -> bool:
        """Whether queries are embedded by the query tower, waiting up to `wait_s` for an
        export this embedder started (and its translator's conversion)."""
        if self._translator is not None and wait_s > 0:
            self._translator.wait(wait_s)
        if self._text is not None:
            return self._text.tower_ready(wait_s)
        export = self._export
        if export is not None and wait_s > 0:
            with contextlib.suppress(subprocess.TimeoutExpired):  # still exporting: the model answers
                export.wait(wait_s)
        return self.query_tower is not None

    def ready_for_queries(self) -> bool:
        """Text queries can be embedded: by the query tower, without loading torch, or else by
        the model, loaded now (ModelLoadError when it does not load)."""
        if self._text is not None:
            return self._queried(lambda text: text.ready_for_queries(), lambda: self.model is not None)
        return self.query_tower is not None or self.model is not None

    @property
    def query_identity(self) -> str:
        """What embeds this space's text queries now: its query model, or the model itself
        (a cohort of queries embedded by one is no cohort for the other)."""
        identity = self._text.spec.identity if self._text is not None else self.spec.identity
        translator = self._translator
        return f"{identity}+{translator.identity}" if translator and translator.ready() else identity

    def _queried(self, ask: Callable[[Embedder], T], otherwise: Callable[[], T]) -> T:
        """`ask` of the query model; where it does not load (offline, never downloaded), the
        space's own text tower answers from then on, in English only."""
        text = self._text
        if text is not None:
            try:
                return ask(text)
            except ModelLoadError as exc:
                log.warning(
                    "%s Text queries of the %s space are embedded by its own model.", exc, self.spec.name
                )
                self._text = None
        return otherwise()

    @property
    def modalities(self) -> frozenset[str]:
        return frozenset(self.model.modalities)

    def supports(self, modality: str) -> bool:
        return modality in self.modalities

    @property
    def dim(self) -> int:
        tower = self.query_tower if self._model is None else None  # a query model's, where it has one
        return self.model_dim if tower is None else self._kept(tower.dim)

    @property
    def model_dim(self) -> int:
        """The dimension of the model's own vectors, as kept (loads it): what a space holds."""
        return self._kept(int(self.model.get_embedding_dimension()))

    def _kept(self, made: int) -> int:
        return min(made, self.spec.dims or made)

    @property
    def sampling_rate(self) -> int | None:
        """The audio rate the model's feature extractor expects, if it takes audio."""
        if not self.supports("audio"):
            return None
        extractor = getattr(self.model[0].processor, "feature_extractor", None)
        return int(getattr(extractor, "sampling_rate", 48_000))

    def _finish(self, vectors: Any) -> np.ndarray:
        """float32, cut to the space's dims and unit length again (a Matryoshka model's first
        dimensions are a smaller embedding of their own)."""
        out = np.asarray(vectors, dtype=np.float32)
        if self.spec.dims is not None and out.shape[-1] > self.spec.dims:
            out = out[..., : self.spec.dims]
            out = out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-12)
        return np.ascontiguousarray(out, dtype=np.float32)

    def encode_text(self, texts: Sequence[str], remember: bool = True) -> np.ndarray:
        """Text as a query (the model's query prompt applies). Recent queries are remembered:
        search-as-you-type sends the same text again with every filter change (`remember`
        False encodes a fixed list without pushing the user's queries out)."""
        if self._text is not None:
            return self._queried(
                lambda text: text.encode_text(texts, remember), lambda: self.encode_text(texts, remember)
            )
        path = self.query_identity
        with self._queries_lock:
            known = {t: self._queries[path, t] for t in texts if (path, t) in self._queries}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            known.update(zip(missing, self._encode_queries(missing, urgent=remember), strict=True))
        if remember:
            self._remember(path, known)
        return np.stack([known[t] for t in texts]) if texts else np.empty((0, self.dim), np.float32)

    def _encode_queries(self, texts: list[str], urgent: bool) -> np.ndarray:
        if self._translator is not None:
            texts = self._translator.to_english(texts)
        tower = self.query_tower
        if tower is not None:  # on this thread: onnxruntime needs no model thread, nor waits for it
            return self._finish(tower.encode(texts))
        model = self.model  # loading first: it settles the batch size

        def encode() -> Any:
            with _inference():
                return model.encode_query(
                    texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
                )

        return self._finish(self._on_model_thread(encode, urgent))  # a user's query goes first

    def _remember(self, path: str, known: dict[str, np.ndarray]) -> None:
        with self._queries_lock:
            for text, vector in known.items():
                self._queries[path, text] = vector
                self._queries.move_to_end((path, text))
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)

    def encode_segments(self, segments: Sequence[MediaSegment], urgent: bool = False) -> np.ndarray:
        """Decoded media of one modality, as documents; `urgent` for a search's example (it
        goes before the indexer's work)."""
        segments = list(segments)
        if not segments:
            return np.empty((0, self.dim), dtype=np.float32)
        inputs = [model_input(s) for s in segments]
        video = CLIP_PROCESSING if segments[0].modality == "video" else {}
        model = self.model  # loading first: it settles the batch size

        def encode() -> Any:
            with _inference():
                return model.encode_document(
                    inputs,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                    **({"processing_kwargs": video} if video else {}),
                )

        return self._finish(self._on_model_thread(encode, urgent))


def _inference() -> Any:
    """torch's inference mode: no autograd bookkeeping at all (a CLAP text query took 80 ms
    under sentence-transformers' no_grad alone, 60 ms in it)."""
    import torch  # not at import time: the window opens before torch loads

    return torch.inference_mode()
