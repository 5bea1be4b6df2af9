"""The unit every decoder yields: one photo, one video frame, one audio window or one clip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Modality = Literal["image", "audio", "text", "video"]

# What a segment is. A space declares which of these it embeds (settings.SpaceSpec). A line
# (of speech or subtitles) is a segment the catalog makes with the line itself
# (migration 0009); decoders yield the others.
PHOTO, FRAME, AUDIO_WINDOW, LINE, CLIP = "photo", "frame", "audio_window", "line", "clip"
# What an encoder reads. A clip is a few seconds of a video as video (frames at about 1 fps),
# for a video-language model, which sees motion that one frame cannot show.
INPUT_OF = {PHOTO: "image", FRAME: "image", AUDIO_WINDOW: "audio", LINE: "text", CLIP: "video"}


@dataclass(frozen=True, slots=True)
class MediaSegment:
    modality: Modality
    # PIL.Image.Image (RGB) for "image"; mono float32 numpy array for "audio"; str for "text";
    # uint8 frames (count, height, width, 3) for "video", at `sampling_rate` frames a second.
    data: Any
    start: float | None = None  # seconds; None for a photo
    end: float | None = None
    t: float | None = None  # the best single timestamp to show or seek to
    sampling_rate: int | None = None  # audio: samples a second; video: frames a second
    kind: str = ""  # PHOTO, FRAME, AUDIO_WINDOW…; "" where the modality and start tell it

    @property
    def segment_kind(self) -> str:
        if self.kind:
            return self.kind
        if self.modality == "audio":
            return AUDIO_WINDOW
        return PHOTO if self.start is None else FRAME


# A clip's frames are the ones wanted: Sentence Transformers' processor must not sample them
# again (given a path, it spreads up to 768 frames over the whole film).
CLIP_PROCESSING = {"video": {"do_sample_frames": False}}


def model_input(segment: MediaSegment) -> Any:
    """A segment as Sentence Transformers takes it: audio with its rate, a clip with the
    metadata that times its frames (the model is told each frame's second)."""
    if segment.modality == "audio":
        return {"array": segment.data, "sampling_rate": segment.sampling_rate}
    if segment.modality == "video":
        count = len(segment.data)
        metadata = {"fps": float(segment.sampling_rate or 1), "total_num_frames": count}
        return {"array": segment.data, "video_metadata": {**metadata, "frames_indices": list(range(count))}}
    return segment.data
