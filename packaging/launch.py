"""The bundle's entry point: the same `framefind` command as the installed console script."""

import sys

from indexer.models.query_tower_child import CHILD_FLAG

if sys.argv[1:2] == [CHILD_FLAG]:  # the app's child that exports a query tower
    from indexer.models.query_tower_child import main

    sys.exit(main(sys.argv[2:]))

from indexer.cli import run

run()
