"""Settings for searching in other languages: what reads picture searches, shown as chosen and
saved as chosen; a value the environment decides is shown fixed and kept out of the file."""

from __future__ import annotations

from indexer import load_settings
from indexer.settings import MULTILINGUAL_CLIP_QUERIES


def test_picture_searches_show_auto_and_save_the_choice(qtbot, tmp_path):
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(load_settings(env={}, data_dir=tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.image_query_model.currentText() == "auto"  # the multilingual model, for CLIP
    assert load_settings(env={}, data_dir=tmp_path).spaces[0].query_model == MULTILINGUAL_CLIP_QUERIES
    dialog.image_query_model.setCurrentText("none")
    assert dialog.choices().stored()["image_query_model"] == "none"
    chosen = load_settings(env={}, data_dir=tmp_path, image_query_model="org/my-text-model")
    again = SettingsDialog(chosen)
    qtbot.addWidget(again)
    assert again.image_query_model.currentText() == "org/my-text-model"


def test_picture_searches_set_by_the_environment_are_fixed(qtbot, tmp_path):
    from desktop.settings_dialog import SettingsDialog

    variable = {"image_query_model": "FRAMEFIND_IMAGE_QUERY_MODEL"}
    env = {"FRAMEFIND_IMAGE_QUERY_MODEL": "none"}
    dialog = SettingsDialog(load_settings(env=env, data_dir=tmp_path), overrides=variable)
    qtbot.addWidget(dialog)
    assert dialog.image_query_model.currentText() == "none" and not dialog.image_query_model.isEnabled()
    assert "image_query_model" not in dialog.choices().stored()
