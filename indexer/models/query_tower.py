"""A space's text tower for queries, without torch: ONNX (int8) and a tokenizer.

`import torch` and `import sentence_transformers` take seconds before the first query could be
embedded (6.4 s and 2.8 s here); onnxruntime and tokenizers load in a fraction of one. So the
first time a space's model loads on a CPU its text tower is exported (query_tower_export.py)
into the data folder, named for the model's digest; from then on queries are embedded here,
at once after a launch, while torch and the picture and sound towers load for indexing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

GRAPH = "text.onnx"
TOKENIZER = "tokenizer.json"
CARD = "tower.json"  # written last: a folder without it is an export a kill interrupted
FORMAT = 1
OUTPUT = "embedding"


@dataclass(frozen=True)
class TowerCard:
    """How to feed the graph as the model's own preprocessing does."""

    dim: int
    inputs: tuple[str, ...]  # input_ids, attention_mask and, for BERT-like models, token_type_ids
    prompt: str  # the model's query prompt, put before the text
    max_length: int | None  # the tokenizer's truncation, None when it has none
    pad_id: int
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(self.__dict__ | {"inputs": list(self.inputs)})

    @classmethod
    def from_json(cls, text: str) -> TowerCard:
        data = json.loads(text)
        return cls(**(data | {"inputs": tuple(data["inputs"])}))


class QueryTokens:
    """The model's tokenizer alone (tokenizers, no transformers): ids, mask and type ids."""

    def __init__(self, folder: Path, card: TowerCard) -> None:
        from tokenizers import Tokenizer

        self.card = card
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.no_padding()  # padded here, to the batch's longest, with the card's id
        if card.max_length is None:
            self._tokenizer.no_truncation()
        else:
            self._tokenizer.enable_truncation(card.max_length)

    def __call__(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Padded to the longest text, as the model's own preprocessing pads a batch."""
        encoded = self._tokenizer.encode_batch([self.card.prompt + t for t in texts])
        width = max(len(e.ids) for e in encoded)
        arrays = {name: np.zeros((len(encoded), width), np.int64) for name in self.card.inputs}
        arrays["input_ids"].fill(self.card.pad_id)
        for row, e in enumerate(encoded):
            n = len(e.ids)
            arrays["input_ids"][row, :n] = e.ids
            arrays["attention_mask"][row, :n] = e.attention_mask
            if "token_type_ids" in arrays:
                arrays["token_type_ids"][row, :n] = e.type_ids
        return arrays


class QueryTower:
    """Embeds query texts into one space, normalised, as the model's encode_query does."""

    def __init__(self, folder: Path, card: TowerCard, threads: int = 1) -> None:
        import onnxruntime

        self.card = card
        self.tokens = QueryTokens(folder, card)
        options = onnxruntime.SessionOptions()
        # One query is a few dozen tokens: one thread answers it about as fast as two, and
        # leaves the other core to the indexer.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(folder / GRAPH), options, providers=["CPUExecutionProvider"]
        )

    @classmethod
    def find(cls, folder: Path) -> QueryTower | None:
        """The tower exported into `folder`, or None when there is none (or it cannot be read:
        queries then go through the model itself, only slower to start)."""
        try:
            card = TowerCard.from_json((folder / CARD).read_text(encoding="utf-8"))
            if card.format != FORMAT:
                return None
            return cls(folder, card)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged file, an onnxruntime that cannot run it
            log.warning("The query tower in %s is not used (%s); queries use the model itself.", folder, exc)
            return None

    @property
    def dim(self) -> int:
        return self.card.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), np.float32)
        (vectors,) = self._session.run([OUTPUT], self.tokens(texts))
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))
