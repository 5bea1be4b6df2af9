"""Queries into English, for a space whose text tower reads English only (CLAP): "Hundegebell"
or "犬の鳴き声" reaches the sound space as "a dog barking".

OPUS-MT's many-to-English Marian model (Helsinki-NLP/opus-mt-mul-en, CC-BY 4.0) on CTranslate2,
int8, one thread, with its own SentencePiece vocabularies: no torch at query time. It is
converted once, in a child process (query_tower_child.py: CTranslate2's converter corrupts the
heap of a process that then translates), into the cache folder, named for the model's digest.
Until then, and wherever it cannot be had, queries go as typed (and a query in a language the
space cannot read is judged as such: calibrate.py). Only text that is not English is
translated; a translation is remembered for the session.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from indexer.models.translator_convert import CARD, VOCABULARIES, conversion_folder

log = logging.getLogger(__name__)

REMEMBERED = 512  # translations kept
MAX_TOKENS = 64  # a query is short; a longer one is cut, as the text towers cut it
BATCH = 32


class Translator:
    """Translates what `is_english` says is not English; `folder` holds the conversions."""

    def __init__(
        self, model: str, revision: str | None, folder: Path, is_english: Callable[[str], bool]
    ) -> None:
        self.model = model
        self._revision = revision
        self._folder = folder
        self._is_english = is_english
        self._conversion: subprocess.Popen | None = None
        self._target: Path | None = None  # where its conversion lies, once known
        self._broken = False  # its conversion did not load
        self._loaded: tuple[Any, Any, Any] | None = None
        self._lock = threading.Lock()
        self._known: OrderedDict[str, str] = OrderedDict()

    @property
    def identity(self) -> str:
        return f"{self.model}@{self._revision or 'default'}"

    def _converted(self) -> Path | None:
        """Asked with every search until the conversion loads: a folder's digest is worked
        out once (it reads every file of the model)."""
        if self._target is None:
            self._target = conversion_folder(self._folder, self.model, self._revision)
        return self._target

    def prepare(self) -> None:
        """Start converting the model, once, if it is not converted yet (the child downloads
        it where needed, and says why it could not in export.log beside the conversions)."""
        target = self._converted()
        if (target is not None and (target / CARD).exists()) or self._conversion is not None:
            return
        from indexer.models.query_tower_child import start_export

        self._conversion = start_export(self.model, self._revision, self._folder, job="translator")

    def wait(self, wait_s: float) -> None:
        """Wait up to `wait_s` for a conversion this translator started."""
        conversion = self._conversion
        if conversion is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):  # still converting: queries go as typed
                conversion.wait(wait_s)

    def ready(self) -> bool:
        """Whether queries are translated now (the conversion is there and loads)."""
        return self._load() is not None

    def to_english(self, texts: Sequence[str]) -> list[str]:
        """Each text in English: as it is where it is English already, or where no
        translation can be had yet."""
        wanted = [t for t in dict.fromkeys(texts) if t not in self._known and not self._is_english(t)]
        if wanted and self._load() is not None:
            for start in range(0, len(wanted), BATCH):
                chunk = wanted[start : start + BATCH]
                self._remember(dict(zip(chunk, self._translate(chunk), strict=True)))
        return [self._known.get(t, t) for t in texts]

    def _remember(self, pairs: dict[str, str]) -> None:
        with self._lock:
            self._known.update(pairs)
            while len(self._known) > REMEMBERED:
                self._known.popitem(last=False)

    def _load(self) -> tuple[Any, Any, Any] | None:
        if self._loaded is not None:
            return self._loaded
        target = self._converted()
        if target is None or self._broken or not (target / CARD).exists():
            return None
        with self._lock:
            if self._loaded is None and not self._broken:
                try:
                    self._loaded = _open(target)
                except Exception as exc:  # a damaged conversion: queries go as typed, said once
                    log.warning(
                        "The query translator in %s does not load (%s); delete it to convert again.",
                        target,
                        exc,
                    )
                    self._broken = True
        return self._loaded

    def _translate(self, texts: list[str]) -> list[str]:
        translator, source, target = self._loaded  # type: ignore[misc]
        pieces = [[*source.encode(t, out_type=str)[: MAX_TOKENS - 1], "</s>"] for t in texts]
        longest = decoding_limit(max(len(p) for p in pieces))
        # Greedy: a beam of 2 costs twice as much, for a query of a few words.
        results = translator.translate_batch(pieces, beam_size=1, max_decoding_length=longest)
        english = [target.decode(r.hypotheses[0]).strip() for r in results]
        for text, said in zip(texts, english, strict=True):
            log.debug("query %r in English: %r", text, said)
        return english


def decoding_limit(pieces: int) -> int:
    """The most pieces written for a query of `pieces`: a translation is not much longer."""
    return min(MAX_TOKENS, 2 * pieces + 8)


def _open(folder: Path) -> tuple[Any, Any, Any]:
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(
        str(folder), device="cpu", compute_type="int8", inter_threads=1, intra_threads=1
    )
    source, target = (sentencepiece.SentencePieceProcessor(model_file=str(folder / v)) for v in VOCABULARIES)
    return translator, source, target
