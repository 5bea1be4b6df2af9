from __future__ import annotations

import re
from dataclasses import fields, replace

import pytest

from indexer import settings_file
from indexer.errors import FramefindError
from indexer.settings import RULES, Settings, load_settings, save_settings, stored_settings


def test_missing_file_is_empty_and_writes_round_trip(tmp_path):
    assert stored_settings(tmp_path) == {}
    save_settings(tmp_path, {"folders": ["/a"], "video_interval_s": 3})
    assert stored_settings(tmp_path) == {"folders": ["/a"], "video_interval_s": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


def test_unknown_keys_and_wrong_types_are_named(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"folder": ["/a"]}')
    with pytest.raises(FramefindError, match=r"Unknown setting 'folder'.*folders"):
        stored_settings(tmp_path)
    path.write_text('{"batch_size": "big"}')
    with pytest.raises(FramefindError, match=r"'batch_size' must be int"):
        stored_settings(tmp_path)
    path.write_text('{"follow_symlinks": 1}')
    with pytest.raises(FramefindError, match=r"'follow_symlinks' must be bool"):
        stored_settings(tmp_path)
    path.write_text("{not json")
    with pytest.raises(FramefindError, match="Fix or delete it"):
        stored_settings(tmp_path)


# Each of these hung, crashed or divided by zero before settings were range-checked.
BAD = [
    ("audio_hop_s", 0, "between 0.1 and 60"),
    ("decode_workers", -1, "between 0 and 256"),
    ("video_interval_s", 0, "between 0.1 and 3600"),
    ("audio_window_s", -5, "between 0.5 and 60"),
    ("batch_size", -2, "between 0 and 4096"),
    ("decode_side", 0, "between 32 and 8192"),
    ("max_image_pixels", 0, "between 1000 and"),
    ("checkpoint_every_s", -1, "between 0 and"),
    ("compress_above", 0, "between 1 and"),
    ("settle_s", -1, "between 0 and 3600"),
    ("poll_interval_s", 0, "between 0.1 and"),
    ("rerank_top", -1, "between 0 and 1000"),
    ("rerank_budget_s", -3, "between 0 and 600"),
    ("device", "gpu", "auto, cpu, mps, cuda or cuda:N"),
    ("reranker", "", "a model id or folder"),
    ("exclude", [1, 2], "a list of patterns"),
    ("folders", [3], "a list of folders"),
    ("image_model", "", "a hub id, a folder or none"),
    ("image_query_model", "", "a hub id, a folder, auto or none"),
    ("query_translator", "", "a hub id, a folder or none"),
    ("audio_model", "", "a hub id, a folder or none"),
    ("speech_model", "", "a Whisper size, hub id or folder, auto or none"),
    ("words_model", "", "a hub id, a folder or none"),
    ("vlm_model", "", "a hub id, a folder, auto or none"),
    ("ocr", "", "auto, none or a RapidOCR language (korean, cyrillic…)"),
    ("picture_cache_bytes", 5, "between 1e+07 and 1e+12 bytes"),
    ("store", "qdrant", "faiss, milvus://HOST:PORT or milvus:FILE.db"),
    ("cluster", "spark", "none, auto or ray://HOST:PORT"),
    ("spaces", {"faces": {"model": "m", "embeds": ["face"], "answers": ["text"]}}, "an object of spaces"),
]


def test_every_setting_with_a_range_is_tested_here():
    ranged = {name for name, rule in RULES.items() if rule.test is not None}
    assert ranged == {name for name, _, _ in BAD}


@pytest.mark.parametrize(("name", "value", "says"), BAD)
def test_an_out_of_range_value_is_refused_in_the_file_with_what_is_allowed(tmp_path, name, value, says):
    settings_file.write(tmp_path / "settings.json", {name: value})
    with pytest.raises(FramefindError, match=rf"Setting '{name}' must be {re.escape(says)}.*settings.json"):
        load_settings(env={"FRAMEFIND_DATA_DIR": str(tmp_path)})
    with pytest.raises(FramefindError, match=rf"'{name}' must be {re.escape(says)}"):
        save_settings(tmp_path / "other", {name: value})


@pytest.mark.parametrize(  # (the file's `spaces` object becomes SpaceSpecs, which check themselves)
    ("name", "value", "says"), [b for b in BAD if b[0] in {f.name for f in fields(Settings)} - {"spaces"}]
)
def test_an_out_of_range_value_is_refused_by_the_settings_object(tmp_path, name, value, says):
    value = tuple(value) if isinstance(value, list) else value
    with pytest.raises(FramefindError, match=rf"Setting '{name}' must be {re.escape(says)}"):
        replace(Settings(data_dir=tmp_path), **{name: value})


def test_a_hop_longer_than_the_window_is_refused(tmp_path):
    with pytest.raises(FramefindError, match="must not exceed 'audio_window_s'"):
        Settings(data_dir=tmp_path, audio_window_s=4.0, audio_hop_s=6.0)


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
