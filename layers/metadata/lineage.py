"""A layer's lineage: where its data came from, step by step (the import history).

``layers`` keeps no import history: the importers do, above it. They register here the
function that reads it (``register_lineage``), so that a metadata record shows the
files, dates and who without ``layers`` naming the importers' tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class LineageStep:
    """One step of a layer's history: a file imported into it, say.

    ``by`` is the organisation, with the person's name when they gave one (never a user
    name or an address: the record is public). ``counts``: features created, updated,
    retired."""

    when: datetime
    file: str
    format: str
    crs: str
    by: str
    counts: dict[str, int] = field(default_factory=dict)

    def statement(self) -> str:
        """The step in a sentence (English: the record's lineage is data, as the exports'
        licence statement is)."""
        done = ", ".join(f"{n} {what}" for what, n in self.counts.items() if n)
        how = ", ".join(x for x in (self.format, self.crs) if x)
        return (f"{self.when:%Y-%m-%d}: imported {self.file}" + (f" ({how})" if how else "")
                + (f" by {self.by}" if self.by else "") + (f": {done}" if done else ""))


LineageSource = Callable[[Sequence[int]], dict[int, list[LineageStep]]]
"""Layer ids -> each layer's steps, newest first."""

_SOURCES: list[LineageSource] = []


def register_lineage(source: LineageSource) -> None:
    """Add a reader of layers' history (from a higher app's ``AppConfig.ready``)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def lineage(layer_ids: Sequence[int]) -> dict[int, list[LineageStep]]:
    """Every registered source's steps for these layers, newest first."""
    out: dict[int, list[LineageStep]] = {i: [] for i in layer_ids}
    if not layer_ids:
        return out
    for source in _SOURCES:
        for layer_id, steps in source(layer_ids).items():
            out.setdefault(layer_id, []).extend(steps)
    for steps in out.values():
        steps.sort(key=lambda s: s.when, reverse=True)
    return out
