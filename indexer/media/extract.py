"""One entry point for any media file: sniff what it really is, then stream its segments."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import av

from indexer.errors import MediaError
from indexer.media.access import decoder_reason, read_head
from indexer.media.audio import Damage, audio_windows
from indexer.media.clips import video_clips
from indexer.media.dates import container_taken, photo_taken
from indexer.media.image import decode_image
from indexer.media.kinds import UNSIGNED_PHOTO_EXTENSIONS, Kind, extension_kind, looks_like_image
from indexer.media.segment import MediaSegment
from indexer.media.subtitles import TEXT_CODECS, Line, read_lines
from indexer.media.video import is_real_video, video_frames
from indexer.wording import Message


@dataclass(frozen=True)
class ExtractOptions:
    video_interval_s: float = 2.0
    audio_window_s: float = 10.0
    audio_hop_s: float = 5.0
    max_image_pixels: int = 150_000_000
    decode_side: int = 512
    images: bool = True  # False when no space takes images
    audio_rate: int | None = None  # None when no space takes audio
    clips: bool = False  # a space takes video as video (clips.py)
    # Spread at most this many segments of each stream over the file (a long file given as
    # a query example is summarised from end to end); None samples at the intervals above.
    spread: int | None = None


@dataclass
class Extraction:
    kind: Kind
    segments: Iterator[MediaSegment]
    taken: float | None = None  # capture time from the file's metadata, when it has one
    damage: dict[str, Damage] = field(default_factory=dict)  # per stream kind, filled while decoding
    lines: list[Line] = field(default_factory=list)  # what its subtitles say, embedded or beside it

    def notes(self) -> Message | None:
        """What was lost to damage, once the segments have been read; None when nothing."""
        found = [note for what, d in self.damage.items() if (note := d.note(what))]
        return (
            Message("{video}; {audio}", video=found[0], audio=found[1])
            if len(found) == 2
            else next(iter(found), None)
        )


# FFmpeg demuxers that "open" what is not audio or video: plain text (shown as ANSI art),
# and still images chosen by file name alone. Stills are Pillow's job.
NOT_MEDIA_FORMATS = frozenset({"tty", "image2", "image2pipe"})


@dataclass(frozen=True)
class _Streams:
    video: bool
    audio: bool
    problem: str | None = None  # why FFmpeg could not open the file
    taken: float | None = None
    duration: float | None = None
    subtitles: bool = False  # a text subtitle stream


def _probe(path: Path) -> _Streams:
    """Which streams FFmpeg finds; none at all for content it cannot open."""
    try:
        with av.open(str(path)) as container:
            if container.format.name in NOT_MEDIA_FORMATS:
                return _Streams(
                    video=False, audio=False, problem=Message("the content is not audio or video")
                )
            return _Streams(
                video=any(is_real_video(s) for s in container.streams.video),
                audio=bool(container.streams.audio),
                taken=container_taken(container.metadata),
                duration=container.duration / av.time_base if container.duration else None,
                subtitles=any(s.codec_context.name in TEXT_CODECS for s in container.streams.subtitles),
            )
    except av.FFmpegError as exc:
        return _Streams(video=False, audio=False, problem=decoder_reason(exc))


def _spread(options: ExtractOptions, duration: float | None) -> ExtractOptions:
    if options.spread is None or not duration:
        return options
    step = duration / options.spread
    return replace(
        options,
        video_interval_s=max(options.video_interval_s, step),
        audio_hop_s=max(options.audio_hop_s, step),
    )


def _no_streams(path: Path, streams: _Streams) -> MediaError:
    claimed = extension_kind(path)
    if claimed == "photo":
        return MediaError(
            path,
            Message(
                "not a readable image: the content is no known image format (wrong extension, or corrupt)"
            ),
        )
    if claimed is None:
        return MediaError(
            path,
            Message("not a photo, video or audio file: neither its name nor its content is a media format"),
        )
    if streams.problem and claimed == "video":
        return MediaError(path, Message("not a readable video file: {problem}", problem=streams.problem))
    if streams.problem:
        return MediaError(path, Message("not a readable audio file: {problem}", problem=streams.problem))
    return MediaError(path, Message("no audio or video stream in the file"))


def extract(path: Path, options: ExtractOptions) -> Extraction:
    """Decide the file's kind from its content (not its name) and stream its segments.

    Raises MediaError at once for unreadable files; the returned iterator may raise it
    later for damage found while decoding.
    """
    head = read_head(path)
    if looks_like_image(head) or path.suffix.lower() in UNSIGNED_PHOTO_EXTENSIONS:
        if not options.images:
            raise MediaError(path, Message("no embedding space takes images (set an image model)"))
        image = decode_image(path, options.max_image_pixels, options.decode_side)
        return Extraction("photo", iter([MediaSegment("image", image)]), photo_taken(path))
    streams = _probe(path)
    if not streams.video and not streams.audio:
        raise _no_streams(path, streams)
    parts: list[Iterator[MediaSegment]] = []
    damage = {"video": Damage(), "audio": Damage()}
    o = _spread(options, streams.duration)
    if streams.video and o.images:
        parts.append(
            video_frames(path, o.video_interval_s, o.decode_side, o.max_image_pixels, damage["video"])
        )
    if streams.video and o.clips:
        parts.append(video_clips(path, max_pixels=o.max_image_pixels, damage=damage["video"]))
    if streams.audio and o.audio_rate:
        parts.append(audio_windows(path, o.audio_rate, o.audio_window_s, o.audio_hop_s, damage["audio"]))
    if not parts:
        if streams.video:
            raise MediaError(path, Message("no embedding space takes images (set a model for it)"))
        raise MediaError(path, Message("no embedding space takes audio (set a model for it)"))
    kind: Kind = "video" if streams.video else "audio"
    lines = read_lines(path, embedded=streams.subtitles)
    return Extraction(kind, itertools.chain(*parts), streams.taken, damage, lines)
