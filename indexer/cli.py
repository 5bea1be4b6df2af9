"""`framefind` command line: index, watch, search, status, retry, remove, prune, folders, eval; with
no command (or `gui`) it opens the desktop window.

Only this module (and the desktop app) turns errors into messages and exit codes, and
only it configures logging.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from indexer.cli_parser import build_parser
from indexer.cli_progress import with_progress
from indexer.errors import FramefindError
from indexer.logs import log_to_file
from indexer.media.kinds import KINDS
from indexer.search.query import Query, parse_date, parse_duration, parse_query
from indexer.search.transcript import as_srt, as_text

log = logging.getLogger("indexer.cli")

NOTICE_LOGGERS = {"indexer.models.embed"}
# Loggers of libraries that speak of the user's files without naming them (Pillow's "More
# samples per pixel than can be decoded"): the log file, not the console, which has our
# line for the file, with its name.
FILE_ONLY_LOGGERS = {"py.warnings", "PIL"}
WRITE_COMMANDS = {"index", "watch", "retry", "remove", "prune"}
MODEL_COMMANDS = {"index", "watch", "retry", "search", "eval"}


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _print_report(report) -> None:
    print(report.summary())
    if report.failed:
        print("See why with: framefind status --errors")


def cmd_index(engine, args) -> int:
    _print_report(with_progress(lambda bar: engine.index(args.paths, on_progress=bar)))
    # Then what is said and written: the pictures and sounds above are searchable meanwhile.
    speech = with_progress(lambda bar: engine.transcribe(on_progress=bar))
    if speech.pieces or speech.lines_embedded or speech.reading.files:
        print(speech.summary())
    return 0


def cmd_retry(engine, args) -> int:
    _print_report(with_progress(lambda bar: engine.retry(on_progress=bar)))
    return 0


def cmd_watch(engine, args) -> int:
    from indexer.ingest.control import Control
    from indexer.ingest.watch import Watcher
    from indexer.ipc import SearchServer

    control = Control()
    signal.signal(signal.SIGTERM, lambda *_: control.stop())
    roots = args.paths or list(engine.settings.folders)
    if not roots:
        raise FramefindError(
            "No folder to watch: give one (framefind watch PATH) or add one with "
            "`framefind folders add PATH`."
        )

    def run(bar) -> None:
        watcher = Watcher(
            engine,
            roots,
            control=control,
            on_progress=bar,
            on_update=lambda r: (
                log.info(r.summary()) if r.embedded_anything or r.removed or r.moved else None
            ),
        )
        try:
            watcher.run()
        except KeyboardInterrupt:
            control.stop()

    server = SearchServer(engine, control)  # `framefind search` in another terminal asks here
    serving = server.start()
    print(f"Watching {', '.join(map(str, roots))} (Ctrl+C to stop).")
    if serving:
        print("Searches from other terminals are answered here, with the models already loaded.")
    try:
        with_progress(run)
    finally:
        server.close()
    print("Stopped; everything finished is saved.")
    return 0


def _search_query(args) -> Query:
    for path in args.like:
        if not path.exists():
            raise FramefindError(f"No such file or folder: {path}")
    return parse_query(
        args.text,
        examples=tuple(p.expanduser().resolve() for p in args.like),
        negatives=tuple(args.negatives),
        text_weight=args.text_weight,
        example_weight=args.example_weight,
        negative_weight=args.not_weight,
        kinds=frozenset(args.kind or ()),
        folder=args.folder.expanduser().resolve() if args.folder else None,
        after=parse_date(args.after) if args.after else None,
        before=parse_date(args.before) if args.before else None,
        min_duration=parse_duration(args.longer) if args.longer else None,
        max_duration=parse_duration(args.shorter) if args.shorter else None,
        limit=args.limit,
        per_file=args.per_file,
        show_all=args.all,
        sort=args.sort,
        calibrate=not args.no_calibration,
        rerank=not args.no_rerank,
    )


def cmd_eval(settings, args) -> int:
    from indexer.search.evaluate import evaluate

    results = evaluate(settings, args.folder)
    if args.json:
        print(json.dumps([asdict(m) for m in results], indent=2))
    else:
        print("\n".join(m.line() for m in results))
    return 0


def cmd_search(engine, args) -> int:
    from indexer.search.answer import response_data

    response = response_data(engine.search(_search_query(args)))
    return _print_search(response, args.json, lambda: bool(engine.status().indexed))


def _print_search(response: dict, as_json: bool, anything_indexed: Any) -> int:
    from indexer.search.answer import table

    if as_json:
        print(json.dumps(response, indent=2))
    elif response["results"]:
        print("\n".join(table(response)))
    else:
        print(
            "No results."
            if anything_indexed()
            else "No results: nothing is indexed yet (framefind index PATH)."
        )
    return 0


def cmd_status(engine, args) -> int:
    status = engine.status()
    counts = ", ".join(f"{status.indexed.get(k, 0)} {k}" for k in KINDS)
    print(f"Data folder: {status.data_dir}")
    print(f"Folders: {', '.join(map(str, status.folders)) or 'none (framefind folders add PATH)'}")
    print(f"Indexed: {counts}; {status.failed} failed")
    watcher = status.watcher
    running = f"running (pid {watcher['pid']}), {watcher['describe']}" if watcher else "not running"
    print(f"Watcher: {running}")
    print("Spaces:")
    for s in status.spaces:
        held = f"{s.vectors} vectors" + (f" of {s.expected}" if s.expected is not None else "")
        built = f"{s.state}, dim {s.dim}, {held}, {_megabytes(s.bytes)}" if s.dim else s.state
        print(f"  {s.name:<6} {s.model}  ({built})")
    print(f"Index size: {_megabytes(status.index_bytes)} (catalog {_megabytes(status.catalog_bytes)})")
    if status.unsupported:
        kinds = ", ".join(
            f"{n} {ext}" for ext, n in sorted(status.unsupported.items(), key=lambda kv: -kv[1])
        )
        print(f"Not indexed, formats Framefind does not read: {kinds}")
    for hold in status.held:
        print(
            f"Kept: {hold.files} files, because {hold.reason} (unmounted or unplugged?). They stay "
            f"searchable; if they are gone for good: framefind prune {hold.path}"
        )
    damaged = engine.damaged()
    if damaged:
        shown = damaged if args.errors else damaged[:5]
        print(f"Indexed with damage ({len(damaged)}):")
        for f in shown:
            print(f"  {f.path}: {f.error}")
    if status.failed:
        failures = engine.failures()
        shown = failures if args.errors else failures[:10]
        print(f"Errors ({len(failures)}):")
        for f in shown:
            print(f"  {f.path}: {f.error}")
        if len(shown) < len(failures):
            print("  … all of them with: framefind status --errors")
    return 0


def cmd_transcript(engine, args) -> int:
    lines = engine.transcript(args.file)
    if not lines:
        print(f"Nothing said in {args.file} is known (no subtitles).", file=sys.stderr)
        return 0
    print(as_srt(lines) if args.srt else as_text(lines), end="")
    return 0


def cmd_prune(engine, args) -> int:
    held = [h.path for h in engine.status().held]
    if not held and not args.paths:
        print("No folder is held: nothing to prune.")
        return 0
    report = engine.prune(args.paths)
    print(f"Removed {report.removed} file(s) that are gone from the index.")
    return 0


def cmd_remove(engine, args) -> int:
    removed = engine.remove(args.paths)
    print(f"Removed {removed} file(s) from the index." if removed else "Nothing indexed there.")
    return 0


def cmd_folders(settings, args) -> int:
    from indexer.settings import save_settings

    folders = [str(p) for p in settings.folders]
    chosen = [str(Path(os.path.abspath(p.expanduser()))) for p in args.paths]
    if args.action != "list" and not chosen:
        raise FramefindError(f"Name the folders to {args.action}: framefind folders {args.action} PATH…")
    if args.action == "add":
        missing = [p for p in chosen if not Path(p).is_dir()]
        if missing:
            raise FramefindError(f"Not a folder: {', '.join(missing)}")
        folders += [p for p in chosen if p not in folders]
    elif args.action == "remove":
        unknown = [p for p in chosen if p not in folders]
        if unknown:
            raise FramefindError(
                f"Not a configured folder: {', '.join(unknown)} (see framefind folders list)"
            )
        folders = [p for p in folders if p not in chosen]
    if args.action != "list":
        save_settings(settings.data_dir, {"folders": folders})
        if args.action == "remove":
            print("Removed from the list; to drop their files from the index too: framefind remove PATH")
    print("\n".join(folders) if folders else "No folders yet: framefind folders add PATH")
    return 0


COMMANDS = {
    "index": cmd_index,
    "watch": cmd_watch,
    "search": cmd_search,
    "status": cmd_status,
    "retry": cmd_retry,
    "remove": cmd_remove,
    "prune": cmd_prune,
    "transcript": cmd_transcript,
}


class _ConsoleHandler(logging.StreamHandler):
    """Writes above a live progress bar instead of through it."""

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        try:
            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:
            self.handleError(record)


def _file_only(logger: str) -> bool:
    return logger in FILE_ONLY_LOGGERS or logger.split(".")[0] in FILE_ONLY_LOGGERS


def _configure_logging(verbose: bool, log_dir: Path | None) -> None:
    """Console: warnings (all with -v). The log file in the data folder: everything, rotated."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    console = _ConsoleHandler()
    if not verbose:  # our warnings, and the notices people wait on (a model loading)
        console.addFilter(
            lambda r: (r.levelno >= logging.WARNING and not _file_only(r.name)) or r.name in NOTICE_LOGGERS
        )
    console.setFormatter(
        logging.Formatter("%(levelname)s %(name)s: %(message)s" if verbose else "%(message)s")
    )
    root.addHandler(console)
    if log_dir is not None:
        log_to_file(log_dir)
    logging.captureWarnings(True)  # libraries' warnings about files: the log, not the console


def _quiet_libraries() -> None:
    """Keep transformers' notices, its weight-loading bars and the hub's bars out of our
    output (set in the environment: importing transformers to say so costs 0.4 s of every
    search, which needs no model)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The hub logs each network retry twice (its handler and ours); our own error says it once.
    # (Its level is reset when it is imported, so only its environment variable holds.)
    os.environ.setdefault("HF_HUB_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # transformers' bars follow it


def main(argv: Sequence[str] | None = None) -> int:
    # File names need not be valid UTF-8: print them escaped rather than crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    from indexer.settings import load_settings

    if args.command in (None, "gui"):
        from desktop.app import run  # imported here: the engine itself never imports Qt

        models = ("image_model", "image_query_model", "audio_model", "speech_model", "words_model")
        keys = ("data_dir", *models, "vlm_model", "ocr", "device", "store")
        return run({k: getattr(args, k, None) for k in keys})
    try:
        settings = load_settings(
            data_dir=getattr(args, "data_dir", None),
            image_model=getattr(args, "image_model", None),
            image_query_model=getattr(args, "image_query_model", None),
            audio_model=getattr(args, "audio_model", None),
            speech_model=getattr(args, "speech_model", None),
            words_model=getattr(args, "words_model", None),
            vlm_model=getattr(args, "vlm_model", None),
            ocr=getattr(args, "ocr", None),
            device=getattr(args, "device", None),
            reranker=getattr(args, "reranker", None),
            store=getattr(args, "store", None),
            cluster=getattr(args, "cluster", None),
        )
        _configure_logging(verbose, settings.data_dir / "logs" if args.command in WRITE_COMMANDS else None)
        if args.command == "search" and not args.here:
            from indexer.ipc import ask

            answer = ask(settings, _search_query(args))  # a running Framefind holds the models
            if answer is not None:
                return _print_search(answer, args.json, lambda: True)
        if args.command in MODEL_COMMANDS and not verbose:
            _quiet_libraries()
        if args.command == "folders":
            return cmd_folders(settings, args)
        if args.command == "eval":
            return cmd_eval(settings, args)
        from indexer.engine import build_engine

        with build_engine(settings, writer=args.command in WRITE_COMMANDS) as engine:
            return COMMANDS[args.command](engine, args)
    except FramefindError as exc:
        print(f"framefind: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("framefind: interrupted; what was finished is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`framefind search … | head -1`): that is not an error. Point
        # stdout at nothing, so the interpreter's last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run() -> None:
    """The `framefind` command: main, then the process ends without tearing its libraries
    down. CTranslate2 (speech) and torch each bring their own OpenMP runtime, and unloading
    both at interpreter exit crashes now and then (exit 139) after everything was saved and
    printed; the window ends the same way (desktop/app.py)."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
