"""An attraction as schema.org JSON-LD (a TouristAttraction: what search engines and
assistants read of its page), beside the listings' (actors/jsonld.py)."""

from __future__ import annotations

from typing import Any

from geo.opening_hours import OPEN, Day
from layers.models import Attraction

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def opening_specifications(days: list[Day]) -> list[dict[str, Any]]:
    """The coming week's hours (public holidays and season counted) as schema.org's
    OpeningHoursSpecification, one a span, each valid on its own date: OSM's rules have
    no exact equivalent, the days they give have."""
    out = []
    for day in days:
        if day.state != OPEN:
            continue
        for span in day.spans:
            opens, _dash, rest = span.partition("–")
            closes = rest.split(" ", 1)[0]
            out.append({"@type": "OpeningHoursSpecification",
                        "dayOfWeek": f"https://schema.org/{WEEKDAYS[day.day.weekday()]}",
                        "opens": opens, "closes": "23:59" if closes == "24:00" else closes,
                        "validFrom": day.day.isoformat(), "validThrough": day.day.isoformat()})
    return out


def price_text(attraction: Attraction) -> str:
    """"4.50–9 BGN", "5 EUR", or "" without a price."""
    low, high = attraction.price_from, attraction.price_to
    if low is None and high is None:
        return ""
    shown = [f"{v.normalize():f}" for v in (low, high) if v is not None]
    if len(shown) == 2 and shown[0] == shown[1]:
        shown = shown[:1]
    return f"{'–'.join(shown)} {attraction.currency}"


def attraction_jsonld(attraction: Attraction, *, name: str, description: str,
                      accessibility: str, url: str, image: str | None,
                      week: list[Day]) -> dict[str, Any]:
    lon, lat = attraction.location.coords
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "TouristAttraction", "name": name,
        "url": url, "geo": {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}}
    if description:
        data["description"] = description
    if image:
        data["image"] = image
    address = {"@type": "PostalAddress", "addressCountry": attraction.layer.partner.country}
    if attraction.address:
        address["streetAddress"] = attraction.address
    data["address"] = address
    hours = opening_specifications(week)
    if hours:
        data["openingHoursSpecification"] = hours
    free = attraction.fee is False or (attraction.price_from == 0 and not attraction.price_to)
    if attraction.fee is not None or attraction.price_from is not None:
        data["isAccessibleForFree"] = free
    if price_text(attraction) and not free:
        data["priceRange"] = price_text(attraction)
    if attraction.phone:
        data["telephone"] = attraction.phone
    if attraction.email:
        data["email"] = attraction.email
    if attraction.website:
        data["sameAs"] = attraction.website
    if attraction.languages:
        data["availableLanguage"] = list(attraction.languages)
    if attraction.wheelchair or accessibility:
        feature: dict[str, Any] = {"@type": "LocationFeatureSpecification", "name": "wheelchair"}
        if attraction.wheelchair:
            feature["value"] = attraction.wheelchair
        if accessibility:
            feature["description"] = accessibility
        data["amenityFeature"] = feature
    if attraction.booking_url:
        data["potentialAction"] = {"@type": "ReserveAction", "target": attraction.booking_url}
    return data
