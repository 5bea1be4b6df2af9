"""Queries and search responses as plain data: what `framefind search --json` prints, what
the local socket carries (see ipc.py), and the table the command line prints from it.

Light on purpose: a terminal search answered by a running Framefind imports only this,
the query module and the socket client, not numpy, FAISS or torch.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.search.query import Query

if TYPE_CHECKING:
    from indexer.search.searcher import SearchResponse, SearchResult


def query_data(query: Query) -> dict[str, Any]:
    data = asdict(query)
    data["examples"] = [str(p) for p in query.examples]
    data["folder"] = str(query.folder) if query.folder is not None else None
    data["kinds"] = sorted(query.kinds)
    return data


def query_from_data(data: dict[str, Any]) -> Query:
    """The Query that `query_data` described; FramefindError (from Query) for bad values."""
    known = {f.name for f in fields(Query)}
    values = {k: v for k, v in data.items() if k in known}
    values["examples"] = tuple(Path(p) for p in values.get("examples", ()))
    values["like"] = tuple(int(i) for i in values.get("like", ()))
    values["negatives"] = tuple(values.get("negatives", ()))
    values["kinds"] = frozenset(values.get("kinds", ()))
    if values.get("folder") is not None:
        values["folder"] = Path(values["folder"])
    return Query(**values)


def result_data(r: SearchResult) -> dict[str, Any]:
    row = {k: v for k, v in asdict(r).items() if v is not None}
    row["path"] = str(r.path)
    row["similar"] = [str(s.path) for s in r.similar]
    row["moments"] = [result_data(m) for m in r.moments]
    row["by_sound"] = r.by_sound
    return row


def response_data(response: SearchResponse) -> dict[str, Any]:
    report = response.rerank
    return {
        "results": [result_data(r) for r in response.results],
        "hidden": len(response.hidden),
        "calibrated": response.calibrated,
        "good_match": response.good_match,
        "rerank": report.summary() if report is not None and report.model is not None else None,
    }


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def table(data: dict[str, Any]) -> list[str]:
    """The lines `framefind search` prints for a response with results."""
    unit = "σ" if data["calibrated"] else "cos"
    lines = [] if data["good_match"] else ["No good match — showing the closest."]
    lines.append(f"{'#':>3}  {'score':>7}  {'kind':<5}  {'at':<8} {'moment':<15}  file")
    for rank, r in enumerate(data["results"], 1):
        extra = f"  (+{len(r['similar'])} similar)" if r["similar"] else ""
        extra += f"  (+{r['other_moments']} more moments)" if r.get("other_moments") else ""
        lines.append(f"{rank:>3}  {r['score']:5.2f}{unit:<2}  {_where(r)}  {r['path']}{extra}")
        lines += _quoted(r)
        for m in r["moments"]:
            lines += [f"{'':>3}  {m['score']:5.2f}{unit:<2}  {_where(m)}  ↳ another moment", *_quoted(m)]
    if any(r["by_sound"] for top in data["results"] for r in (top, *top["moments"])):
        lines.append("♪ a video moment found by its soundtrack, not its pictures.")
    if data["hidden"]:
        lines.append(
            f"Hidden: {data['hidden']} weaker results below the relevance cutoff (--all shows them)."
        )
    if data["rerank"]:
        lines.append(data["rerank"])
    return lines


def _quoted(r: dict[str, Any]) -> list[str]:
    """The line a moment was found by, its matched words in *stars*."""
    quote = r.get("quote")
    if not quote:
        return []
    text, marks = quote["text"], quote["marks"]
    out, at = "", 0
    for start, end in marks:
        out += text[at:start] + f"*{text[start:end]}*"
        at = end
    how = ["written"] * (quote.get("source") == "written")
    how += ["by meaning"] * (quote.get("found_by") == "meaning")
    by = f" ({', '.join(how)})" if how else ""
    return [f"{'':>5}“{(out + text[at:]).replace('* *', ' ')}”{by}"]


def _where(r: dict[str, Any]) -> str:
    span = f"{clock(r.get('start'))}–{clock(r.get('end'))}" if r.get("start") is not None else ""
    if r["by_sound"]:
        span += " ♪"  # found by its soundtrack
    return f"{r['kind']:<5}  {clock(r.get('t')):<8} {span:<15}"
