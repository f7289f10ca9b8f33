"""What the pages of places show of their practical side: texts in the reader's language,
the page's clock, and opening hours (state now, the coming week, the text)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse

from actors.practical import Nearby
from actors.vocabulary import ListingType
from geo.clock import now
from geo.i18n import fallback_chain
from geo.opening_hours import TIME_ZONES, week
from media.selectors import photos_of


def translated(obj: Any, field: str, lang: str) -> str:
    for code in fallback_chain(lang):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def hours_block(value: str, country: str, state: str) -> dict[str, Any]:
    """What the pages show of opening hours: the state now, the coming week, the text."""
    local = now().astimezone(ZoneInfo(TIME_ZONES.get(country, "UTC")))
    return {"state": state, "week": week(value, country, local.date()), "text": value}


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
