"""Query parameters of the practices' list (the API's and the page's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from exchange.vocabulary import Origin, PracticeKind, Status, Theme
from geo.params import BBox, Query, choices
from layers.params import parse_filters


@dataclass
class PracticeFilters:
    bbox: BBox | None = None
    partner: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    q: str | None = None


# What /api/practices/ takes: an unknown parameter is a 400 naming it (geo.params).
PRACTICE_PARAMS = frozenset({"bbox", "partner", "category", "q", "theme", "kind", "origin",
                             "status", "lang", "f", "limit", "offset"})


def parse_practice_filters(query: Query) -> PracticeFilters:
    """The filters, each refused with a ``BadParameter`` naming it."""
    common = parse_filters(query)  # bbox, partner, category, q, and their errors
    return PracticeFilters(
        bbox=common.bbox, partner=common.partner, category=common.category, q=common.q,
        theme=choices(query, "theme", {t.value for t in Theme}),
        kind=choices(query, "kind", {k.value for k in PracticeKind}),
        origin=choices(query, "origin", {o.value for o in Origin}),
        status=choices(query, "status", {s.value for s in Status}))
