"""Worker setup hook for ray_crashing_file_retried_forever.py: in every Ray worker, a file whose
name starts with "killer" makes the decode task's process die (as a decoder segfault or the
OOM killer would), and each attempt is counted in $FF3_ATTEMPTS."""

import os


def setup() -> None:
    import indexer.ingest.ray_pipeline as rp

    real = rp.extract

    def extract(path, options):
        if path.name.startswith("killer"):
            with open(os.environ["FF3_ATTEMPTS"], "a") as fh:
                fh.write(f"{os.getpid()}\n")
            os._exit(139)  # a segfault in libav, say
        return real(path, options)

    rp.extract = extract
