"""An engine whose vectors live in Milvus (Milvus Lite here) indexes, searches, changes and
reopens exactly as one on FAISS files."""

from __future__ import annotations

import os
import shutil
import textwrap
from dataclasses import replace

import pytest

from indexer import Query, build_engine
from indexer.settings import Settings
from tests.conftest import make_settings
from tests.engine.test_index_search import assert_consistent
from tests.support.killer import DIE_ON_NTH, run_killed


def answers(engine, queries: list[Query]) -> list[list[tuple]]:
    """Ranked by raw cosine: calibration samples segment ids, which two catalogs number in
    whatever order their decode workers finish."""
    found = []
    for query in queries:
        results = engine.search(replace(query, calibrate=False))
        ranked = [(r.path, r.start, r.end, round(r.cosine, 4)) for r in results]
        # The engine ranks equal scores by path; scores equal to 4 places (FAISS and Milvus round
        # their last bits differently) by path here too.
        found.append(sorted(ranked, key=lambda r: (-r[3], str(r[0]), r[1] or 0.0)))
    return found


def both(tmp_path, tiny_clip, tiny_clap) -> tuple[Settings, Settings]:
    faiss = make_settings(tmp_path / "faiss", tiny_clip, tiny_clap)
    return faiss, replace(make_settings(tmp_path / "milvus", tiny_clip, tiny_clap), store="milvus:vectors.db")


def test_milvus_finds_what_faiss_finds_after_indexing_a_change_and_a_reopening(
    tmp_path, tiny_clip, tiny_clap, corpus, queries
):
    on_faiss, on_milvus = both(tmp_path, tiny_clip, tiny_clap)
    with build_engine(on_faiss) as faiss, build_engine(on_milvus) as milvus:
        for engine in (faiss, milvus):
            engine.index([corpus.root])
        assert answers(milvus, queries) == answers(faiss, queries)
        assert_consistent(milvus)
        assert milvus.status().spaces[0].vectors == faiss.status().spaces[0].vectors
        (corpus.root / "photos" / "a.jpg").unlink()
        shutil.copy(corpus.root / "photos" / "b.png", corpus.root / "photos" / "copy.png")
        for engine in (faiss, milvus):
            engine.index([corpus.root])
        changed = answers(faiss, queries[1:])
        assert answers(milvus, queries[1:]) == changed
    assert (tmp_path / "milvus" / "vectors.db").exists() and not list(
        (tmp_path / "milvus").glob("spaces/*/*.faiss")
    )
    with build_engine(on_milvus) as reopened:  # what Milvus kept, and the log replayed
        assert answers(reopened, queries[1:]) == changed
        assert_consistent(reopened)


def test_an_index_file_cut_short_by_a_kill_is_built_again_on_opening(
    tmp_path, tiny_clip, tiny_clap, corpus, queries, caplog
):
    """Milvus Lite writes its index files in place; a kill mid-write leaves one with a header and
    no vectors (seen in CI), which Milvus Lite then refuses to load."""
    _, on_milvus = both(tmp_path, tiny_clip, tiny_clap)
    with build_engine(on_milvus) as milvus:
        milvus.index([corpus.root])
        before = answers(milvus, queries)
    index_files = list((tmp_path / "milvus" / "vectors.db").glob("collections/*/partitions/*/indexes/*"))
    assert index_files
    for path in index_files:
        path.write_bytes(path.read_bytes()[:128])  # the .npy header alone
    with build_engine(on_milvus) as reopened:
        assert answers(reopened, queries) == before
        assert_consistent(reopened)
    assert "index file is damaged" in caplog.text


# Dies by SIGKILL at the Nth call of one step of the Milvus write path.
KILLER = DIE_ON_NTH + textwrap.dedent(
    """
    from indexer.vectors.milvus_base import MilvusBase

    with build_engine(load_settings()) as engine:
        engine.index([corpus / "photos"])
        if step == "upsert":  # removed ids deleted from Milvus, the new vectors not yet sent
            MilvusBase.push = die_on_nth(MilvusBase.push)
        elif step == "record":  # everything in Milvus, its sequence number not yet recorded
            MilvusBase.set_seq = die_on_nth(MilvusBase.set_seq)
        (corpus / "photos" / "a.jpg").unlink()
        engine.index([corpus])
    """
)


@pytest.mark.slow
@pytest.mark.parametrize(("step", "nth"), [("upsert", 1), ("record", 1)])
def test_sigkill_in_the_milvus_write_path_then_restart_equals_faiss(
    tmp_path, tiny_clip, tiny_clap, corpus, queries, step, nth
):
    on_faiss, on_milvus = both(tmp_path, tiny_clip, tiny_clap)
    env = {
        **os.environ,
        "FRAMEFIND_DATA_DIR": str(on_milvus.data_dir),
        "FRAMEFIND_IMAGE_MODEL": str(tiny_clip),
        "FRAMEFIND_AUDIO_MODEL": str(tiny_clap),
        "FRAMEFIND_WORDS_MODEL": "none",
        "FRAMEFIND_OCR": "none",
        "FRAMEFIND_DEVICE": "cpu",
        "FRAMEFIND_STORE": on_milvus.store,
    }
    run_killed(KILLER, step, nth, corpus.root, env)
    with build_engine(on_milvus) as milvus, build_engine(on_faiss) as faiss:
        assert_consistent(milvus)  # before anything runs: the log replays what was committed
        for engine in (milvus, faiss):
            engine.index([corpus.root])
        assert_consistent(milvus)
        assert answers(milvus, queries[1:]) == answers(faiss, queries[1:])


READER = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from pathlib import Path

    from indexer import Query, build_engine
    from indexer.errors import FramefindError
    from tests.conftest import make_settings

    data, clip, clap = map(Path, sys.argv[1:4])
    settings = replace(make_settings(data, clip, clap), store="milvus:vectors.db", reranker="none")
    try:
        with build_engine(settings, writer=False) as engine:
            print("found", len(engine.search(Query(text="a red circle", show_all=True)).results))
    except FramefindError as exc:
        print("refused", exc)
    """
)


def test_milvus_lite_is_one_process_at_a_time_and_closing_lets_it_go(tmp_path, tiny_clip, tiny_clap, corpus):
    """While the writer holds the Milvus Lite file another process is told why it cannot open
    it (not sent looking for a server); once the writer closes, the other process reads it."""
    import subprocess
    import sys

    _, on_milvus = both(tmp_path, tiny_clip, tiny_clap)

    def reader() -> str:
        args = [str(on_milvus.data_dir), str(tiny_clip), str(tiny_clap)]
        done = subprocess.run(
            [sys.executable, "-c", READER, *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=os.getcwd(),
        )
        return done.stdout.strip()

    with build_engine(on_milvus) as engine:
        engine.index([corpus.root])
        while_open = reader()
    assert while_open.startswith("refused") and "one process at a time" in while_open
    assert "Is it running" not in while_open
    after = reader()
    assert after.startswith("found") and after != "found 0"
