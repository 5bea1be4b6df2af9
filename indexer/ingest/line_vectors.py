"""Lines into the words spaces: what is said (speech, subtitles) found by its meaning.

Every line is a segment of kind `line` (catalog migration 0009), committed with its file or
its speech piece. A space that embeds lines gets their vectors here, after they are in the
catalog: a batch of the lines it lacks, embedded and logged in one commit, then applied to
its store like any other vector change. What a space lacks is the catalog's lines less its
store's ids, so a kill, a new model or a lost checkpoint needs no bookkeeping of its own.

A words model is optional: one that cannot load (no network for its first download, `none`)
leaves words found by their letters, with a warning, for this session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.catalog import Catalog
from indexer.errors import FramefindError
from indexer.media.segment import LINE, MediaSegment
from indexer.vectors.space import Space

log = logging.getLogger(__name__)

LINE_BATCH = 64  # lines embedded per commit: a search waits for at most one batch on a CPU


@dataclass
class LineReport:
    embedded: int = 0
    drained: bool = True  # nothing is left to embed (or no space can embed it)


class LineVectors:
    """Embeds the lines the words spaces lack, while `go_on()`."""

    def __init__(self, catalog: Catalog, spaces: Sequence[Space], after_commit: Callable[[], None]) -> None:
        self._catalog = catalog
        self._spaces = [s for s in spaces if s.embeds_lines]
        self._after_commit = after_commit
        self.off: dict[str, str] = {}  # space name → why it cannot embed in this session

    def run(self, go_on: Callable[[], bool], batches: int | None = None) -> LineReport:
        report = LineReport()
        for space in self._spaces:
            if space.name in self.off:
                continue
            try:
                missing = self._missing(space)
                done = 0
                while done < len(missing) and go_on() and (batches is None or done < batches * LINE_BATCH):
                    report.embedded += self._embed(space, missing[done : done + LINE_BATCH])
                    done += LINE_BATCH
            except FramefindError as exc:  # the model cannot load: words stay found by their letters
                self.off[space.name] = str(exc)
                log.warning("%s\nWords are still found by their letters.", exc)
                continue
            report.drained &= done >= len(missing)
        return report

    def _missing(self, space: Space) -> list[int]:
        """The line segments of indexed files the space holds no vector for, in order."""
        if not space.registered and not self._catalog.segments.expected_count((LINE,)):
            return []  # no lines yet: no model to load
        space.register()
        space.repair()  # drops stray vectors; what it lacks is found below
        expected = np.fromiter(sorted(self._catalog.segments.expected_ids((LINE,))), dtype=np.int64)
        return expected[~space.store.snapshot.has(expected)].tolist()

    def _embed(self, space: Space, ids: list[int]) -> int:
        lines = self._catalog.lines.of_segments(ids)
        kept = [i for i in ids if i in lines]
        if not kept:
            return 0
        vectors = space.embedder.encode_segments([MediaSegment("text", lines[i].text) for i in kept])
        with self._catalog.transaction():
            self._catalog.log.add(space.record.id, kept, vectors)
        self._after_commit()
        return len(kept)
