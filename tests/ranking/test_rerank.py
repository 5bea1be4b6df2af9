"""The second stage: a (tiny, random) multimodal cross-encoder reorders the top results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer import Query, build_engine
from indexer.media.excerpt import excerpt
from indexer.search.rerank import Candidate, Reranker
from tests.ranking.conftest import trained_settings
from tests.support.models import build_tiny_reranker


@pytest.fixture(scope="module")
def tiny_reranker(tmp_path_factory):
    return build_tiny_reranker(tmp_path_factory.mktemp("models") / "tiny-reranker")


@pytest.fixture(scope="module")
def reranking(tmp_path_factory, eval_folder, tiny_reranker):
    settings = trained_settings(
        tmp_path_factory.mktemp("rr") / "data", reranker=str(tiny_reranker), rerank_top=6
    )
    with build_engine(settings) as engine:
        engine.index([eval_folder.root])
        yield engine


def test_the_top_results_follow_the_cross_encoders_scores(reranking):
    from sentence_transformers import CrossEncoder

    query = Query(text="a red circle", kinds=frozenset({"photo", "video"}), show_all=True, limit=10)
    first_stage = reranking.search(replace(query, rerank=False))
    response = reranking.search(query)
    assert response.rerank is not None and response.rerank.scored == 6, response.rerank
    model = CrossEncoder(reranking.settings.reranker, device="cpu")
    pairs = [
        (query.text, excerpt(r.path, r.modality, r.t, r.start, r.end, reranking.extract_options))
        for r in first_stage[:6]
    ]
    expected = sorted(
        zip(model.predict(pairs), [r.segment_id for r in first_stage[:6]], strict=True), reverse=True
    )
    by_segment = {sid: float(score) for score, sid in expected}
    reranked = response[:6]
    assert {r.segment_id for r in reranked} == set(by_segment)  # the same top 6, re-scored…
    assert all(r.rerank_score == pytest.approx(by_segment[r.segment_id], abs=1e-5) for r in reranked)
    assert [r.rerank_score for r in reranked] == sorted((r.rerank_score for r in reranked), reverse=True)
    assert [r.segment_id for r in response[6:]] == [r.segment_id for r in first_stage[6:]]
    assert all(r.rerank_score is not None for r in response[:6])


def test_reranking_is_bounded_and_says_why_it_did_not_run(reranking, tmp_path):
    reranking.reranker.budget_s = 0.0
    try:
        skipped = reranking.search(Query(text="a red circle", kinds=frozenset({"photo"}), show_all=True))
    finally:
        reranking.reranker.budget_s = 3.0
    assert skipped.rerank.scored == 0 and "budget" in skipped.rerank.summary() and skipped.results
    missing = Reranker(str(tmp_path / "no-such-model"), "cpu")
    order, _, report = missing.rerank("a red circle", [Candidate("image", False)] * 3, lambda i, m: None)
    assert order == [] and "did not load" in report.summary() and "no-such-model" in report.summary()
    off = Reranker("none", "cpu").rerank("x", [Candidate("image", False)], lambda i, m: None)[2]
    assert off.summary() == "not reranked: reranking is turned off"


def test_a_result_the_reranker_could_not_score_keeps_its_place():
    """It used to sink below every scored result: a 6σ audio hit under a vision reranker went
    from first to last."""
    from pathlib import Path

    from indexer.search.order import place_reranked
    from indexer.search.searcher import SearchResult

    results = [
        SearchResult(Path(f"/m/{n}"), "photo", "image", 5.0 - i, 0.5, "image", None, None, None, i)
        for i, n in enumerate("abcd")
    ]
    audio_first = [replace(results[0], kind="audio", modality="audio"), *results[1:]]
    placed = place_reranked(audio_first, {1: 0.1, 2: 0.7, 3: 0.9})  # 0 could not be scored
    assert [r.path.name for r in placed] == ["a", "d", "c", "b"]
    assert placed[0].rerank_score is None and [r.rerank_score for r in placed[1:]] == [0.9, 0.7, 0.1]
