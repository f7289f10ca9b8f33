"""The "How to get there" block of a route's page: the public-transport stops near its
start, their lines and departures on a chosen day, and whether a same-day return fits."""

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
    day = parse_day(request)
    found = selectors.how_to_get_there(lon=lon, lat=lat, day=day, today=today(),
                                       stay_min=minutes or 0)
    if not found["stops"]:
        return None
    for stop in found["stops"][:5]:
        stop["shown"] = stop["departures"][:DEPARTURES_SHOWN]
        stop["more"] = max(0, len(stop["departures"]) - DEPARTURES_SHOWN)
    found["stops"] = found["stops"][:5]
    found["day"] = day
    found["radius_m"] = int(found["radius_m"])
    return found
