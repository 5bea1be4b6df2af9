"""The window in the user's language: Framefind's Qt catalogues (desktop/i18n) and Qt's own
(its dialogs' buttons), for the system locale, with its numbers and dates.

The source strings are English with Qt's plural markers ("%n file(s)"); the English catalogue
holds only their plural forms, so it is always installed, beneath the user's language.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

CATALOGUES = Path(__file__).parent / "i18n"


def install_translations(app: QCoreApplication, locale: QLocale) -> list[QTranslator]:
    """Install the catalogues for `locale` (the system's, at start), and make numbers and
    dates follow it. Returns the translators installed, the most specific last (Qt asks the
    last one first); each is owned by `app`."""
    QLocale.setDefault(locale)
    english = QTranslator(app)
    installed = [english] if english.load(str(CATALOGUES / "framefind_en.qm")) else []
    if locale.language() not in (QLocale.Language.English, QLocale.Language.C):
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in (("qtbase", qt_folder), ("framefind", str(CATALOGUES))):
            translator = QTranslator(app)
            if translator.load(locale, name, "_", folder):
                installed.append(translator)
            else:
                log.info(
                    "no %s catalogue for %s: that part of the window stays in English", name, locale.name()
                )
    for translator in installed:
        app.installTranslator(translator)
    return installed
