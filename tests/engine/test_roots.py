"""Roots as people have them: behind a symlink, on a drive that gets unplugged, on a share
that lists as empty for a moment. Nothing indexed is lost to any of these."""

from __future__ import annotations

import shutil
from dataclasses import replace

from indexer import Query, build_engine
from indexer.catalog import FileState
from indexer.ingest.roots import MANY, hold_reason
from tests.engine.test_index_search import assert_consistent
from tests.support.media import write_photo


def _photos(folder, count, start=0):
    return [write_photo(folder / f"p{i}.png", i) for i in range(start, start + count)]


def test_a_symlinked_root_is_followed_and_kept_across_starts(settings, tmp_path):
    real = tmp_path / "data-disk" / "Pictures"
    photos = _photos(real, 3)
    elsewhere = _photos(tmp_path / "elsewhere", 1, start=9)
    (real / "link-below").symlink_to(elsewhere[0].parent)  # links below the root obey follow_symlinks
    link = tmp_path / "Pictures"
    link.symlink_to(real)
    configured = replace(settings, folders=(link,))
    with build_engine(configured) as engine:
        first = engine.index()
        assert first.new == 3
        assert {f.path for f in engine.catalog.files.all()} == {link / p.name for p in photos}
        again = engine.index()  # the next start must not take the link's files for vanished ones
        assert again.removed == 0 and again.unchanged == 3
        assert engine.search(Query(examples=(photos[0],)))[0].path == link / photos[0].name


def _unmount(folder):
    """What an unmounted drive leaves: the mount point, empty."""
    shutil.rmtree(folder)
    folder.mkdir()


def test_an_emptied_mount_point_keeps_its_files_until_the_user_confirms(settings, tmp_path):
    drive = tmp_path / "media" / "usb"
    photos = _photos(drive, 4)
    configured = replace(settings, folders=(drive,))
    with build_engine(configured) as engine:
        engine.index()
        _unmount(drive)
        report = engine.index()
        assert report.removed == 0
        [held] = engine.status().held
        assert held.path == drive and held.files == 4 and "is empty" in held.reason
        same_picture = write_photo(tmp_path / "query.png", 1)
        assert engine.search(Query(examples=(same_picture,)))[0].path == photos[1]  # still searchable
        assert_consistent(engine)
    with build_engine(configured) as engine:  # still held after a restart
        assert engine.index().removed == 0 and engine.status().held
        assert engine.prune().removed == 4
        assert engine.status().held == [] and engine.status().indexed == {}
        assert_consistent(engine)


def test_a_remounted_drive_releases_the_hold_and_indexes_normally(settings, tmp_path):
    drive = tmp_path / "usb"
    photos = _photos(drive, 3)
    configured = replace(settings, folders=(drive,))
    with build_engine(configured) as engine:
        engine.index()
        backup = tmp_path / "backup"
        shutil.copytree(drive, backup)
        _unmount(drive)
        engine.index()
        assert engine.status().held
        shutil.rmtree(drive)
        shutil.copytree(backup, drive)  # plugged in again (new mtimes: same content)
        photos[0].unlink()  # and one photo really deleted meanwhile
        report = engine.index()
        assert report.removed == 1 and engine.status().held == []
        assert engine.status().indexed == {"photo": 2}


def test_a_watched_share_that_lists_empty_loses_nothing(settings, tmp_path):
    """The watcher sees every file deleted at once (a share that dropped): the update holds."""
    share = tmp_path / "nas"
    photos = _photos(share, 3)
    configured = replace(settings, folders=(share,))
    with build_engine(configured) as engine:
        engine.index()
        _unmount(share)
        report = engine.update(photos)
        assert report.removed == 0 and engine.status().indexed == {"photo": 3}
        assert "is empty" in engine.status().held[0].reason


def test_a_root_now_on_another_device_is_held(settings, tmp_path, monkeypatch):
    drive = tmp_path / "disk"
    _photos(drive, 2)
    write_photo(drive / "other" / "x.png", 7)
    configured = replace(settings, folders=(drive,))
    with build_engine(configured) as engine:
        engine.index()
        shutil.rmtree(drive / "other")
        for p in drive.glob("*.png"):
            p.unlink()
        (drive / "lost+found").mkdir()  # a different file system mounted there
        monkeypatch.setattr("indexer.ingest.roots.device", lambda path: 12345)
        assert engine.index().removed == 0
        assert "another device" in engine.status().held[0].reason


def test_deleting_a_few_files_is_never_held(settings, tmp_path):
    folder = tmp_path / "pics"
    photos = _photos(folder, 3)
    configured = replace(settings, folders=(folder,))
    with build_engine(configured) as engine:
        engine.index()
        photos[0].unlink()
        assert engine.index().removed == 1 and engine.status().held == []


def test_most_of_a_large_root_vanishing_at_once_is_held(engine, tmp_path):
    """Counted in the catalog alone: no need to embed hundreds of files to check the rule."""
    root = tmp_path / "library"
    (root / "kept").mkdir(parents=True)
    for i in range(MANY):
        engine.catalog.files.save(FileState(root / f"{i}.jpg", 1, 1, f"f{i}"), kind="photo", status="indexed")
    assert "lost 95 of its 100 files" in hold_reason(engine.catalog, root, 95)
    assert hold_reason(engine.catalog, root, 50) is None


def test_formats_framefind_does_not_read_are_counted_in_status(settings, tmp_path):
    folder = tmp_path / "camera"
    _photos(folder, 1)
    for name in ("IMG_1.CR2", "IMG_2.cr2", "DSC_3.nef", "render.jxl", "notes.txt"):
        (folder / name).write_bytes(b"\x00" * 16)
    with build_engine(replace(settings, folders=(folder,))) as engine:
        engine.index()
        assert engine.status().unsupported == {".cr2": 2, ".nef": 1, ".jxl": 1}  # text is not media
        (folder / "IMG_2.cr2").unlink()
        engine.index()
        assert engine.status().unsupported[".cr2"] == 1
