"""The bundle's entry point: the same `framefind` command as the installed console script."""

from indexer.cli import run

run()
