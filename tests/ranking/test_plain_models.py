"""Which ranking claims hold on models trained the plain way (captions only, as CLIP and CLAP
are), not only on the pair trained with unrelated texts as negatives (test_meaning.py).

Measured on the labelled folder (22 photo captions, 6 sounds, 4 gibberish queries):

| claim | negatives-trained pair | plain pair |
| --- | --- | --- |
| the described photo ranks first | 22 / 22 | 19 / 22 |
| each sound's window is found in the recording | 6 / 6 | 6 / 6 |
| gibberish is no good match | 4 / 4 | 4 / 4 |
| …with the cohort replaced by 120 random vectors | 4 / 4 | 0 / 4 |
| a real caption is called a good match | 22 / 22 | 2 / 22 |

So on plain models the cohort of generic queries is what keeps gibberish out (the tests
below fail without it), and it also calls most real captions "no good match": the floor
is too strict for them. That last row is a known weakness of calibration on such models,
not asserted here (the ranking issue takes it up).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from indexer import Query, build_engine
from indexer.engine import Engine
from indexer.search.calibrate import Calibrator
from indexer.search.cohort_languages import COHORTS
from tests.ranking.conftest import plain_settings
from tests.support.synthetic import SOUNDS

GIBBERISH = ("zzzz", "qwertyuiop", "lorem ipsum dolor sit amet", "xkcd")


@pytest.fixture(scope="module")
def plain(tmp_path_factory, eval_folder) -> Iterator[Engine]:
    with build_engine(plain_settings(tmp_path_factory.mktemp("plain") / "data")) as engine:
        engine.index([eval_folder.root])
        yield engine


class _RandomCohort(Calibrator):
    """The cohort replaced by random unit vectors: what the tests below must tell apart."""

    def cohort(self, space, language="en"):  # type: ignore[no-untyped-def]
        seed = sorted(COHORTS).index(language)
        vectors = np.random.default_rng(seed).standard_normal((120, space.embedder.dim)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_plain_models_rank_the_described_photo_first_for_most_captions(plain, eval_folder):
    photos = list(eval_folder.photos.items())[:22]
    right = sum(plain.search(Query(text=scene.caption))[0].path == path for path, scene in photos)
    assert right >= 17  # 19 measured


def test_plain_models_find_each_sound_in_the_recording(plain, eval_folder):
    for kind in eval_folder.sounds:
        best = plain.search(Query(text=SOUNDS[kind][0], kinds=frozenset({"audio"})))[0]
        assert best.path == eval_folder.recording, kind


def test_on_plain_models_the_cohort_keeps_gibberish_out(plain):
    for text in GIBBERISH:
        assert not plain.search(Query(text=text)).good_match, text


def test_on_plain_models_a_random_cohort_lets_gibberish_in(plain):
    """The contrast that shows the test above depends on the cohort: random vectors as the
    generic queries make chance look far lower than it is."""
    random_cohort = _RandomCohort(plain.catalog)
    assert any(plain.search(Query(text=text), random_cohort).good_match for text in GIBBERISH)
