from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import FramefindError
from indexer.settings import (
    DEFAULT_AUDIO_MODEL,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_WORDS_MODEL,
    MULTILINGUAL_CLIP_QUERIES,
    default_data_dir,
    load_settings,
)
from indexer.settings_file import FILE_NAME


def test_defaults_use_the_platform_data_dir_and_default_models():
    settings = load_settings(env={})
    assert settings.data_dir == default_data_dir()
    assert [(s.name, s.model) for s in settings.spaces] == [
        ("image", DEFAULT_IMAGE_MODEL),
        ("audio", DEFAULT_AUDIO_MODEL),
        ("words", DEFAULT_WORDS_MODEL),
    ]


def test_environment_then_options_override(tmp_path):
    env = {
        "FRAMEFIND_DATA_DIR": str(tmp_path / "env"),
        "FRAMEFIND_IMAGE_MODEL": "org/img",
        "FRAMEFIND_DEVICE": "cpu",
    }
    settings = load_settings(env=env)
    assert settings.data_dir == tmp_path / "env" and settings.spaces[0].model == "org/img"
    assert settings.device == "cpu"
    settings = load_settings(env=env, data_dir=tmp_path / "opt", image_model="org/other")
    assert settings.data_dir == tmp_path / "opt" and settings.spaces[0].model == "org/other"


def test_picture_queries_take_the_multilingual_model_made_for_the_image_model(tmp_path):
    image = load_settings(env={}, data_dir=tmp_path).spaces[0]
    assert image.query_model == MULTILINGUAL_CLIP_QUERIES and image.model == DEFAULT_IMAGE_MODEL
    own = load_settings(env={"FRAMEFIND_IMAGE_QUERY_MODEL": "none"}, data_dir=tmp_path).spaces[0]
    assert own.query_model is None and own.identity == image.identity  # nothing to embed again
    other = load_settings(env={}, data_dir=tmp_path, image_model="org/siglip").spaces[0]
    assert other.query_model is None  # the multilingual model was made for CLIP alone
    chosen = load_settings(env={}, data_dir=tmp_path, image_model="org/siglip", image_query_model="org/text")
    assert chosen.spaces[0].query_model == "org/text"
    assert "text" not in chosen.spaces[0].inputs  # the image model need not read queries


def test_none_turns_a_space_off():
    settings = load_settings(env={}, audio_model="none")
    assert [s.name for s in settings.spaces] == ["image", "words"]
    settings = load_settings(env={"FRAMEFIND_WORDS_MODEL": "none"}, audio_model="none")
    assert [s.name for s in settings.spaces] == ["image"]


def test_a_local_model_folder_is_identified_by_its_real_path(tmp_path):
    (tmp_path / "m").mkdir()
    a = load_settings(env={}, image_model=str(tmp_path / "m")).spaces[0]
    b = load_settings(env={}, image_model=str(tmp_path / "." / "m")).spaces[0]
    assert a.identity == b.identity and str(Path(tmp_path / "m").resolve()) in a.identity


def test_the_store_comes_from_option_environment_or_file_and_an_unknown_one_is_refused(tmp_path):
    assert load_settings(env={}, data_dir=tmp_path).store == "faiss"
    (tmp_path / FILE_NAME).write_text('{"store": "milvus:vectors.db"}')
    assert load_settings(env={}, data_dir=tmp_path).store == "milvus:vectors.db"
    env = {"FRAMEFIND_STORE": "milvus://db.lan:19530"}
    assert load_settings(env=env, data_dir=tmp_path).store == "milvus://db.lan:19530"
    assert load_settings(env=env, data_dir=tmp_path, store="faiss").store == "faiss"
    with pytest.raises(FramefindError, match=r"faiss, milvus://HOST:PORT or milvus:FILE\.db"):
        load_settings(env={"FRAMEFIND_STORE": "qdrant"}, data_dir=tmp_path)


def test_a_space_is_declared_by_what_it_embeds_and_answers_and_old_names_keep_their_presets(tmp_path):
    from indexer.settings import save_settings

    save_settings(
        tmp_path,
        {
            "image_model": "clip",
            "spaces": {"faces": {"model": "face-model", "embeds": ["photo"], "answers": ["image"]}},
        },
    )
    spaces = {s.name: s for s in load_settings({}, data_dir=tmp_path).spaces}
    assert (spaces["image"].embeds, spaces["image"].answers) == (("frame", "photo"), ("image", "text"))
    assert (spaces["audio"].embeds, spaces["audio"].answers) == (("audio_window",), ("audio", "text"))
    assert (spaces["faces"].embeds, spaces["faces"].answers) == (("photo",), ("image",))
    assert spaces["faces"].inputs == {"image"}


@pytest.mark.parametrize(
    ("declared", "says"),
    [
        ({"model": "m"}, "must say what it embeds"),
        ({"model": "m", "embeds": ["photo"], "answers": ["smell"]}, "cannot answer smell"),
        ({"model": "m", "embeds": ["face"], "answers": ["text"]}, "cannot embed face"),
        ({"embeds": ["photo"], "answers": ["text"]}, "must be an object with a model"),
    ],
)
def test_a_space_declared_wrongly_is_refused_with_what_is_allowed(declared, says):
    from indexer.space_spec import declared_spaces

    with pytest.raises(FramefindError, match=says):
        declared_spaces({"faces": declared})
