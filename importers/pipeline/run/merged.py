"""What the batches of one file report, as the file read whole would report it: a note
or an aggregated warning of several batches becomes one (run/stream.py)."""

from __future__ import annotations

import json

from importers.messages import Message
from importers.pipeline.normalise import Issue
from importers.pipeline.normalise.attributes import SHOWN_ROWS


def merge_notes(notes: list[Message], batch: list[Message]) -> None:
    """A batch's notes into the file's: the same note of two batches is one, its counts
    added and its types joined."""
    for note in batch:
        same = next((n for n in notes if n.msgid == note.msgid and {
            k: v for k, v in n.params.items() if k not in ("count", "types")} == {
            k: v for k, v in note.params.items() if k not in ("count", "types")}), None)
        if same is None:
            notes.append(note)
            continue
        if "count" in same.params:
            same.params["count"] = same.params["count"] + note.params["count"]
        if "types" in same.params:
            same.params["types"] = ", ".join(sorted(
                {*same.params["types"].split(", "), *note.params["types"].split(", ")}))


def _rows_listed(text: str) -> tuple[list[str], int]:
    """The rows an aggregated warning names ("1, 2, … 20 … (+5)"), and how many in all."""
    shown, _sep, more = text.partition(" … (+")
    rows = shown.split(", ")
    return rows, len(rows) + (int(more.rstrip(")")) if more else 0)


def merge_issues(issues: list[Issue]) -> list[Issue]:
    """The warnings that name many rows (one per value not understood, rows without a
    name), one per batch, as one for the file (as normalise names them)."""
    merged: list[Issue] = []
    by_key: dict[tuple, tuple[Issue, list[str], list[int]]] = {}
    for issue in issues:
        if not isinstance(issue.row, str):
            merged.append(issue)
            continue
        key = (issue.file, issue.layer, issue.field, issue.severity,
               json.dumps(issue.reason.as_json(), sort_keys=True, default=str))
        rows, count = _rows_listed(issue.row)
        if key not in by_key:
            by_key[key] = (issue, rows, [count])
            merged.append(issue)
            continue
        first, shown, total = by_key[key]
        shown.extend(rows)
        total[0] += count
    for first, shown, total in by_key.values():
        first.row = ", ".join(shown[:SHOWN_ROWS]) + (
            f" … (+{total[0] - SHOWN_ROWS})" if total[0] > SHOWN_ROWS else "")
    return merged
