"""The "How to get there" block of a route's, a trail's and an attraction's page: the
public-transport stops near its start, their lines and departures on a chosen day, and
whether a same-day return fits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from transit import selectors
from transit.api import parse_day, today

# A page lists the first departures of each stop; the API gives them all.
DEPARTURES_SHOWN = 8


def route_transit(request: HttpRequest, slug: str) -> dict[str, Any] | None:
    """The block's data, or None when no current feed has a stop near the start (the
    block is then left out: no timetable is published there)."""
    start = selectors.route_start(slug)
    if start is None:
        return None
    (lon, lat), minutes = start
    return place_transit(request, lon=lon, lat=lat, stay_min=minutes or 0, what="route")


def place_transit(request: HttpRequest, *, lon: float, lat: float, stay_min: int,
                  what: str) -> dict[str, Any] | None:
    """The block for a start at (lon, lat) where a visitor stays ``stay_min`` minutes:
    ``what`` is "route", "trail" (from its start, for its walking time) or "place" (an
    attraction: the window between the first arrival and the last departure), which the
    template words it for; None when no current feed has a stop near it."""
    day = parse_day(request)
    found = selectors.how_to_get_there(lon=lon, lat=lat, day=day, today=today(),
                                       stay_min=stay_min)
    if not found["stops"]:
        return None
    for stop in found["stops"][:5]:
        stop["shown"] = stop["departures"][:DEPARTURES_SHOWN]
        stop["more"] = max(0, len(stop["departures"]) - DEPARTURES_SHOWN)
    found["stops"] = found["stops"][:5]
    found["day"] = day
    found["radius_m"] = int(found["radius_m"])
    found["what"] = what
    return found
