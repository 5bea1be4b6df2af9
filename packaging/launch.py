"""The bundle's entry point: the same `framefind` command as the installed console script."""

import sys

from indexer.cli import main

sys.exit(main())
