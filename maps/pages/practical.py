"""What the pages of places show of their practical side: texts in the reader's language,
opening hours (state now, the coming week, the text), where to sleep and eat nearby, the
routes that pass, season months and languages spoken by name."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import get_language_info

from actors.practical import ROUTE_CORRIDOR_M, Nearby
from actors.vocabulary import ListingType
from geo.clock import now
from geo.i18n import fallback_chain
from geo.opening_hours import TIME_ZONES, Day, week
from media.selectors import photos_of
from routes.params import RouteFilters
from routes.selectors import routes_page

ROUTES_SHOWN = 6


def translated(obj: Any, field: str, lang: str) -> str:
    for code in fallback_chain(lang):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def hours_block(value: str, country: str, state: str, *, summary: str = "",
                days: list[Day] | None = None) -> dict[str, Any]:
    """What the pages show of opening hours: the state now (``summary``: with when it
    changes), the coming week (``days``, else read from ``value``), the text."""
    if days is None:
        local = now().astimezone(ZoneInfo(TIME_ZONES.get(country, "UTC")))
        days = week(value, country, local.date())
    return {"state": state, "summary": summary, "week": days, "text": value}


def practical_groups(found: dict[str, list[Nearby]], lang: str) -> list[dict[str, Any]]:
    """Where to sleep, eat, rent a bike (actors.practical) as the pages show it: a group
    per type that has any, each listing with its name in the reader's language, its
    distance, whether it is open now, and its first photo."""
    labels = dict(ListingType.choices)
    groups = []
    for kind, near in found.items():
        if not near:
            continue
        groups.append({"type": kind, "label": labels.get(kind, kind), "items": [{
            "name": translated(n.listing, "name", lang) or "—",
            "url": reverse("service-page", args=[n.listing.uid]),
            "distance_m": round(n.distance_m), "state": n.state,
            "photo": next(iter(photos_of(n.listing, lang)), None)} for n in near]})
    return groups


def routes_passing(location: Point, lang: str) -> list[dict[str, Any]]:
    """The public routes that pass within ``ROUTE_CORRIDOR_M`` of a place, nearest first:
    the corridor in which a route's page lists where to sleep and eat, so that each page
    leads to the other."""
    found, _total = routes_page(filters=RouteFilters(near=(location.x, location.y),
                                                     radius_m=ROUTE_CORRIDOR_M),
                                lang=lang, limit=ROUTES_SHOWN, offset=0)
    return [{"name": f["properties"]["name"] or "—",
             "url": reverse("route-page", args=[f["properties"]["slug"]]),
             "distance_m": f["properties"].get("distance_m"),
             "length_km": (f["properties"]["length_m"] or 0) / 1000} for f in found]


def month_names(months: list[int]) -> list[str]:
    """Months 1–12 by name, in the active language."""
    return [str(MONTHS[m]) for m in months if m in MONTHS]


def language_names(codes: list[str]) -> list[str]:
    """Languages (ISO 639-1 codes) by name, in the active language; a code Django does
    not know stays a code."""
    names = []
    for code in codes:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code)
    return names
