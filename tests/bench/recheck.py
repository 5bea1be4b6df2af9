"""How long a start-up reconciliation takes over a large library where nothing changed.

Creates N tiny files in nested folders, records them in a catalog as indexed (as a previous
run would have), then times `Engine.index` over the tree, which must find nothing to do.
Not part of the test run:

    .venv/bin/python -m tests.bench.recheck [--files 100000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from indexer import Settings, SpaceSpec, build_engine
from indexer.catalog import FileState


def make_tree(root: Path, files: int, per_folder: int = 200) -> list[Path]:
    paths = []
    for i in range(files):
        folder = root / f"{i // (per_folder * 50):03d}" / f"{i // per_folder:05d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"IMG_{i:06d}.jpg"
        path.write_bytes(b"\xff\xd8\xff")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        started = time.perf_counter()
        paths = make_tree(root, args.files)
        made = time.perf_counter() - started
        # No model is loaded: nothing changed, so nothing is embedded.
        settings = Settings(data_dir=Path(tmp) / "data", spaces=(SpaceSpec("image", "unused/model"),))
        with build_engine(settings) as engine, engine.catalog.transaction():
            for path in paths:
                st = path.stat()
                engine.catalog.files.save(
                    FileState(path, st.st_size, st.st_mtime_ns, "x"), kind="photo", status="indexed"
                )
        timings = []
        for _ in range(3):
            with build_engine(settings) as engine:
                began = time.perf_counter()
                report = engine.index([root])
                timings.append(time.perf_counter() - began)
                assert report.unchanged == args.files and not report.embedded_anything, report
        result = {
            "files": args.files,
            "tree_seconds": round(made, 1),
            "recheck_seconds": [round(t, 2) for t in timings],
            "best": round(min(timings), 2),
            "files_per_second": round(args.files / min(timings)),
        }
    print(
        f"re-check of {args.files} unchanged files: best {result['best']} s of {result['recheck_seconds']} "
        f"({result['files_per_second']} files/s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
