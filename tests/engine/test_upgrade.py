"""A data folder written before spaces were declared by what they embed (catalog schema 5, as
that version wrote it) opens, searches and indexes with today's code, without embedding again."""

from __future__ import annotations

import sqlite3

from indexer import Query, build_engine
from indexer.catalog.db import migrations
from tests.engine.test_index_search import assert_consistent
from tests.support.legacy import downgrade_to_schema_5
from tests.support.media import write_photo


def _kinds(catalog_path) -> dict[tuple[str, str], set[str]]:
    """(file kind, modality) → the segment kinds recorded for them."""
    db = sqlite3.connect(catalog_path)
    rows = db.execute(
        "SELECT f.kind, s.modality, s.kind FROM segments s JOIN files f ON f.id = s.file_id"
    ).fetchall()
    db.close()
    found: dict[tuple[str, str], set[str]] = {}
    for kind, modality, segment_kind in rows:
        found.setdefault((kind, modality), set()).add(segment_kind)
    return found


def test_a_schema_5_data_folder_is_searched_and_indexed_as_it_was(settings, corpus):
    queries = [Query(text="red"), Query(text="a tone"), Query(examples=(next(iter(corpus.photos)),))]
    with build_engine(settings) as engine:
        engine.index([corpus.root])
        before = [[(r.path, r.t) for r in engine.search(q)] for q in queries]
    downgrade_to_schema_5(settings.catalog_path)
    with build_engine(settings) as engine:
        assert engine.catalog.schema_version == len(migrations())
        assert _kinds(settings.catalog_path) == {
            ("photo", "image"): {"photo"},
            ("video", "image"): {"frame"},
            ("video", "audio"): {"audio_window"},
            ("audio", "audio"): {"audio_window"},
        }
        embeds = {r.name: r.embeds for r in engine.catalog.spaces.all()}
        assert embeds == {"image": ("frame", "photo"), "audio": ("audio_window",)}
        assert [[(r.path, r.t) for r in engine.search(q)] for q in queries] == before
        assert engine.index([corpus.root]).segments == 0  # nothing embedded again
        new = write_photo(corpus.root / "photos" / "new.png", 3)
        assert engine.index([corpus.root]).segments == 1
        assert new in {r.path for r in engine.search(Query(examples=(new,))).results}
        assert_consistent(engine)
