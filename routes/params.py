"""Query parameters of the route endpoints."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.errors import BadParameter
from geo.params import BBox, Query, choices, number
from layers.ogc.filter import CQL_PARAMS, parse_filter
from layers.params import DEFAULT_RADIUS_M, parse_filters
from layers.vocabulary import Difficulty
from routes.vocabulary import SEASON_MONTHS, Mode, RouteStatus, Theme


@dataclass
class RouteFilters:
    bbox: BBox | None = None
    near: tuple[float, float] | None = None
    radius_m: float = DEFAULT_RADIUS_M  # with near
    partner: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    max_hours: float | None = None
    difficulty: list[str] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    q: str | None = None
    cql: dict | bool | None = None  # a CQL2 filter, parsed (layers/ogc/filter.py)


ROUTE_FILTER_PARAMS = frozenset({"bbox", "near", "radius", "partner", "q", "theme", "season",
                                 "days", "max_hours", "difficulty", "mode", "status",
                                 *CQL_PARAMS})
"""What ``parse_route_filters`` reads: the route list takes these, and the route list page
passes only these through to the API."""
ROUTE_LIST_PARAMS = ROUTE_FILTER_PARAMS | {"lang", "limit", "offset"}


def _season(query: Query) -> list[int]:
    """``season=`` months (1-12) and/or season names, comma-separated."""
    months: list[int] = []
    for value in choices(query, "season"):
        if value in SEASON_MONTHS:
            months.extend(SEASON_MONTHS[value])
        elif value.isdigit() and 1 <= int(value) <= 12:
            months.append(int(value))
        else:
            raise BadParameter("season", f"{value!r} is neither a month (1-12) nor one of "
                               + ", ".join(SEASON_MONTHS))
    return sorted(set(months))


def parse_route_filters(query: Query) -> RouteFilters:
    common = parse_filters(query)  # bbox, near/radius, partner, q, and their errors
    f = RouteFilters(bbox=common.bbox, near=common.near, radius_m=common.radius_m,
                     partner=common.partner, q=common.q)
    f.theme = choices(query, "theme", {t.value for t in Theme})
    f.months = _season(query)
    days = choices(query, "days")
    try:
        f.days = [int(d) for d in days]
    except ValueError:
        raise BadParameter("days", "expected whole numbers of days, e.g. 1 or 1,2") from None
    f.max_hours = number(query, "max_hours", low=0.1, high=24 * 30)
    f.difficulty = choices(query, "difficulty", {d.value for d in Difficulty})
    f.mode = choices(query, "mode", {m.value for m in Mode})
    f.status = choices(query, "status", {RouteStatus.PILOT.value,
                                            RouteStatus.PUBLISHED.value})
    f.cql = parse_filter(query, ["route"])
    return f
