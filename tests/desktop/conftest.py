"""Desktop tests: pytest-qt on Qt's offscreen platform, over an index of the labelled synthetic
folder built with the trained tiny models, so queries mean something."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings

from desktop.translation import install_translations
from desktop.window import MainWindow
from indexer import Settings, load_settings
from tests.support.app_index import AppIndex, build_app_index

WAIT_MS = 30_000


ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture(scope="session", autouse=True)
def english(qapp) -> None:
    """The window as on an English system, as `framefind` starts it: the English catalogue
    gives the source strings their plural forms ("1 file", not "1 file(s)")."""
    install_translations(qapp, ENGLISH)


@pytest.fixture
def german(qapp) -> Iterator[None]:
    """The window as on a German system, for one test."""
    translators = install_translations(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(ENGLISH)


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> AppIndex:
    return build_app_index(tmp_path_factory.mktemp("app"))


def loader(data_dir: Path) -> Callable[[Path | None], Settings]:
    return lambda chosen: load_settings({}, data_dir=chosen or data_dir)


@pytest.fixture
def open_window(qtbot, tmp_path: Path) -> Iterator[Callable[[Path], MainWindow]]:
    """Opens the app's window on a data folder, as `framefind` does, and closes it after."""
    windows: list[MainWindow] = []

    def open_on(data_dir: Path) -> MainWindow:
        window = MainWindow(loader(data_dir), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield open_on
    for window in windows:
        window.close()


@pytest.fixture
def window(open_window, app_index: AppIndex, qtbot) -> MainWindow:
    """The window on the indexed folder, once its models have loaded."""
    window = open_window(app_index.data_dir)
    qtbot.waitUntil(lambda: "Loading" not in window.status.label.text(), timeout=WAIT_MS)
    return window


def search(qtbot, window: MainWindow, text: str) -> list:
    """Type a query as a person would and wait for the results on screen."""
    window.search_bar.field.clear()
    qtbot.keyClicks(window.search_bar.field, text)
    qtbot.waitUntil(lambda: not window.searching, timeout=WAIT_MS)
    return [window.model.row(i).result for i in range(window.model.rowCount())]
