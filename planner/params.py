"""Query parameters of the coverage endpoints and pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from geo.errors import BadParameter
from geo.params import Query, choices, number, single
from layers.params import partner_slugs
from layers.vocabulary import Category

KINDS = ("attractions", "trails", "routes")
"""What counts as something a visitor can do: attractions, trailheads, published routes."""
DEFAULT_RADIUS_KM = 5.0
MIN_RADIUS_KM = 0.1
MAX_RADIUS_KM = 50.0
TABLES = ("partners", "categories", "sub-areas", "gaps")
"""The tables a CSV download can hold, one a file."""


@dataclass(frozen=True)
class CoverageQuery:
    """What to analyse; every value already validated. Empty tuples mean "all"."""

    partners: tuple[str, ...] = ()
    radius_km: float = DEFAULT_RADIUS_KM
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = KINDS

    @property
    def radius_m(self) -> float:
        return self.radius_km * 1000.0

    def as_params(self) -> dict[str, str]:
        """The query as URL parameters (the defaults left out)."""
        params = {"radius_km": f"{self.radius_km:g}"}
        if self.partners:
            params["partner"] = ",".join(self.partners)
        if self.categories:
            params["categories"] = ",".join(self.categories)
        if self.kinds != KINDS:
            params["kinds"] = ",".join(self.kinds)
        return params


LISTS = ("partner", "categories", "kinds")


def _joined(query: Query) -> QueryDict:
    """The parameters with repeated list values (form check boxes) joined by commas, as
    the API writes them."""
    joined = QueryDict(mutable=True)
    for name in query:
        values = query.getlist(name)
        joined.setlist(name, [",".join(values)] if name in LISTS and len(values) > 1
                       else values)
    return joined


def parse_query(query: Query) -> CoverageQuery:
    """``partner``, ``radius_km``, ``categories`` and ``kinds``; BadParameter names a bad one.

    Lists are comma-separated or repeated (``kinds=attractions&kinds=trails``).
    """
    query = _joined(query)
    partners = choices(query, "partner", partner_slugs)
    radius = number(query, "radius_km", low=MIN_RADIUS_KM, high=MAX_RADIUS_KM,
                     default=DEFAULT_RADIUS_KM)
    categories = choices(query, "categories", {c.value for c in Category})
    kinds = choices(query, "kinds", set(KINDS))
    if "kinds" in query and not kinds:
        raise BadParameter("kinds", "name at least one of " + ", ".join(KINDS))
    return CoverageQuery(
        partners=tuple(sorted(set(partners))),
        radius_km=float(radius),
        categories=tuple(sorted(set(categories))),
        # Kept in KINDS order so that equal questions are equal queries.
        kinds=tuple(k for k in KINDS if k in kinds) if kinds else KINDS,
    )


def parse_table(query: Query) -> str:
    table = single(query, "table") or TABLES[0]
    if table not in TABLES:
        raise BadParameter("table", f"unknown table {table!r}; use one of " + ", ".join(TABLES))
    return table
