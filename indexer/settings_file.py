"""The settings file in the data folder: plain JSON, checked against rules on read, written atomically.

The rules are the Settings dataclass's own (see settings.py): one table for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer import jsonfile
from indexer.errors import FramefindError

FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Rule:
    """What a setting may hold: JSON types, and a test with the words that say what passes."""

    types: tuple[type, ...]
    test: Callable[[Any], bool] | None = None
    says: str = ""

    def problem(self, name: str, value: Any) -> str | None:
        """Why `value` is not a valid `name`, or None."""
        if not isinstance(value, self.types) or (isinstance(value, bool) and bool not in self.types):
            kinds = " or ".join(t.__name__ for t in self.types)
            return f"Setting {name!r} must be {kinds}, not {value!r}"
        if self.test is not None and not self.test(value):
            return f"Setting {name!r} must be {self.says}, not {value!r}"
        return None


Rules = Mapping[str, Rule]


def read(path: Path, rules: Rules) -> dict[str, Any]:
    """The file's settings, or {} when there is no file."""
    try:
        values = jsonfile.read(path)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise FramefindError(f"Cannot read the settings file {path}: {exc}. Fix or delete it.") from exc
    if not isinstance(values, dict):
        raise FramefindError(f"The settings file {path} must hold a JSON object.")
    check(values, path, rules)
    return values


def check(values: dict[str, Any], path: Path, rules: Rules) -> None:
    """Refuse unknown keys (naming the known ones) and values that break their rule."""
    for key, value in values.items():
        if key not in rules:
            raise FramefindError(
                f"Unknown setting {key!r} in {path}; known ones: {', '.join(sorted(rules))}."
            )
        problem = rules[key].problem(key, value)
        if problem:
            raise FramefindError(f"{problem} (in {path}).")


def write(path: Path, values: dict[str, Any]) -> None:
    """Replace the file atomically, so a crash never leaves half of it."""
    jsonfile.write(path, values)


def change(path: Path, changes: dict[str, Any], rules: Rules) -> None:
    """Set these keys (a value of None removes the key: its default applies again)."""
    values = read(path, rules)
    values.update(changes)
    values = {k: v for k, v in values.items() if v is not None}
    check(values, path, rules)
    write(path, values)
