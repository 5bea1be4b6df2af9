"""How a space is declared: a name, a model, the segment kinds it embeds and the query kinds
it answers.

The name is the user's (`image`, `audio`, `words`…); what the space does is what it declares.
The spaces every Framefind has keep their own settings (`image_model`, `audio_model`,
`words_model`) and take their declaration from the preset of their name; any other space is
declared in full in the settings file's `spaces` object, e.g.
`{"spaces": {"faces": {"model": "…", "embeds": ["photo"], "answers": ["text", "image"]}}}`.

A space may take its text queries from a model of their own (`query_model`): a text model
trained into the space's vectors, such as a multilingual student distilled from CLIP's
English text tower, which reads 50+ languages while the pictures keep their vectors.

A space may keep fewer dimensions than its model makes (`dims`): a Matryoshka-trained model
(Qwen3-VL-Embedding) puts the most in the first ones, so its vectors are cut there and made
unit length again, which keeps the index small at a small loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.errors import FramefindError
from indexer.media.segment import AUDIO_WINDOW, CLIP, FRAME, INPUT_OF, LINE, PHOTO

SEGMENT_KINDS = frozenset(INPUT_OF)  # what a space may embed
QUERY_KINDS = frozenset({"text", "image", "audio"})  # what a search may ask with
PRESETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # name → (embeds, answers)
    "image": ((FRAME, PHOTO), ("image", "text")),
    "audio": ((AUDIO_WINDOW,), ("audio", "text")),
    "words": ((LINE,), ("text",)),  # what is said, by meaning (the words index's other half)
    "vlm": ((CLIP, PHOTO), ("image", "text")),  # a video-language model: clips as video, photos
}
# Qwen3-VL-Embedding's vectors kept at 1024 dimensions (of 2048 for the 2B, 4096 for the 8B):
# 4 KB a clip; its report gives 1024 most of the full-size retrieval score.
PRESET_DIMS = {"vlm": 1024}
FIELDS = {"model", "revision", "embeds", "answers", "query_model", "dims"}


@dataclass(frozen=True)
class SpaceSpec:
    """One embedding space the user asked for; `model` a hub id or a local folder. `embeds` and
    `answers` left empty take the preset of `name`."""

    name: str
    model: str
    revision: str | None = None
    embeds: tuple[str, ...] = field(default=())
    answers: tuple[str, ...] = field(default=())
    query_model: str | None = None  # what embeds its text queries; None: `model` itself
    dims: int | None = None  # the dimensions kept; None: all the model makes (a preset's: its own)

    def __post_init__(self) -> None:
        if self.dims is None:
            object.__setattr__(self, "dims", PRESET_DIMS.get(self.name))
        if self.dims is not None and (type(self.dims) is not int or self.dims < 1):
            raise FramefindError(
                f"The space {self.name!r} must keep a whole, positive number of dims; got {self.dims!r}."
            )
        preset = PRESETS.get(self.name)
        if not self.embeds and not self.answers and preset is not None:
            object.__setattr__(self, "embeds", preset[0])
            object.__setattr__(self, "answers", preset[1])
        if not self.embeds or not self.answers:
            raise FramefindError(
                f"The space {self.name!r} must say what it embeds (some of {_listed(SEGMENT_KINDS)}) "
                f"and what it answers (some of {_listed(QUERY_KINDS)})."
            )
        for kinds, known, what in (
            (self.embeds, SEGMENT_KINDS, "embed"),
            (self.answers, QUERY_KINDS, "answer"),
        ):
            unknown = set(kinds) - known
            if unknown:
                raise FramefindError(
                    f"The space {self.name!r} cannot {what} {_listed(unknown)}; known: {_listed(known)}."
                )
        object.__setattr__(self, "embeds", tuple(sorted(set(self.embeds))))
        object.__setattr__(self, "answers", tuple(sorted(set(self.answers))))

    @property
    def identity(self) -> str:
        """What makes two spaces the same: the resolved model, its revision and the dimensions
        kept (not the query model, which changes no stored vector)."""
        cut = f"{DIMS_MARK}{self.dims}" if self.dims else ""
        return f"{_resolved(self.model)}@{self.revision or 'default'}{cut}"

    def text_queries(self) -> SpaceSpec | None:
        """The space of its query model, which embeds text alone; None when it has none."""
        if self.query_model is None or "text" not in self.answers:
            return None
        return SpaceSpec(self.name, self.query_model, embeds=(LINE,), answers=("text",), dims=self.dims)

    def reads(self, modality: str) -> bool:
        """Whether some segment kind it embeds is of this modality ("image", "audio")."""
        return any(INPUT_OF[k] == modality for k in self.embeds)

    @property
    def inputs(self) -> frozenset[str]:
        """What its encoder must read: the modalities of the segments it embeds, and of its
        queries (text ones left to the query model, where it has one)."""
        queries = set(self.answers) - ({"text"} if self.text_queries() else set())
        return frozenset(INPUT_OF[k] for k in self.embeds) | frozenset(queries)


DIMS_MARK = "~"


def dims_in(identity: str) -> int | None:
    """The dimensions a space's identity says it keeps; None: all."""
    _, mark, dims = identity.rpartition(DIMS_MARK)
    return int(dims) if mark and dims.isdigit() else None


def _resolved(model: str) -> str:
    path = Path(model).expanduser()
    return str(path.resolve()) if path.exists() else model


def _listed(kinds: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(kinds))


def declared_spaces(value: Mapping[str, Any]) -> tuple[SpaceSpec, ...]:
    """The spaces of the settings file's `spaces` object (FramefindError names what is wrong)."""
    specs = []
    for name, entry in value.items():
        if name in PRESETS:
            raise FramefindError(f"The space {name!r} is set by '{name}_model', not in 'spaces'.")
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("model"), str)
            or not isinstance(entry.get("query_model", ""), str)
            or set(entry) - FIELDS
        ):
            raise FramefindError(
                f"The space {name!r} must be an object with a model and, optionally, revision, embeds, "
                f"answers, query_model and dims; got {entry!r}."
            )
        specs.append(
            SpaceSpec(
                name,
                entry["model"],
                entry.get("revision"),
                tuple(entry.get("embeds", ())),
                tuple(entry.get("answers", ())),
                entry.get("query_model"),
                entry.get("dims"),
            )
        )
    return tuple(specs)


def spaces_declared(value: Any) -> bool:
    """The settings-file rule: whether `value` declares spaces correctly."""
    try:
        declared_spaces(value)
    except FramefindError:
        return False
    return True
