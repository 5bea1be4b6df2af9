"""The window in German: every string it shows comes from the catalogue (none left in English),
numbers and dates follow the locale, nothing is cut off, and the catalogues hold every string."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QWidget,
)

from desktop.elided_label import ElidedLabel
from desktop.format import describe, detail
from indexer import HeldRoot, IndexReport, ProgressEvent
from indexer.wording import Message
from tests.desktop.conftest import WAIT_MS, search

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "desktop" / "i18n"
PLACEHOLDERS = re.compile(r"\{[^}]*\}|%n")
PIECES = re.compile(r"\{[^}]*\}|%n|<[^>]+>|\n")  # what a translation's words lie between


def _messages(name: str) -> list[tuple[str, str, list[str]]]:
    """(context, source, translations) of each message of a catalogue."""
    found = []
    for context in ET.parse(CATALOGUES / name).getroot():
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            found.append((context.findtext("name") or "", message.findtext("source"), forms))
    return found


def _english_pieces() -> tuple[set[str], set[str]]:
    """What would betray an English string on screen: the pieces between a source's
    placeholders that are two words or more, and the one-word sources, where German says
    them otherwise ("Video" is the same in both and betrays nothing)."""
    pieces, words = set(), set()
    for _, source, forms in _messages("framefind_de.ts"):
        if source in forms:
            continue
        for piece in re.split(PIECES, source):
            piece = piece.strip(" .,:;…()“”—")
            if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                pieces.add(piece)
            elif re.fullmatch(r"[A-Za-z]+", piece) and piece == source.strip(" .…"):
                words.add(piece)
    return pieces, words


def _texts(root: QWidget) -> list[str]:
    """Every text a person sees on `root` and the widgets shown on it, tooltips included."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        texts.append(widget.toolTip())
        if widget.isWindow():
            texts.append(widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox) and not widget.isEditable():  # an editable box holds a value
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            texts += [header.text(i) for i in range(header.columnCount())]
            rows = [widget.topLevelItem(i) for i in range(widget.topLevelItemCount())]
            texts += [row.text(i) for row in rows for i in range(1, row.columnCount())]  # not the path
    return [t for t in texts if t]


def _english_in(texts: list[str]) -> list[str]:
    """The texts that hold an English string of the catalogue, or prose the catalogue does not
    hold at all (a string that never went through `tr`): what is left of a text once every
    German piece is taken out may be names, paths and numbers, not two words in a row."""
    pieces, words = _english_pieces()
    german = sorted(
        {
            p
            for _, _, forms in _messages("framefind_de.ts")
            for f in forms
            for p in re.split(PIECES, f)
            if p.strip()
        },
        key=len,
        reverse=True,
    )
    found = []
    for text in texts:
        left = text
        for piece in german:
            left = left.replace(piece, " ")
        prose = re.search(r"(?<![\w/.-])[A-Za-z]{2,} [A-Za-z]{2,}(?![\w/.-])", left)
        if text.strip(" .…") in words or any(p in text for p in pieces) or prose:
            found.append(text)
    return found


def test_the_catalogues_hold_every_string_the_window_says_and_are_compiled():
    """A string added to the window without running packaging/update_translations.py would
    show in English under every language."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_german_catalogue_is_complete_and_keeps_every_placeholder():
    messages = _messages("framefind_de.ts")
    assert len(messages) > 150
    for context, source, forms in messages:
        assert all(forms), f"{context}: {source!r} is not translated"
        for form in forms:  # a lost {name} would raise when filled in; a lost %n drops the count
            assert Counter(PLACEHOLDERS.findall(form)) == Counter(PLACEHOLDERS.findall(source)), (
                source,
                form,
            )


def test_the_engine_messages_that_reach_the_window_are_in_the_catalogue():
    engine = {source for context, source, _ in _messages("framefind_de.ts") if context == ""}
    assert (
        "{folder} is not there" in engine
        and "Cannot read the date {text!r}; write 2021, 2021-06 or 2021-06-30." in engine
    )


def test_the_main_window_in_german_shows_no_english(qtbot, german, open_window, app_index):
    window = open_window(app_index.data_dir)
    qtbot.waitUntil(lambda: "Änderungen werden verfolgt" in window.status.label.text(), timeout=WAIT_MS)
    results = search(qtbot, window, "a red circle")
    assert results, "the search found nothing to show"
    window.view.setCurrentIndex(window.model.index(0))  # the preview, with its details
    qtbot.waitUntil(lambda: window.preview.result is not None, timeout=WAIT_MS)
    shown = _texts(window)
    cards = [detail(r) for r in results] + [describe(r) for r in results]
    assert "Ergebnis" in window.summary.text() or "Treffer" in window.summary.text()
    assert "Öffnen" in shown and "Einstellungen" in shown  # the words, whole, at the default size
    assert _english_in(shown + cards) == []


def test_engine_messages_status_and_dialogs_in_german(qtbot, german, open_window, app_index, tmp_path):
    from desktop.confirm_forget import ask_to_forget
    from desktop.errors_dialog import ErrorsDialog
    from desktop.messages import held_message, said
    from desktop.settings_dialog import SettingsDialog
    from desktop.welcome import WelcomeDialog

    window = open_window(app_index.data_dir)
    qtbot.waitUntil(lambda: "Änderungen werden verfolgt" in window.status.label.text(), timeout=WAIT_MS)
    search(qtbot, window, "a red circle after:yesterday")  # the engine's own error, said in German
    assert "Das Datum 'yesterday' ist nicht lesbar" in window.summary.text()
    window.status.show_progress(
        ProgressEvent(total=4000, done=1200, failed=3, current=None, rate=9.4, eta_s=420)
    )
    progress = window.status.label.text()
    assert progress.startswith("Indizieren: 1.200 / 4.000 Dateien · 9,4 Dateien/s"), progress
    window.status.show_report(
        IndexReport(new=3, unchanged=1, segments=45, seconds=1, indexed_by_kind=Counter(photo=3))
    )
    report = window.status.label.text()
    assert report.startswith("3 neue Dateien indiziert (3 Fotos; 45 durchsuchbare Momente)"), report
    hold = HeldRoot(tmp_path / "drive", Message("{folder} is empty", folder=tmp_path / "drive"), 1)
    window.banner.show_message(held_message(hold))
    assert "ist leer" in window.banner.text() and "Seine 1 indizierte Datei bleibt" in window.banner.text()
    dialogs = [
        SettingsDialog(window.session.settings, window, {}),
        WelcomeDialog([tmp_path], ["openai/clip-vit-base-patch32"], window),
        ErrorsDialog([(tmp_path / "broken.jpg", said(Message("empty file (0 bytes)")))], parent=window),
    ]
    for dialog in dialogs:
        dialog.show()
    box = ask_to_forget(window, [hold], lambda: None)
    shown = [t for d in [window, *dialogs, box] for t in _texts(d)]
    assert "Framefind-Einstellungen" in shown and "Abbrechen" in shown  # Qt's own buttons too
    assert _english_in(shown) == []
    for dialog in [*dialogs, box]:
        dialog.close()


def test_why_a_file_was_not_indexed_is_said_in_german_and_kept_in_english_for_the_log(
    german, engine, tmp_path
):
    """The reasons the errors dialog lists come from the engine's decoders, through the catalog."""
    from desktop.messages import said

    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "notes.mp4").write_text("not a film")
    engine.index([folder])
    reasons = {r.path.name: r.error for r in engine.failures()}
    assert reasons == {
        "empty.jpg": "empty file (0 bytes)",
        "notes.mp4": "not a readable video file: Invalid data found when processing input",  # FFmpeg's words
    }
    assert said(reasons["empty.jpg"]) == "leere Datei (0 Byte)"
    assert said(reasons["notes.mp4"]) == "keine lesbare Videodatei: Invalid data found when processing input"


def test_dates_and_numbers_follow_the_locale(qtbot, german, open_window, app_index):
    from PySide6.QtCore import QDateTime, QLocale

    window = open_window(app_index.data_dir)
    qtbot.waitUntil(lambda: "Änderungen werden verfolgt" in window.status.label.text(), timeout=WAIT_MS)
    results = search(qtbot, window, "a red circle")
    window.view.setCurrentIndex(window.model.index(0))
    qtbot.waitUntil(lambda: window.preview.result is not None, timeout=WAIT_MS)
    details = window.preview.details
    rows = {
        details.itemAt(i, details.ItemRole.LabelRole).widget().text(): details.itemAt(
            i, details.ItemRole.FieldRole
        )
        .widget()
        .text()
        for i in range(details.rowCount())
    }
    modified = QDateTime.fromSecsSinceEpoch(int(results[0].path.stat().st_mtime))
    assert rows["Geändert"] == QLocale("de_DE").toString(modified, QLocale.FormatType.ShortFormat)
    assert re.fullmatch(r"\d\d\.\d\d\.\d\d \d\d:\d\d", rows["Geändert"])  # 06.12.26 20:41
    assert rows["Art"] == "Foto" or rows["Art"] in ("Video", "Audio")


@pytest.mark.parametrize("size", ["minimum", "1100"])
def test_nothing_is_cut_off_in_german(qtbot, german, open_window, app_index, size):
    """German runs a third longer than English: every label fits, wraps, or ends in "…" with
    the whole of it in its tooltip; every button shows its whole text."""
    window = open_window(app_index.data_dir)
    qtbot.waitUntil(lambda: "Änderungen werden verfolgt" in window.status.label.text(), timeout=WAIT_MS)
    search(qtbot, window, "a red circle")
    window.view.setCurrentIndex(window.model.index(0))
    qtbot.waitUntil(lambda: window.preview.result is not None, timeout=WAIT_MS)
    window.resize(window.minimumWidth() if size == "minimum" else 1100, window.minimumHeight())
    qtbot.wait(100)
    cut = [_text(w) for w in window.findChildren(QWidget) if w.isVisible() and _cut_off(w)]
    assert cut == []


def _text(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""


def _cut_off(widget: QWidget) -> bool:
    """Shown in part, with nothing saying so: an elided label ends in "…" and holds the whole
    text in its tooltip; a wrapped one has the room it needs; a button shows all its words."""
    if isinstance(widget, ElidedLabel):
        shown = QLabel.text(widget)
        return shown != widget.text() and not (
            shown.endswith("…") and widget.toolTip().startswith(widget.text())
        )
    if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap() and widget.pixmap().isNull():
        return widget.fontMetrics().horizontalAdvance(widget.text()) > widget.contentsRect().width()
    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.sizeHint().width() > widget.width() + 1
    return False


def test_the_system_locale_chooses_the_language(tmp_path):
    """As `framefind` starts: LANG=de_DE gives the German window; a language without a
    catalogue (French) gives English with Qt's own buttons in French."""
    script = (
        "from PySide6.QtCore import QLocale\n"
        "from PySide6.QtWidgets import QApplication, QDialogButtonBox\n"
        "from desktop.translation import install_translations\n"
        "from desktop.search_bar import SearchBar\n"
        "app = QApplication([])\n"
        "install_translations(app, QLocale.system())\n"
        "box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)\n"
        "print(SearchBar().field.placeholderText(), '|', box.buttons()[0].text())\n"
    )
    said = {}
    for lang in ("de_DE.UTF-8", "fr_FR.UTF-8"):
        env = {
            "LANG": lang,
            "LC_ALL": lang,
            "LANGUAGE": "",
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT),
        }
        run = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        said[lang[:2]] = run.stdout.strip()
    assert said["de"] == "Fotos, Videos und Audio durchsuchen… oder eine Datei hierher ziehen | Abbrechen"
    assert said["fr"] == "Search photos, videos and audio… or drop a file here | Annuler"
