"""The bundle's entry point: the same `framefind` command as the installed console script."""

import multiprocessing

from indexer.cli import run

# A child process the app spawns (the query towers' export) starts this same program: this
# makes it run the child's work, not the command.
multiprocessing.freeze_support()
run()
