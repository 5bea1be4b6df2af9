"""One writer per data folder; readers alongside; storage failures are clear and lose nothing."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import pytest

from indexer import FramefindError, Query, build_engine
from tests.engine.test_index_search import assert_consistent


def test_a_second_writer_is_refused_and_readers_work(settings, corpus):
    with build_engine(settings) as writer:
        writer.index([corpus.root])
        with pytest.raises(FramefindError, match=rf"pid {os.getpid()}\) is already writing"):
            build_engine(settings)
        with build_engine(settings, writer=False) as reader:
            photo = next(iter(corpus.photos))
            assert reader.search(Query(examples=(photo,)))[0].path == photo
            with pytest.raises(FramefindError, match="read-only"):
                reader.index([corpus.root])
    with build_engine(settings) as again:  # the lock went with the first writer
        assert again.index([corpus.root]).segments == 0


def test_a_reader_sees_what_the_writer_saved_since(settings, corpus, tmp_path):
    from tests.support.media import write_photo

    with build_engine(settings) as writer, build_engine(settings, writer=False) as reader:
        writer.index([corpus.root])
        assert reader.search(Query(text="x", kinds=frozenset({"photo"}), limit=50))
        late = write_photo(corpus.root / "photos" / "late.png", 77)
        writer.index([corpus.root])
        assert reader.search(Query(examples=(late,)))[0].path == late


def _run_cli(args, env, limit_bytes=None):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit if limit_bytes else None,
    )


@pytest.fixture
def cli_env(settings):
    return {
        **os.environ,
        "FRAMEFIND_DATA_DIR": str(settings.data_dir),
        "FRAMEFIND_DEVICE": "cpu",
        "FRAMEFIND_IMAGE_MODEL": settings.spaces[0].model,
        "FRAMEFIND_AUDIO_MODEL": settings.spaces[1].model,
        "FRAMEFIND_WORDS_MODEL": "none",
        "FRAMEFIND_OCR": "none",
    }


@pytest.mark.slow
def test_a_full_disk_is_reported_and_the_next_run_completes(settings, corpus, cli_env):
    # room for the empty catalog (100 KB of WAL), not for the index
    full = _run_cli(["index", str(corpus.root)], cli_env, limit_bytes=250_000)
    assert full.returncode == 2, full.stdout + full.stderr
    assert "Cannot write the index" in full.stderr and "Free disk space" in full.stderr
    assert "Traceback" not in full.stderr
    done = _run_cli(["index", str(corpus.root)], cli_env)
    assert done.returncode == 0, done.stderr
    with build_engine(settings) as engine:
        assert sum(engine.status().indexed.values()) == len(corpus.files)
        assert_consistent(engine)


def _freeze(folder, on: bool) -> None:
    """Make a folder read-only even for root (chattr +i), or undo it."""
    flag = "+i" if on else "-i"
    paths = [folder, *folder.rglob("*")]
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


@pytest.mark.slow
def test_a_read_only_data_folder_is_reported_and_untouched(settings, corpus, cli_env):
    from tests.support.media import write_photo

    assert _run_cli(["index", str(corpus.root / "photos")], cli_env).returncode == 0
    write_photo(corpus.root / "photos" / "new.png", 88)
    before = {
        p: p.read_bytes() for p in settings.data_dir.rglob("*") if p.is_file() and "logs" not in p.parts
    }
    if os.geteuid() == 0:
        _freeze(settings.data_dir, True)
    else:
        for p in [settings.data_dir, *settings.data_dir.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        result = _run_cli(["index", str(corpus.root / "photos")], cli_env)
    finally:
        if os.geteuid() == 0:
            _freeze(settings.data_dir, False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "data folder" in result.stderr or "Cannot write the index" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in before}
    assert after == before
