"""The window's catalogues: collect every string the window shows into desktop/i18n/*.ts
(pyside6-lupdate) and compile them into the .qm files the app loads (pyside6-lrelease).

    python packaging/update_translations.py          # after changing what the window says
    python packaging/update_translations.py --check  # exit 1 when the catalogues are behind

Then translate what is new (`pyside6-linguist desktop/i18n/framefind_de.ts`, or an editor)
and run it again to compile. The strings are the desktop's `tr`, `translate` and
`QT_TRANSLATE_NOOP` calls, and the engine's `Message(...)` templates (indexer/wording.py).
A new language is a new framefind_<code>.ts: copy the German one with its translations
emptied, or run `pyside6-lupdate ... -ts desktop/i18n/framefind_<code>.ts` with the sources below.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "desktop" / "i18n"
ENGLISH = "framefind_en.ts"  # the plural forms of the English source strings, nothing else


def sources() -> list[Path]:
    desktop = sorted((ROOT / "desktop").glob("*.py"))
    engine = [
        p for p in sorted((ROOT / "indexer").rglob("*.py")) if "Message(" in p.read_text(encoding="utf-8")
    ]
    return desktop + [p for p in engine if p.name != "wording.py"]


def tool(name: str) -> str:
    found = shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(
        f"pyside6-{name}"
    )
    if found is None:
        raise SystemExit(f"pyside6-{name} is not installed: it comes with PySide6 (pip install PySide6).")
    return found


def update(folder: Path) -> None:
    """Bring every catalogue in `folder` up to date with the sources, and compile it."""
    files = [str(p) for p in sources()]
    for ts in sorted(folder.glob("framefind_*.ts")):
        extra = ["-pluralonly"] if ts.name == ENGLISH else []
        command = [
            tool("lupdate"),
            "-tr-function-alias",
            "QT_TR_NOOP+=Message",
            "-locations",
            "none",
            "-no-obsolete",
            "-silent",
            *extra,
            *files,
            "-ts",
            str(ts),
        ]
        subprocess.run(command, check=True, cwd=ROOT)
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def behind() -> list[str]:
    """The catalogues (or compiled files) that `update` would change."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp)
        for path in CATALOGUES.iterdir():
            shutil.copy(path, copy / path.name)
        update(copy)
        return [
            p.name for p in sorted(copy.iterdir()) if p.read_bytes() != (CATALOGUES / p.name).read_bytes()
        ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only say whether the catalogues are up to date")
    if parser.parse_args().check:
        stale = behind()
        print("up to date" if not stale else f"out of date: {', '.join(stale)}; run {Path(__file__).name}")
        return 1 if stale else 0
    update(CATALOGUES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
