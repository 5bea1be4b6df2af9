"""`framefind` command line: index, search, status, remove.

Only this module (and the desktop app) turns errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from indexer.errors import FramefindError
from indexer.media.kinds import KINDS

log = logging.getLogger("indexer.cli")


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
        "--audio-model",
        help="hub id or folder of the audio–text model (env FRAMEFIND_AUDIO_MODEL; 'none' to turn off)",
        **kw,
    )
    parser.add_argument("--device", help="auto, cpu, cuda, cuda:1, mps (env FRAMEFIND_DEVICE)", **kw)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens", **kw)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="framefind", description="Search your photos, videos and audio.")
    _common(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("index", help="index files and folders (only what changed)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = commands.add_parser("search", help="search by text or by an example file")
    p.add_argument("text", nargs="?", help="what to look for, e.g. 'a dog on the beach'")
    p.add_argument("--file", type=Path, help="a photo, audio or video clip to find similar media to")
    p.add_argument("--kind", action="append", choices=KINDS, help="only this kind (repeatable)")
    p.add_argument("--folder", type=Path, help="only files below this folder")
    p.add_argument("--limit", type=int, default=20, help="number of results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")

    p = commands.add_parser("status", help="what is indexed, the spaces, and the errors")
    p.add_argument("--errors", action="store_true", help="list every failed file with its reason")

    p = commands.add_parser("remove", help="forget files or folders (files on disk are kept)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    for sub in commands.choices.values():
        _common(sub)
    return parser


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def cmd_index(engine, args) -> int:
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    bar = None

    def on_progress(event) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=event.total, unit="file", dynamic_ncols=True, disable=None)
        bar.set_postfix_str(f"failed {event.failed} · {event.current.name if event.current else ''}"[:60])
        bar.update(event.done - bar.n)

    with logging_redirect_tqdm():
        try:
            report = engine.index(args.paths, on_progress=on_progress)
        finally:
            if bar is not None:
                bar.close()
    print(report.summary())
    if report.failed:
        print("See why with: framefind status --errors")
    return 0


def cmd_search(engine, args) -> int:
    from indexer.search import Query

    query = Query(
        text=args.text,
        file=args.file,
        kinds=frozenset(args.kind or ()),
        folder=args.folder.expanduser().resolve() if args.folder else None,
        limit=args.limit,
    )
    results = engine.search(query)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "path": str(r.path),
                        "kind": r.kind,
                        "modality": r.modality,
                        "score": round(r.score, 6),
                        "space": r.space,
                        "start": r.start,
                        "end": r.end,
                        "t": r.t,
                    }
                    for r in results
                ],
                indent=2,
            )
        )
        return 0
    if not results:
        print(
            "No results."
            if engine.status().indexed
            else "No results: nothing is indexed yet (framefind index PATH)."
        )
        return 0
    print(f"{'#':>3}  {'score':>6}  {'kind':<5}  {'at':<8} {'span':<15}  {'space':<5}  file")
    for rank, r in enumerate(results, 1):
        span = f"{_clock(r.start)}–{_clock(r.end)}" if r.start is not None else ""
        print(f"{rank:>3}  {r.score:6.3f}  {r.kind:<5}  {_clock(r.t):<8} {span:<15}  {r.space:<5}  {r.path}")
    return 0


def cmd_status(engine, args) -> int:
    status = engine.status()
    counts = ", ".join(f"{status.indexed.get(k, 0)} {k}" for k in KINDS)
    print(f"Data folder: {status.data_dir}")
    print(f"Indexed: {counts}; {status.pending} pending; {len(status.failures)} failed")
    print("Spaces:")
    for s in status.spaces:
        built = f"dim {s.dim}, {s.vectors} vectors, {_megabytes(s.bytes)}" if s.built else "not built yet"
        print(f"  {s.name:<6} {s.model}  ({built})")
    print(f"Index size: {_megabytes(status.index_bytes)} (catalog {_megabytes(status.catalog_bytes)})")
    if status.failures:
        shown = status.failures if args.errors else status.failures[:10]
        print(f"Errors ({len(status.failures)}):")
        for f in shown:
            print(f"  {f.path}: {f.error}")
        if len(shown) < len(status.failures):
            print("  … all of them with: framefind status --errors")
    return 0


def cmd_remove(engine, args) -> int:
    removed = engine.remove(args.paths)
    print(f"Removed {removed} file(s) from the index." if removed else "Nothing indexed there.")
    return 0


MODEL_COMMANDS = {"index", "search"}
COMMANDS = {"index": cmd_index, "search": cmd_search, "status": cmd_status, "remove": cmd_remove}


def _quiet_libraries() -> None:
    """Keep transformers' notices and weight-loading bars out of our output (hub download
    bars stay: they tell the user why the first run waits)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The hub logs each network retry twice (its handler and ours); our own error says it once.
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
    # But do say which model is loading: a first run may wait for a download.
    logging.getLogger("indexer.embed").setLevel(logging.INFO)
    import transformers.utils.logging

    transformers.utils.logging.disable_progress_bar()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s" if verbose else "%(message)s",
    )
    if not verbose and args.command in MODEL_COMMANDS:
        _quiet_libraries()
    from indexer.engine import build_engine
    from indexer.settings import load_settings

    try:
        settings = load_settings(
            data_dir=getattr(args, "data_dir", None),
            image_model=getattr(args, "image_model", None),
            audio_model=getattr(args, "audio_model", None),
            device=getattr(args, "device", None),
        )
        with build_engine(settings) as engine:
            return COMMANDS[args.command](engine, args)
    except FramefindError as exc:
        print(f"framefind: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framefind: interrupted; what was finished is saved.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
