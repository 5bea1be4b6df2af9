"""Roots that look gone: their files are kept, not deleted, until the user confirms.

An unmounted drive leaves an empty mount point, a network share may list as empty for a
moment, a mount point may hold another file system. Each time, every file below the root
seems to have vanished at once, and deleting them would throw away hours of embedding. So
such deletions are held, the root is named in `status` and the app, and they happen only
when the user confirms (`framefind prune`) — or never, if the files come back.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from indexer.catalog import Catalog, FileRecord, HeldRoot
from indexer.wording import Message

MOSTLY = 0.9  # this share of a root's files vanishing at once…
MANY = 100  # …in a root holding at least this many is held too


def device(path: Path) -> int | None:
    try:
        return os.stat(path).st_dev
    except OSError:
        return None


def _empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as listing:
            return next(listing, None) is None
    except OSError:
        return True


def hold_reason(catalog: Catalog, root: Path, vanished: int) -> Message | None:
    """Why `vanished` files gone from `root` look like a missing drive rather than deletions."""
    if not root.is_dir():
        return Message("{folder} is not there", folder=root)
    if _empty(root):
        return Message("{folder} is empty", folder=root)
    known = catalog.roots.device(root)
    if known is not None and device(root) != known:
        return Message("{folder} is on another device now", folder=root)
    total = catalog.files.count_under(root)
    if total >= MANY and vanished >= MOSTLY * total:
        return Message(
            "{folder} lost {vanished} of its {total} files at once",
            folder=root,
            vanished=vanished,
            total=total,
        )
    return None


def _root_of(path: Path, roots: Sequence[Path]) -> Path | None:
    return next((r for r in roots if path == r or r in path.parents), None)


def settle_vanished(
    catalog: Catalog, roots: Sequence[Path], vanished: Sequence[FileRecord], confirmed: Collection[Path] = ()
) -> tuple[list[FileRecord], list[HeldRoot]]:
    """(the vanished files to delete now, the roots whose deletions are held). Records each
    root's device, and whether it is held, in the catalog."""
    by_root: dict[Path, list[FileRecord]] = {}
    delete: list[FileRecord] = []
    for record in vanished:
        root = _root_of(record.path, roots)
        if root is None:
            delete.append(record)
        else:
            by_root.setdefault(root, []).append(record)
    held: list[HeldRoot] = []
    for root in roots:
        gone = by_root.get(root, [])
        reason = hold_reason(catalog, root, len(gone)) if gone and root not in confirmed else None
        if reason is not None:
            hold = HeldRoot(root, reason, len(gone))
            catalog.roots.set(root, catalog.roots.device(root), hold)
            held.append(hold)
        else:
            delete += gone
            if root.is_dir():
                catalog.roots.set(root, device(root))
            else:
                catalog.roots.forget(root)
    return delete, held
