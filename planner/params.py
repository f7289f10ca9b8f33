"""Query parameters of the coverage endpoints and pages."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from layers.exceptions import BadParameter
from layers.params import _choices, _number, partner_slugs
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


def _joined(request) -> SimpleNamespace:
    """The request's parameters with repeated list values (form check boxes) joined by
    commas, as the API writes them."""
    query = request.GET.copy()
    for name in LISTS:
        values = query.getlist(name)
        if len(values) > 1:
            query.setlist(name, [",".join(values)])
    return SimpleNamespace(GET=query)


def parse_query(request) -> CoverageQuery:
    """``partner``, ``radius_km``, ``categories`` and ``kinds``; BadParameter names a bad one.

    Lists are comma-separated or repeated (``kinds=attractions&kinds=trails``).
    """
    request = _joined(request)
    partners = _choices(request, "partner", partner_slugs)
    radius = _number(request, "radius_km", low=MIN_RADIUS_KM, high=MAX_RADIUS_KM,
                     default=DEFAULT_RADIUS_KM)
    categories = _choices(request, "categories", {c.value for c in Category})
    kinds = _choices(request, "kinds", set(KINDS))
    if "kinds" in request.GET and not kinds:
        raise BadParameter("kinds", "name at least one of " + ", ".join(KINDS))
    return CoverageQuery(
        partners=tuple(sorted(set(partners))),
        radius_km=float(radius),
        categories=tuple(sorted(set(categories))),
        # Kept in KINDS order so that equal questions are equal queries.
        kinds=tuple(k for k in KINDS if k in kinds) if kinds else KINDS,
    )


def parse_table(request) -> str:
    table = request.GET.get("table") or TABLES[0]
    if table not in TABLES:
        raise BadParameter("table", f"unknown table {table!r}; use one of " + ", ".join(TABLES))
    return table
