"""Exporting a loaded model's text tower to ONNX (int8), once, for queries (query_tower.py).

This runs in a child process of its own (query_tower_child.py), never in the app's. The
export is checked before it is kept: the tokenizer alone must give the model's own token ids,
and the int8 graph the model's own query vectors (cosine ≥ MIN_COSINE) on texts in several
scripts and lengths. A model that fails either keeps answering queries through torch.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from indexer.models.query_tower import CARD, GRAPH, OUTPUT, TOKENIZER, QueryTokens, QueryTower, TowerCard

log = logging.getLogger(__name__)

MIN_COSINE = 0.99  # int8 weights: 0.995–0.9999 on the models tried
PROBES = (
    "a red circle",
    "the bee on the pink flower",
    "Applause after the SPEECH!",
    "café au lait, crème brûlée",
    "Straßenbahn in München",
    "北京的天气很好",
    "東京タワーの夜景",
    "서울의 밤",
    "مرحبا بالعالم",
    "Привет, мир",
    "x",
    "a long query " * 40,  # past CLIP's 77 tokens: truncation must agree
)


def export_query_tower(model: Any, folder: Path) -> bool:
    """Write the text tower of `model` (a float sentence-transformers model on the CPU) into
    `folder`; False, logged, when this model's tower cannot be exported faithfully."""
    tokenizer = _fast_tokenizer(model)
    if tokenizer is None:
        log.info("No query tower for %s: its tokenizer has no fast (Rust) form.", folder.name)
        return False
    work: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
        card = _write(model, tokenizer, work)
        if card is None or not _agrees(model, work, card):
            return False
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
        log.info("Queries of %s are now embedded without torch (%s).", folder.name, folder)
        return True
    except Exception as exc:  # an architecture the exporter cannot trace; a full or read-only disk
        log.info("No query tower for %s: %s", folder.name, exc)
        return False
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _fast_tokenizer(model: Any) -> Any:
    processor = getattr(model[0], "processor", None)
    tokenizer = getattr(processor, "tokenizer", processor)
    return tokenizer if getattr(tokenizer, "backend_tokenizer", None) is not None else None


def _write(model: Any, tokenizer: Any, work: Path) -> TowerCard | None:
    import torch

    prompt = (model.prompts or {}).get("query", "")
    sample = model[0].preprocess([prompt + "a red circle", prompt + "two words"], prompt=None)
    names = tuple(k for k, v in sample.items() if isinstance(v, torch.Tensor))
    limit = getattr(tokenizer, "model_max_length", None)
    card = TowerCard(
        dim=int(model.get_embedding_dimension()),
        inputs=names,
        prompt=prompt,
        max_length=int(limit) if isinstance(limit, int) and limit < 1_000_000 else None,
        pad_id=int(tokenizer.pad_token_id or 0),
    )
    tokenizer.backend_tokenizer.save(str(work / TOKENIZER))
    if not _same_tokens(model, QueryTokens(work, card)):
        return None
    graph = work / "float.onnx"
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {OUTPUT: {0: "batch"}}
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on constants it keeps
        torch.onnx.export(
            _TextGraph(model, names).eval(),
            tuple(sample[n] for n in names),
            str(graph),
            input_names=list(names),
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quantizer_quiet():
        quantize_dynamic(graph, work / GRAPH, weight_type=QuantType.QInt8)
    graph.unlink()
    (work / CARD).write_text(card.to_json(), encoding="utf-8")
    return card


class _TextGraph:
    """Token tensors → the model's normalised query vector, as one traceable module."""

    def __new__(cls, model: Any, names: tuple[str, ...]) -> Any:
        import torch

        class TextGraph(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
                features = dict(zip(names, tensors, strict=True)) | {"modality": "text"}
                vectors = self.model(features)["sentence_embedding"]
                return torch.nn.functional.normalize(vectors, dim=-1)

        return TextGraph()


@contextmanager
def _quantizer_quiet() -> Iterator[None]:
    """onnxruntime's quantizer logs a line per tensor on the root logger; none is news."""

    def not_quantizer(record: logging.LogRecord) -> bool:
        return "quantization" not in record.pathname

    root = logging.getLogger()
    root.addFilter(not_quantizer)
    try:
        yield
    finally:
        root.removeFilter(not_quantizer)


def _probes(model: Any) -> list[str]:
    """The probes the model itself can embed (a tiny model has fewer positions than a long
    text has tokens: such a query fails through torch as well)."""
    usable = []
    for text in PROBES:
        try:
            model.encode_query([text], show_progress_bar=False)
            usable.append(text)
        except Exception:  # too long for this model: not a probe
            continue
    return usable


def _same_tokens(model: Any, tokens: QueryTokens) -> bool:
    import torch

    for text in _probes(model):
        theirs = model[0].preprocess([tokens.card.prompt + text], prompt=None)
        ours = tokens([text])
        for name in tokens.card.inputs:
            if not torch.equal(theirs[name].cpu(), torch.from_numpy(ours[name])):
                log.info("No query tower: the tokenizer alone reads %r otherwise than the model.", text)
                return False
    return True


def _agrees(model: Any, work: Path, card: TowerCard) -> bool:
    """The int8 graph gives the model's own query vectors, one by one and as a padded batch."""
    texts = _probes(model)
    tower = QueryTower(work, card)
    expected = np.asarray(
        model.encode_query(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    )
    worst = min(
        float(np.min(np.sum(expected * tower.encode(texts), axis=1))),
        min(float(expected[i] @ tower.encode([t])[0]) for i, t in enumerate(texts)),
    )
    if worst < MIN_COSINE:
        log.info("No query tower: its int8 vectors are %.3f from the model's (need %.2f).", worst, MIN_COSINE)
        return False
    return True
