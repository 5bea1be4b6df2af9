from __future__ import annotations

import os

from indexer.ingest.scan import Found, ScanOptions, Unlistable, scan
from indexer.settings import DEFAULT_EXCLUDE
from tests.support.access import make_unlistable


def _names(items, root):
    return sorted(str(i.path.relative_to(root)) for i in items if isinstance(i, Found))


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_excluded_names_and_non_media_are_skipped(tmp_path):
    for name in (
        "a.jpg",
        ".hidden.jpg",
        ".cache/b.jpg",
        "node_modules/c.png",
        "d.jpg.part",
        "notes.txt",
        "e.mp3",
    ):
        _touch(tmp_path / name)
    assert _names(scan(tmp_path, ScanOptions(DEFAULT_EXCLUDE)), tmp_path) == ["a.jpg", "e.mp3"]


def test_a_hidden_root_is_still_walked(tmp_path):
    _touch(tmp_path / ".photos" / "a.jpg")
    assert _names(scan(tmp_path / ".photos", ScanOptions(DEFAULT_EXCLUDE)), tmp_path) == [".photos/a.jpg"]


def test_links_are_not_followed_unless_asked_and_loops_are_cut(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    _touch(root / "in.jpg")
    _touch(outside / "out.jpg")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "alias.jpg").symlink_to(root / "in.jpg")
    assert _names(scan(root, ScanOptions()), root) == ["in.jpg"]
    followed = _names(scan(root, ScanOptions(follow_symlinks=True)), root)
    assert followed == ["alias.jpg", "elsewhere/out.jpg", "in.jpg"]  # the loop is walked once


def test_very_deep_trees_do_not_overflow(tmp_path):
    deep = tmp_path
    for _ in range(600):
        deep = deep / "d"
    os.makedirs(deep)
    _touch(deep / "bottom.jpg")
    assert len([i for i in scan(tmp_path, ScanOptions()) if isinstance(i, Found)]) == 1


def test_fifos_are_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    assert list(scan(tmp_path, ScanOptions())) == []


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    _touch(tmp_path / "ok" / "a.jpg")
    _touch(tmp_path / "locked" / "b.jpg")
    make_unlistable(tmp_path / "locked", monkeypatch)
    items = list(scan(tmp_path, ScanOptions()))
    assert _names(items, tmp_path) == ["ok/a.jpg"]
    [problem] = [i for i in items if isinstance(i, Unlistable)]
    assert problem.path == tmp_path / "locked" and "permission denied" in problem.reason


def test_a_ts_file_is_video_only_when_it_is_an_mpeg_transport_stream(tmp_path):
    from tests.support.oddities import write_mpeg_ts

    recording = write_mpeg_ts(tmp_path / "broadcast.ts", [1, 2])
    (tmp_path / "app.ts").write_text("export const answer: number = 42;\n" * 40)
    found = [f.path for f in scan(tmp_path, ScanOptions()) if isinstance(f, Found)]
    assert found == [recording]
