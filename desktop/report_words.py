"""What a pass of the indexer did, in the window's language (the engine's `IndexReport.summary`
says it in English for the command line and the log)."""

from __future__ import annotations

from desktop.format import duration
from desktop.phrases import Phrases
from indexer import IndexReport

DONE = (  # what else happened, by the report's field
    ("removed", lambda n: Phrases.tr("%n removed", None, n)),
    ("moved", lambda n: Phrases.tr("%n moved", None, n)),
    ("copied", lambda n: Phrases.tr("%n copied", None, n)),
    ("backfilled", lambda n: Phrases.tr("%n read again for a new model", None, n)),
    ("deferred", lambda n: Phrases.tr("%n changed while read (next pass)", None, n)),
    ("failed", lambda n: Phrases.tr("%n failed", None, n)),
    ("unchanged", lambda n: Phrases.tr("%n unchanged", None, n)),
)
KINDS = {
    "photo": lambda n: Phrases.tr("%n photo(s)", None, n),
    "video": lambda n: Phrases.tr("%n video(s)", None, n),
    "audio": lambda n: Phrases.tr("%n recording(s)", None, n),
}


def report_summary(report: IndexReport) -> str:
    """ "Indexed 3 new files (2 photos, 1 video; 45 searchable moments) in 1 s; 40 unchanged." """
    done = [say(getattr(report, name)) for name, say in DONE if getattr(report, name)]
    if not (report.new or report.changed):
        if report.unchanged and len(done) == 1:
            return Phrases.tr("Nothing to do: all %n file(s) up to date.", None, report.unchanged)
        if done:
            return ", ".join(done) + "."
        return Phrases.tr("Nothing to index yet: no photos, videos or recordings found.")
    files = _files(report)
    kinds = [KINDS[k](n) for k, n in sorted(report.indexed_by_kind.items()) if n and k in KINDS]
    if kinds:
        moments = Phrases.tr("%n searchable moment(s)", None, report.segments)
        files = Phrases.tr("{files} ({kinds}; {moments})").format(
            files=files, kinds=", ".join(kinds), moments=moments
        )
    said = Phrases.tr("{files} in {time}").format(files=files, time=duration(report.seconds))
    if done:
        return Phrases.tr("{indexed}; {done}.").format(indexed=said, done=", ".join(done))
    return Phrases.tr("{indexed}.").format(indexed=said)


def _files(report: IndexReport) -> str:
    if report.new and report.changed:
        return Phrases.tr("Indexed {new} new and {changed} changed files").format(
            new=report.new, changed=report.changed
        )
    if report.new:
        return Phrases.tr("Indexed %n new file(s)", None, report.new)
    return Phrases.tr("Indexed %n changed file(s)", None, report.changed)
