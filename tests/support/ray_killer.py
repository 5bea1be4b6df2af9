"""A Ray worker setup hook: in every worker, decoding a file whose name starts with "killer"
kills the worker's process (as a decoder segfault or the OOM killer would), and each attempt
is counted as a line in the file $FRAMEFIND_TEST_ATTEMPTS."""

from __future__ import annotations

import os


def setup() -> None:
    import indexer.ingest.ray_pipeline as ray_pipeline

    real = ray_pipeline.extract

    def extract(path, options):
        if path.name.startswith("killer"):
            with open(os.environ["FRAMEFIND_TEST_ATTEMPTS"], "a") as fh:
                fh.write(f"{os.getpid()}\n")
            os._exit(139)
        return real(path, options)

    ray_pipeline.extract = extract
