"""Query parameters of the practices' list (the API's and the page's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from exchange.vocabulary import Origin, PracticeKind, Status, Theme, TransferStatus
from geo.errors import BadParameter
from geo.params import BBox, Query, choices, single
from layers.params import parse_filters, partner_slugs


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
    # Only practices another partner has opened a transfer of (any state): True; only
    # those with none: False; either: None.
    has_transfers: bool | None = None


# What /api/practices/ takes: an unknown parameter is a 400 naming it (geo.params).
PRACTICE_PARAMS = frozenset({"bbox", "partner", "category", "q", "theme", "kind", "origin",
                             "status", "has_transfers", "lang", "f", "limit", "offset"})


def parse_practice_filters(query: Query) -> PracticeFilters:
    """The filters, each refused with a ``BadParameter`` naming it."""
    common = parse_filters(query)  # bbox, partner, category, q, and their errors
    return PracticeFilters(
        bbox=common.bbox, partner=common.partner, category=common.category, q=common.q,
        theme=choices(query, "theme", {t.value for t in Theme}),
        kind=choices(query, "kind", {k.value for k in PracticeKind}),
        origin=choices(query, "origin", {o.value for o in Origin}),
        status=choices(query, "status", {s.value for s in Status}),
        has_transfers=yes_no(query, "has_transfers"))


def yes_no(query: Query, name: str) -> bool | None:
    """``true``/``false`` (or 1/0, yes/no); absent or empty: None."""
    raw = (single(query, name) or "").strip().lower()
    if raw == "":
        return None
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise BadParameter(name, "use true or false")


@dataclass
class TransferFilters:
    practice: str | None = None  # a practice's uid
    partner: list[str] = field(default_factory=list)  # receiving partners
    source: list[str] = field(default_factory=list)  # the practices' partners
    status: list[str] = field(default_factory=list)


TRANSFER_PARAMS = frozenset({"partner", "from", "status", "lang", "limit", "offset"})


def parse_transfer_filters(query: Query) -> TransferFilters:
    return TransferFilters(partner=choices(query, "partner", partner_slugs),
                           source=choices(query, "from", partner_slugs),
                           status=choices(query, "status", {s.value for s in TransferStatus}))


@dataclass
class VisitFilters:
    host: list[str] = field(default_factory=list)
    visitor: list[str] = field(default_factory=list)


VISIT_PARAMS = frozenset({"host", "visitor", "lang", "limit", "offset"})


def parse_visit_filters(query: Query) -> VisitFilters:
    return VisitFilters(host=choices(query, "host", partner_slugs),
                        visitor=choices(query, "visitor", partner_slugs))
