"""What an update has to do, decided from stat data and fingerprints before anything is decoded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.catalog import Catalog, FileRecord, FileState
from indexer.ingest.fingerprint import content_hash_or_none, fingerprint
from indexer.ingest.scan import Found, Unlistable
from indexer.media.extract import ExtractOptions

DEFAULT_INTERVAL_S = ExtractOptions().video_interval_s  # what a video sampled before 0011 was sampled at


@dataclass
class Plan:
    embed: list[tuple[FileState, FileRecord | None]] = field(default_factory=list)  # new or changed
    touched: list[tuple[FileRecord, Found]] = field(default_factory=list)  # new mtime, same content
    moved: list[tuple[FileRecord, FileState]] = field(default_factory=list)  # keeps its vectors
    copied: list[tuple[FileRecord, FileState]] = field(default_factory=list)  # gets a copy of them
    vanished: list[FileRecord] = field(default_factory=list)
    unlistable: list[Unlistable] = field(default_factory=list)
    unchanged: int = 0


def _below(path: Path, folders: list[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def _digest(path: Path) -> str:
    try:
        return fingerprint(path)
    except OSError:
        return ""  # extraction will record why the file cannot be read


def _same_content(state: FileState, twin: FileRecord) -> FileState | None:
    """`state` with its whole-file hash when that confirms it holds `twin`'s content (the
    sampled fingerprint only suggested so); None when it does not, or cannot be known."""
    if twin.content is None:
        return None  # hashed before whole-file hashes were kept: embed it again to be sure
    content = content_hash_or_none(state.path)
    return replace(state, content=content) if content == twin.content else None


def make_plan(
    catalog: Catalog,
    found: dict[Path, Found],
    known: dict[Path, FileRecord],
    unlistable: list[Unlistable],
    interval_s: float = DEFAULT_INTERVAL_S,
) -> Plan:
    """Compare what is on disk (`found`) with what the catalog holds for the same places
    (`known`); a video sampled at another frame interval than `interval_s` is sampled again."""
    plan = Plan(unlistable=unlistable)
    blind = [u.path for u in unlistable]  # files below these were not seen, not deleted
    gone = {p: r for p, r in known.items() if p not in found and not _below(p, blind)}
    gone_by_content = {(r.fingerprint, r.size): r for r in gone.values() if r.status == "indexed"}
    for path in sorted(found):
        f = found[path]
        previous = known.get(path)
        if (
            previous
            and previous.status != "pending"
            and (previous.size, previous.mtime_ns) == (f.size, f.mtime_ns)
            and not _sampled_otherwise(previous, interval_s)
        ):
            plan.unchanged += 1
            continue
        digest = _digest(path)
        state = FileState(path, f.size, f.mtime_ns, digest)
        same = previous and previous.status == "indexed" and previous.fingerprint == digest
        if same and previous and not _sampled_otherwise(previous, interval_s):
            if _same_content(state, previous) is not None:
                plan.touched.append((previous, f))
                plan.unchanged += 1
            else:
                plan.embed.append((state, previous))
        elif previous is None and digest and (twin := gone_by_content.get((digest, f.size))):
            if (confirmed := _same_content(state, twin)) is not None:
                del gone[twin.path], gone_by_content[(digest, f.size)]
                plan.moved.append((twin, confirmed))
            else:
                plan.embed.append((state, None))
        elif previous is None and digest and (twin := catalog.files.indexed_twin(digest, f.size)):
            if (confirmed := _same_content(state, twin)) is not None:
                plan.copied.append((twin, confirmed))
            else:
                plan.embed.append((state, None))
        else:
            plan.embed.append((state, previous))
    plan.vanished = list(gone.values())
    return plan


def _sampled_otherwise(record: FileRecord, interval_s: float) -> bool:
    """An indexed video whose frames were sampled at another interval than asked now."""
    if record.kind != "video" or record.status != "indexed":
        return False
    return abs((record.sampled_s or DEFAULT_INTERVAL_S) - interval_s) > 1e-9
