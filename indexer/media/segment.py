"""The unit every decoder yields: one photo, one video frame or one audio window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Modality = Literal["image", "audio"]


@dataclass(frozen=True, slots=True)
class MediaSegment:
    modality: Modality
    # PIL.Image.Image (RGB) for "image"; mono float32 numpy array for "audio".
    data: Any
    start: float | None = None  # seconds; None for a photo
    end: float | None = None
    t: float | None = None  # the best single timestamp to show or seek to
    sampling_rate: int | None = None  # audio only
