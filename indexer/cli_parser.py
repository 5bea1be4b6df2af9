"""The `framefind` command line's arguments: every command, its options and their checks."""

from __future__ import annotations

import argparse
from pathlib import Path

from indexer.media.kinds import KINDS
from indexer.search.order import SORTS


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100, not {text}")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS lets the options stand before or after the command name.
    kw: dict = {"default": argparse.SUPPRESS}
    parser.add_argument("--data-dir", type=Path, help="where the index lives (env FRAMEFIND_DATA_DIR)", **kw)
    parser.add_argument(
        "--image-model",
        help="hub id or folder of the image–text model (env FRAMEFIND_IMAGE_MODEL; 'none' to turn off)",
        **kw,
    )
    parser.add_argument(
        "--image-query-model",
        help="hub id or folder of the text model that embeds picture queries (env "
        "FRAMEFIND_IMAGE_QUERY_MODEL; 'auto': a multilingual one made for the image model, where "
        "there is one; 'none': the image model's own, English)",
        **kw,
    )
    parser.add_argument(
        "--audio-model",
        help="hub id or folder of the audio–text model (env FRAMEFIND_AUDIO_MODEL; 'none' to turn off)",
        **kw,
    )
    parser.add_argument(
        "--speech-model",
        help="Whisper size (base, large-v3-turbo), hub id or folder that transcribes speech "
        "(env FRAMEFIND_SPEECH_MODEL; default by device; 'none' to turn off)",
        **kw,
    )
    parser.add_argument(
        "--words-model",
        help="hub id or folder of the sentence model that finds what is said by meaning "
        "(env FRAMEFIND_WORDS_MODEL; 'none': by its words alone)",
        **kw,
    )
    parser.add_argument(
        "--vlm-model",
        help="hub id or folder of the video-language model that embeds clips as video "
        "(env FRAMEFIND_VLM_MODEL; default auto: Qwen3-VL-Embedding where the GPU has the memory, "
        "none on a CPU)",
        **kw,
    )
    parser.add_argument(
        "--ocr",
        help="text in pictures: auto (built-in models: Latin scripts, Chinese, Japanese), a RapidOCR "
        "language such as korean or cyrillic (downloads on first use), or none (env FRAMEFIND_OCR)",
        **kw,
    )
    parser.add_argument("--device", help="auto, cpu, cuda, cuda:1, mps (env FRAMEFIND_DEVICE)", **kw)
    parser.add_argument(
        "--store",
        help="where vectors live: faiss, milvus://HOST:PORT, milvus:FILE.db (env FRAMEFIND_STORE)",
        **kw,
    )
    parser.add_argument(
        "--cluster",
        help="where to embed: none, auto (a local Ray), ray://HOST:PORT (env FRAMEFIND_CLUSTER)",
        **kw,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens", **kw)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framefind", description="Search your photos, videos and audio.")
    _common(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the desktop window (also what `framefind` alone does)")

    p = commands.add_parser("index", help="index files and folders (only what changed)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: the configured folders")

    p = commands.add_parser("watch", help="index, then keep the index up to date as files change")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: the configured folders")

    p = commands.add_parser(
        "search",
        help="search by text, by example files, or both",
        description="The text may hold -negative words and filters: kind:video in:~/Videos "
        "after:2021-06 before:2022 longer:30s shorter:5m.",
    )
    p.add_argument("text", nargs="?", default="", help="what to look for, e.g. 'a dog on the beach -people'")
    p.add_argument(
        "--like",
        "--file",
        dest="like",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="a photo, audio or video clip, or an indexed folder, to find similar media to (repeatable)",
    )
    p.add_argument(
        "--not",
        dest="negatives",
        action="append",
        default=[],
        metavar="TEXT",
        help="push down results like this",
    )
    p.add_argument("--text-weight", type=_weight, default=1.0, help="weight of the text (default 1)")
    p.add_argument("--example-weight", type=_weight, default=1.0, help="weight of the examples (default 1)")
    p.add_argument("--not-weight", type=_weight, default=0.5, help="weight of negative terms (default 0.5)")
    p.add_argument("--kind", action="append", choices=KINDS, help="only this kind (repeatable)")
    p.add_argument("--folder", type=Path, help="only files below this folder")
    p.add_argument("--after", metavar="DATE", help="taken on or after 2021, 2021-06 or 2021-06-30")
    p.add_argument("--before", metavar="DATE", help="taken before this date")
    p.add_argument("--longer", metavar="DURATION", help="videos and recordings at least this long (30s, 2m)")
    p.add_argument("--shorter", metavar="DURATION", help="videos and recordings at most this long")
    p.add_argument("--limit", type=_at_least_one, default=20, help="number of results (default 20)")
    p.add_argument(
        "--per-file", type=_at_least_one, default=3, help="moments per video or recording (default 3)"
    )
    p.add_argument(
        "--sort",
        choices=SORTS,
        default="relevance",
        help="order of the good matches: relevance (default), date (newest first), oldest, name",
    )
    p.add_argument("--all", action="store_true", help="also show what falls below the relevance cutoff")
    p.add_argument("--no-calibration", action="store_true", help="rank by raw cosine similarity")
    p.add_argument("--no-rerank", action="store_true", help="skip the second-stage reranker")
    p.add_argument("--reranker", help="CrossEncoder id or folder, auto or none (env FRAMEFIND_RERANKER)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument(
        "--here",
        action="store_true",
        help="load the models in this process even when a running Framefind could answer",
    )

    p = commands.add_parser("eval", help="measure recall@k and MRR on a labelled folder")
    p.add_argument("folder", type=Path, help="media and a queries.json that labels them (see README)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = commands.add_parser("transcript", help="what is said in an indexed video or recording, with times")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--srt", action="store_true", help="print it as an SRT subtitle file")

    p = commands.add_parser("status", help="what is indexed, the spaces, the watcher, the errors")
    p.add_argument("--errors", action="store_true", help="list every failed file with its reason")

    commands.add_parser("retry", help="try every file that failed again")

    p = commands.add_parser("remove", help="forget files or folders (files on disk are kept)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = commands.add_parser(
        "prune",
        help="confirm that the files of a folder that looks unmounted or emptied are gone for good",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="default: every such folder")

    p = commands.add_parser("folders", help="the folders that index and watch cover")
    p.add_argument("action", choices=("add", "remove", "list"))
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    for sub in commands.choices.values():
        _common(sub)
    return parser
