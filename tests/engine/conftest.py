"""Queries whose answers two engines over the same corpus must agree on."""

from __future__ import annotations

import pytest

from indexer import Query
from tests.conftest import VIDEO_SCENES, Corpus, scene_query


@pytest.fixture
def queries(corpus: Corpus, query_dir) -> list[Query]:
    photos = [Query(examples=(photo,)) for photo in corpus.photos]
    frames = [Query(examples=(scene_query(query_dir, s),)) for s in VIDEO_SCENES[::3]]
    return [*photos, *frames, Query(text="a bright tone"), Query(text="noise", kinds=("audio",))]
