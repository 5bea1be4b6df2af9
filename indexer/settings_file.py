"""The settings file in the data folder: plain JSON, validated on read, written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indexer import jsonfile
from indexer.errors import FramefindError

FILE_NAME = "settings.json"

# Every key the file may hold, with the JSON types it accepts.
KEYS: dict[str, tuple[type, ...]] = {
    "folders": (list,),
    "exclude": (list,),
    "follow_symlinks": (bool,),
    "image_model": (str,),
    "audio_model": (str,),
    "device": (str,),
    "batch_size": (int,),
    "video_interval_s": (int, float),
    "audio_window_s": (int, float),
    "audio_hop_s": (int, float),
    "max_image_pixels": (int,),
    "decode_side": (int,),
    "decode_workers": (int,),
    "checkpoint_every_s": (int, float),
    "compress_above": (int,),
    "settle_s": (int, float),
    "force_polling": (bool,),
    "poll_interval_s": (int, float),
    "reranker": (str,),
    "rerank_top": (int,),
    "rerank_budget_s": (int, float),
}


def read(path: Path) -> dict[str, Any]:
    """The file's settings, or {} when there is no file."""
    try:
        values = jsonfile.read(path)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise FramefindError(f"Cannot read the settings file {path}: {exc}. Fix or delete it.") from exc
    if not isinstance(values, dict):
        raise FramefindError(f"The settings file {path} must hold a JSON object.")
    check(values, path)
    return values


def check(values: dict[str, Any], path: Path) -> None:
    """Refuse unknown keys and values of the wrong type, naming the known ones."""
    for key, value in values.items():
        if key not in KEYS:
            raise FramefindError(f"Unknown setting {key!r} in {path}; known ones: {', '.join(sorted(KEYS))}.")
        if not isinstance(value, KEYS[key]) or (isinstance(value, bool) and bool not in KEYS[key]):
            kinds = " or ".join(t.__name__ for t in KEYS[key])
            raise FramefindError(f"Setting {key!r} in {path} must be {kinds}, not {value!r}.")


def write(path: Path, values: dict[str, Any]) -> None:
    """Replace the file atomically, so a crash never leaves half of it."""
    jsonfile.write(path, values)


def update(path: Path, key: str, value: Any) -> None:
    change(path, {key: value})


def change(path: Path, changes: dict[str, Any]) -> None:
    """Set these keys (a value of None removes the key: its default applies again)."""
    values = read(path)
    values.update(changes)
    values = {k: v for k, v in values.items() if v is not None}
    check(values, path)
    write(path, values)
