"""The indexer inside the app: progress in the status bar, pause and resume, errors shown,
first run, settings."""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from desktop import window as window_module
from desktop.confirm_forget import OBJECT_NAME
from desktop.window import MainWindow
from indexer import ProgressEvent, build_engine, load_settings, save_settings, stored_settings
from indexer.ingest.progress import WorkClock, file_work
from tests.desktop.conftest import WAIT_MS, search
from tests.support.app_index import app_settings
from tests.support.media import write_photo
from tests.support.models import SHAPES_CLIP
from tests.test_progress import PHOTOS, VIDEOS, Clock


def test_progress_events_move_the_status_bar(qtbot, window):
    worker = window.session.indexer.worker
    worker.progress.emit(
        ProgressEvent(total=40, done=10, failed=2, current=Path("/m/holiday.jpg"), rate=4.0, eta_s=7.5)
    )
    status = window.status
    assert (status.bar.maximum(), status.bar.value()) == (40, 10)
    assert not status.bar.isHidden()
    text = status.label.text()
    assert (
        "10 / 40 files" in text
        and "4.0 files/s" in text
        and "about 8 s left" in text
        and "holiday.jpg" in text
    )
    assert status.errors.text() == "2 not indexed" and not status.errors.isHidden()
    worker.progress.emit(ProgressEvent(total=40, done=40, failed=2, current=None, rate=4.0, eta_s=0.0))
    assert status.bar.value() == 40 and status.bar.isHidden()


def slow_model_loads(monkeypatch, seconds: float) -> None:
    """Each model takes `seconds` to load after it is announced (the tiny ones load at once)."""
    from indexer.engine import Engine

    real = Engine.load_models

    def slow(self, on_model=None, stopped=lambda: False):
        def announce(event):
            on_model(event)
            time.sleep(seconds)

        real(self, announce, stopped)

    monkeypatch.setattr(Engine, "load_models", slow)


def make_library(root: Path, photos: int) -> Path:
    for i in range(photos):
        write_photo(root / f"{i:03d}.jpg", i, size=(320, 240))
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return root


def test_pause_stops_the_indexer_and_resume_finishes(qtbot, open_window, tmp_path):
    library = make_library(tmp_path / "library", 150)
    app_settings(tmp_path / "data", [library], batch_size=4, decode_workers=1)
    window = open_window(tmp_path / "data")
    seen: list[ProgressEvent] = []
    window.session.indexer.worker.progress.connect(seen.append)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1].done >= 4, timeout=WAIT_MS)
    window.status.pause.click()
    assert window.session.indexer.paused
    time.sleep(0.5)  # what was already in the embedder's hands may finish
    qtbot.wait(200)
    done_at_pause = seen[-1].done
    qtbot.wait(1500)
    assert seen[-1].done == done_at_pause < 151
    assert "paused" in window.status.label.text().lower()
    window.status.pause.click()
    qtbot.waitUntil(lambda: seen[-1].done == seen[-1].total == 151, timeout=60_000)
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    assert window.status.errors.text() == "1 not indexed"


def test_the_errors_list_names_each_file_and_why(qtbot, open_window, tmp_path, monkeypatch):
    library = make_library(tmp_path / "library", 2)
    app_settings(tmp_path / "data", [library])
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    shown = []
    monkeypatch.setattr(window_module.ErrorsDialog, "exec", lambda self: shown.append(self) or 0)
    window.status.errors.click()
    table = shown[0].table
    assert table.topLevelItemCount() == 1
    assert table.topLevelItem(0).text(0) == str(library / "broken.jpg")
    assert table.topLevelItem(0).text(1)  # the reason
    assert "framefind retry" not in shown[0].findChild(QLabel).text()  # a button, not a command


def test_try_all_again_retries_the_failed_files_on_the_indexers_thread(
    qtbot, open_window, tmp_path, monkeypatch
):
    import threading

    from indexer.engine import Engine

    library = make_library(tmp_path / "library", 2)
    app_settings(tmp_path / "data", [library])
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    retried, real = [], Engine.retry
    monkeypatch.setattr(
        Engine,
        "retry",
        lambda self, *a, **k: retried.append(threading.current_thread().name) or real(self, *a, **k),
    )

    def choose_retry(dialog):
        dialog.retry_button.click()
        return dialog.result()

    monkeypatch.setattr(window_module.ErrorsDialog, "exec", choose_retry)
    window.status.errors.click()
    qtbot.waitUntil(lambda: bool(retried) and "1 failed" in window.status.label.text(), timeout=WAIT_MS)
    assert retried[0] != threading.main_thread().name  # on the one writer's thread, not the UI's


def test_a_model_that_cannot_load_shows_what_to_do(qtbot, open_window, tmp_path):
    app_settings(tmp_path / "data", [tmp_path], image_model=str(tmp_path / "no-such-model"))
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: window.banner.text() != "", timeout=WAIT_MS)
    message = window.banner.text()
    assert "no-such-model" in message and "could not be loaded" in message and "Settings" in message
    assert "Traceback" not in message
    assert window.banner.button.text() == "Settings…"
    assert window.status.label.text() == "Not indexing: see the message above."
    assert window.status.bar.isHidden()


def test_a_model_that_fails_while_the_welcome_dialog_is_open_is_still_explained_after_it(
    qtbot, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    monkeypatch.setattr(window_module, "suggested_folders", lambda: [])

    def later(dialog):  # the user reads on while the model fails to load, then picks "Later"
        qtbot.waitUntil(lambda: "Not indexing" in window.status.label.text(), timeout=WAIT_MS)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(window_module.WelcomeDialog, "exec", later)
    missing = str(tmp_path / "no-such-model")
    window = MainWindow(
        lambda _: load_settings({}, data_dir=data, image_model=missing, audio_model="none", device="cpu"),
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert "no-such-model" in window.banner.text()  # not replaced by "No folders to index yet"
    window.close()


def test_first_run_loads_the_models_while_the_user_picks_folders_then_indexes_them(
    qtbot, open_window, tmp_path, monkeypatch
):
    library = make_library(tmp_path / "Pictures", 3)
    data = tmp_path / "data"
    monkeypatch.setattr(window_module, "suggested_folders", lambda: [library, tmp_path / "Music"])
    seen: dict[str, str] = {}

    def pick_folders(dialog):  # the user reads the dialog; the models load behind it
        seen["intro"] = dialog.findChild(QLabel).text()
        qtbot.waitUntil(lambda: "Models loaded" in window.status.label.text(), timeout=WAIT_MS)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(window_module.WelcomeDialog, "exec", pick_folders)

    def fresh(chosen):  # a new user: models given as overrides, no settings file yet
        return load_settings(
            {}, data_dir=data, image_model=str(SHAPES_CLIP), audio_model="none", device="cpu"
        )

    window = MainWindow(fresh, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert "nothing is downloaded" in seen["intro"] and "1.2 GB" not in seen["intro"]  # local models
    assert stored_settings(data)["folders"] == [str(library), str(tmp_path / "Music")]
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    assert window.session.engine.status().indexed == {"photo": 3}
    window.close()


def test_the_first_run_says_how_much_it_downloads_model_by_model(qapp):
    from desktop.welcome import download_note

    picture_and_sound = ["openai/clip-vit-base-patch32", "laion/clap-htsat-unfused"]
    assert "(about 1.2 GB in all)" in download_note(picture_and_sound)
    on_a_gpu = [*picture_and_sound, "Qwen/Qwen3-VL-Embedding-2B"]  # the video model is 4.3 GB alone
    assert "(about 5.5 GB in all)" in download_note(on_a_gpu)


def test_a_query_typed_while_the_models_load_says_so_and_runs_once_they_are_ready(
    qtbot, open_window, app_index, monkeypatch, tmp_path
):
    """Before the first load has exported the query towers (the first launch)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # where no tower is yet
    data = tmp_path / "data"
    shutil.copytree(app_index.data_dir, data, ignore=shutil.ignore_patterns("writer.*"))
    slow_model_loads(monkeypatch, 1.5)  # a full-size model takes 10–30 s
    window = open_window(data)
    qtbot.keyClicks(window.search_bar.field, "a red circle")
    qtbot.waitUntil(lambda: "your search runs when it is ready" in window.summary.text(), timeout=WAIT_MS)
    assert (
        "Loading the image model" in window.summary.text()
        or "Loading the audio model" in window.summary.text()
    )
    qtbot.waitUntil(lambda: not window.searching, timeout=WAIT_MS)
    assert window.model.rowCount() > 0 and "result" in window.summary.text()


def test_a_query_typed_at_launch_is_answered_while_the_models_still_load(
    qtbot, open_window, app_index, monkeypatch
):
    """Every launch after the first: the query towers answer text at once (no torch)."""
    slow_model_loads(monkeypatch, 3.0)
    window = open_window(app_index.data_dir)
    qtbot.keyClicks(window.search_bar.field, "a red circle")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0 and not window.searching, timeout=WAIT_MS)
    assert "result" in window.summary.text()
    assert "Models loaded" not in window.status.label.text()  # they were still to load
    first = [window.model.row(i).result.path for i in range(window.model.rowCount())]
    qtbot.waitUntil(lambda: "Loading" not in window.status.label.text(), timeout=WAIT_MS)
    assert [window.model.row(i).result.path for i in range(window.model.rowCount())] == first


def test_nothing_indexed_and_no_folders_does_not_say_ready(qtbot, open_window, tmp_path):
    app_settings(tmp_path / "data", [])
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "Models loaded" in window.status.label.text(), timeout=WAIT_MS)
    assert "Nothing is indexed yet" in window.status.label.text()
    assert "Ready to search" not in window.status.label.text()


def test_settings_changes_are_saved_and_the_engine_restarts_with_them(
    qtbot, open_window, app_index, tmp_path, monkeypatch
):
    from desktop.settings_dialog import SettingsDialog

    data = tmp_path / "data"
    shutil.copytree(app_index.data_dir, data, ignore=shutil.ignore_patterns("writer.*"))
    window = open_window(data)
    more = make_library(tmp_path / "more", 2)

    def accept_with_changes(dialog):
        dialog.folders.add(more)
        dialog.audio_model.setText("none")
        dialog.interval.setValue(3.5)
        dialog.rerank.setChecked(False)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", accept_with_changes)
    before = window.session
    window.open_settings()
    stored = stored_settings(data)
    assert (
        stored["audio_model"] == "none" and stored["video_interval_s"] == 3.5 and stored["reranker"] == "none"
    )
    assert stored["folders"] == [str(app_index.folder.root), str(more)]
    assert window.session is not before
    assert [s.name for s in window.session.settings.spaces] == ["image", "words"]
    assert [window.search_bar.folder.itemData(i) for i in (1, 2)] == [app_index.folder.root, more]


def test_settings_the_environment_decides_are_shown_fixed_and_kept_out_of_the_file(
    qtbot, app_index, tmp_path, monkeypatch
):
    """With FRAMEFIND_AUDIO_MODEL set, choosing none was silently ignored, and saving the
    dialog for another change wrote the environment's value into settings.json."""
    from desktop.settings_dialog import SettingsDialog

    data = tmp_path / "data"
    shutil.copytree(app_index.data_dir, data, ignore=shutil.ignore_patterns("writer.*"))
    from_env = str(next(s.model for s in load_settings({}, data_dir=data).spaces if s.name == "audio"))
    save_settings(data, {"audio_model": "none"})  # the file says none, the environment a model
    in_file = "none"
    monkeypatch.setenv("FRAMEFIND_AUDIO_MODEL", from_env)
    from desktop.app import make_loader  # the app's own: options, then the environment, then the file

    window = MainWindow(
        make_loader({"data_dir": data}), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    window.start()
    seen = []

    def change_the_interval(dialog):
        seen.append((dialog.audio_model.isEnabled(), dialog.audio_model.toolTip()))
        dialog.interval.setValue(4.0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", change_the_interval)
    window.open_settings()
    assert seen == [(False, "Set by FRAMEFIND_AUDIO_MODEL in the environment: change or unset it there.")]
    stored = stored_settings(data)
    window.close()
    assert stored["video_interval_s"] == 4.0 and stored.get("audio_model") == in_file


def test_a_second_app_on_the_same_data_folder_searches_but_does_not_index(qtbot, open_window, tmp_path):
    app_settings(tmp_path / "data", [make_library(tmp_path / "library", 2)])
    settings = app_settings(tmp_path / "data", [tmp_path / "library"])
    with build_engine(settings):  # another process holds the writer lock
        window = open_window(tmp_path / "data")
        assert not window.session.engine.writer
        assert "Another Framefind indexer" in window.banner.text()


def test_a_folder_that_is_not_there_is_named_the_rest_indexed_and_once_back_it_is_indexed(
    qtbot, open_window, tmp_path
):
    library = make_library(tmp_path / "library", 2)
    app_settings(tmp_path / "data", [library, tmp_path / "Unplugged"])
    window = open_window(tmp_path / "data")
    assert str(tmp_path / "Unplugged") in window.banner.text() and "not there" in window.banner.text()
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    assert window.session.engine.status().indexed == {"photo": 2}
    make_library(tmp_path / "Unplugged", 1)  # the drive is plugged back in
    qtbot.waitUntil(lambda: window.banner.text() == "", timeout=WAIT_MS)  # the message goes with it
    qtbot.waitUntil(lambda: window._last_status.indexed == {"photo": 3}, timeout=WAIT_MS)


def test_an_unmounted_folder_keeps_its_files_and_forget_them_confirms(qtbot, open_window, tmp_path):
    drive = tmp_path / "usb"
    for i in range(3):
        write_photo(drive / f"{i}.jpg", i)
    app_settings(tmp_path / "data", [drive])
    with build_engine(load_settings({}, data_dir=tmp_path / "data")) as engine:
        engine.index()
    shutil.rmtree(drive)
    drive.mkdir()  # the mount point, left empty
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "is empty" in window.banner.text(), timeout=WAIT_MS)
    assert "3 indexed files are kept" in window.banner.text()
    assert window._last_status is not None and window._last_status.indexed == {"photo": 3}
    window.banner.button.click()  # "Forget them…" asks first, naming the count
    question = _forget_question(qtbot, window)
    assert "Forget the 3 indexed files" in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()  # nothing is forgotten
    qtbot.wait(500)
    assert window._last_status.indexed == {"photo": 3} and "is empty" in window.banner.text()
    window.banner.button.click()
    forget = next(b for b in _forget_question(qtbot, window).buttons() if b.text() == "Forget them")
    forget.click()
    qtbot.waitUntil(lambda: window._last_status.indexed == {}, timeout=WAIT_MS)
    assert window.banner.text() == ""


def _forget_question(qtbot, window) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [b for b in window.findChildren(QMessageBox, OBJECT_NAME) if b.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return found[-1]


def test_results_on_screen_follow_deletions_and_renames(qtbot, open_window, tmp_path):
    """Additions showed up within seconds, but a deleted photo stayed listed and a renamed
    one kept its old name until the query was typed again."""
    library = tmp_path / "library"
    for i in range(4):
        write_photo(library / f"{i}.jpg", i, size=(320, 240))
    app_settings(tmp_path / "data", [library])
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "Watching" in window.status.label.text(), timeout=WAIT_MS)
    search(qtbot, window, "a photo")
    window.search_bar.show_all = True  # "Show N weaker": every photo, however weak a match
    window.search()

    def listed() -> set[str]:
        names = set()
        for i in range(window.model.rowCount()):
            result = window.model.row(i).result
            names |= {result.path.name, *(s.path.name for s in result.similar)}
        return names

    qtbot.waitUntil(lambda: listed() == {"0.jpg", "1.jpg", "2.jpg", "3.jpg"}, timeout=WAIT_MS)
    (library / "0.jpg").unlink()
    qtbot.waitUntil(lambda: "0.jpg" not in listed(), timeout=WAIT_MS)
    (library / "1.jpg").rename(library / "renamed.jpg")
    qtbot.waitUntil(lambda: listed() == {"renamed.jpg", "2.jpg", "3.jpg"}, timeout=WAIT_MS)


def test_the_status_bar_counts_time_left_by_work_and_stops_the_clock_while_paused(qtbot, window, monkeypatch):
    now = Clock()
    monkeypatch.setattr("indexer.ingest.progress.time.monotonic", now)
    work = WorkClock([file_work(p, n) for p, n in PHOTOS + VIDEOS])
    for path, size in PHOTOS:
        now.now += 0.1
        work.finished(file_work(path, size))
    event = ProgressEvent(100, 90, 0, PHOTOS[-1][0], 90 / work.working_s(), work.eta_s())
    window.status.show_progress(event)
    assert "about 3 min left" in window.status.label.text()  # not "about 1 s": ten long videos remain
    window.status.pause.click()
    window.status.show_progress(replace(event, paused=True))
    assert window.status.label.text() == "Indexing: 90 / 100 files · paused"
    window.status.show_progress(event)  # sent before the indexer saw the pause, arriving after
    assert window.status.label.text() == "Indexing: 90 / 100 files · paused"


def test_closing_while_a_model_loads_does_not_wait_for_it_and_frees_the_data_folder(
    qtbot, open_window, tmp_path, monkeypatch
):
    slow_model_loads(monkeypatch, 4.0)  # a full-size model from a slow disk
    library = make_library(tmp_path / "library", 2)
    app_settings(tmp_path / "data", [library])
    window = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: "Loading the" in window.status.label.text(), timeout=WAIT_MS)
    left = window.session.indexer
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 1.0
    with build_engine(load_settings({}, data_dir=tmp_path / "data")) as engine:
        assert engine.writer  # the next launch indexes: the closed one let go of the folder
    # The app ends its process at once; a test process lives on, so the load is let finish.
    qtbot.waitUntil(left._thread.isFinished, timeout=WAIT_MS)
