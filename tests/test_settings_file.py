from __future__ import annotations

import pytest

from indexer import settings_file
from indexer.errors import FramefindError
from indexer.settings import load_settings


def test_missing_file_is_empty_and_writes_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    assert settings_file.read(path) == {}
    settings_file.write(path, {"folders": ["/a"], "video_interval_s": 3})
    assert settings_file.read(path) == {"folders": ["/a"], "video_interval_s": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


def test_unknown_keys_and_wrong_types_are_named(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"folder": ["/a"]}')
    with pytest.raises(FramefindError, match=r"Unknown setting 'folder'.*folders"):
        settings_file.read(path)
    path.write_text('{"batch_size": "big"}')
    with pytest.raises(FramefindError, match=r"'batch_size' .* must be int"):
        settings_file.read(path)
    path.write_text("{not json")
    with pytest.raises(FramefindError, match="Fix or delete it"):
        settings_file.read(path)


def test_the_file_feeds_settings_and_the_environment_overrides_it(tmp_path):
    settings_file.write(
        tmp_path / "settings.json",
        {
            "folders": [str(tmp_path / "photos")],
            "exclude": ["*.raw"],
            "image_model": "org/from-file",
            "video_interval_s": 5.0,
            "follow_symlinks": True,
        },
    )
    settings = load_settings(env={"FRAMEFIND_DATA_DIR": str(tmp_path)})
    assert settings.folders == (tmp_path / "photos",) and settings.exclude == ("*.raw",)
    assert settings.video_interval_s == 5.0 and settings.follow_symlinks
    assert settings.spaces[0].model == "org/from-file"
    env = {"FRAMEFIND_DATA_DIR": str(tmp_path), "FRAMEFIND_IMAGE_MODEL": "org/from-env"}
    assert load_settings(env=env).spaces[0].model == "org/from-env"
