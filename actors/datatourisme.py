"""Listings from DATAtourisme, the French national open data of tourism (JSON-LD on the
DATAtourisme ontology, itself built on schema.org): its points of interest as the
listing import's rows (``actors.imports``, docs/users/listings.md).

A file holds one object (as a DATAtourisme flow's ``objects/…/*.json`` files do), a list
of them, or a JSON-LD document whose ``@graph`` lists them. Each object becomes the
listing form's values:

- ``dc:identifier`` (else ``@id``): the source id a re-import matches;
- ``@type``: the listing type, from the first of its classes we know (``TYPES``);
- ``rdfs:label`` and ``hasDescription``'s ``dc:description`` (else its
  ``shortDescription``, else ``rdfs:comment``): names and descriptions, per language;
- ``isLocatedAt``: the point (``schema:geo``), the address, and the opening hours
  (``schema:openingHoursSpecification``), written in OpenStreetMap's syntax when they can
  be exactly, otherwise kept as text with the reason (``Hours``);
- ``hasContact``: phone, e-mail, website; ``hasBookingContact``: the booking link;
- an event's ``schema:startDate``/``schema:endDate`` (or ``takesPlaceAt``'s periods):
  its first and last day; ``allowedPersons``: the capacity; ``availableLanguage``: the
  languages spoken; the lowest and highest ``schema:minPrice``/``schema:maxPrice`` of
  its offers in one currency.

Values come as DATAtourisme writes them: language maps (``{"fr": ["…"]}``), JSON-LD value
objects (``{"@value": "…", "@language": "fr"}``), single values or lists, with or
without the ``schema:`` prefix. Keys are read as written, not expanded through the
``@context``: the files DATAtourisme publishes use these compact names.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from actors.vocabulary import ListingType

LANGS = ("bg", "el", "fr", "en")

# DATAtourisme (and schema.org) classes -> listing type; an object's first class found
# here, in the order of this table (an event in a restaurant is an event).
TYPES: dict[str, str] = {
    **dict.fromkeys(("Event", "EntertainmentAndEvent", "CulturalEvent", "SportsEvent",
                     "BusinessEvent", "SaleEvent", "SocialEvent", "Festival", "FairOrShow",
                     "Exhibition", "ExhibitionEvent", "Concert", "TheaterEvent",
                     "ScreeningEvent", "MusicEvent"), ListingType.EVENT),
    **dict.fromkeys(("Accommodation", "LodgingBusiness", "Hotel", "HotelTrade", "Camping",
                     "CampingAndCaravanning", "Campground", "RentalAccommodation",
                     "SelfCateringAccommodation", "CollectiveAccommodation",
                     "Guesthouse", "BedAndBreakfast", "Hostel", "YouthHostelAndInternationalCenter",
                     "HolidayResort", "Motel", "Gite"), ListingType.ACCOMMODATION),
    **dict.fromkeys(("FoodEstablishment", "Restaurant", "BarOrPub", "CafeOrCoffeeShop",
                     "CafeOrTeahouse", "Brasserie", "Bistro", "FastFoodRestaurant",
                     "IceCreamShop"), ListingType.FOOD),
    **dict.fromkeys(("TouristInformationCenter",), ListingType.INFORMATION),
    **dict.fromkeys(("Rental", "RentalService", "EquipmentRental", "BikeRental",
                     "BoatRental", "CarRental", "AutoRental", "Transport",
                     "TaxiService"), ListingType.RENTAL),
    **dict.fromkeys(("WineCellar", "Winery", "TastingProvider", "LocalProductsShop", "Producer",
                     "CraftsmanShop", "Store"), ListingType.PRODUCT),
    **dict.fromkeys(("Tour", "TouristTrip", "Package", "TouristPackage"),
                    ListingType.EXPERIENCE),
    **dict.fromkeys(("ActivityProvider", "Guide", "TourGuide", "SportsAndLeisurePlace",
                     "Practice"), ListingType.GUIDE),
}

DAYS = {"Monday": "Mo", "Tuesday": "Tu", "Wednesday": "We", "Thursday": "Th",
        "Friday": "Fr", "Saturday": "Sa", "Sunday": "Su", "PublicHolidays": "PH"}
DAY_ORDER = list(DAYS.values())
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class NotDatatourisme(ValueError):
    """The document holds no DATAtourisme object (the message says what it holds)."""


def get(obj: Any, key: str) -> Any:
    """``obj[key]`` or ``obj["schema:" + key]`` (both spellings occur)."""
    if not isinstance(obj, dict):
        return None
    value = obj.get(key)
    return obj.get(f"schema:{key}") if value is None else value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    items = as_list(value)
    return items[0] if items else None


def scalar(value: Any) -> str:
    """A value's text: the first of a list, a value object's ``@value``, an ``@id``."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value", value.get("@id"))
    return "" if value is None else str(value).strip()


def texts(value: Any) -> dict[str, str]:
    """Language -> text of a language map, a list of value objects, or a plain value
    (language unknown: "")."""
    out: dict[str, str] = {}
    if isinstance(value, dict) and "@value" not in value:
        for lang, text in value.items():
            text = scalar(text)
            if text:
                out.setdefault(lang.lower()[:2], text)
        return out
    for item in as_list(value):
        if isinstance(item, dict):
            lang, text = str(item.get("@language") or "")[:2].lower(), scalar(item)
        else:
            lang, text = "", scalar(item)
        if text:
            out.setdefault(lang, text)
    return out


def class_names(obj: dict[str, Any]) -> list[str]:
    """The object's classes without their prefix (``schema:Hotel`` -> ``Hotel``)."""
    return [str(t).rsplit(":", 1)[-1].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            for t in as_list(obj.get("@type"))]


def is_poi(obj: Any) -> bool:
    return isinstance(obj, dict) and bool(obj.get("@type")) and (
        "isLocatedAt" in obj or "rdfs:label" in obj)


def objects(document: Any) -> list[dict[str, Any]]:
    """The points of interest a DATAtourisme document holds (NotDatatourisme if none)."""
    if isinstance(document, dict) and "@graph" in document:
        candidates = as_list(document["@graph"])
    else:
        candidates = as_list(document)
    found = [o for o in candidates if is_poi(o)]
    if not found:
        raise NotDatatourisme(_("no DATAtourisme point of interest (an object with an "
                                "@type and an rdfs:label or isLocatedAt)"))
    return found


def identifier(obj: dict[str, Any]) -> str:
    return scalar(obj.get("dc:identifier")) or scalar(obj.get("@id"))


# -- Opening hours ----------------------------------------------------------------------

@dataclass(frozen=True)
class Hours:
    """What a place's opening hours specification becomes: ``osm`` when it is exactly
    expressible in OpenStreetMap's syntax, else ``text`` (readable) and ``reason``."""

    osm: str = ""
    text: str = ""
    reason: str = ""


def _clock(value: str) -> str | None:
    """"09:30:00" -> "09:30"; the day's last second -> "24:00"; None when not exact."""
    parts = value.strip().split(":")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return None
    hour, minute, second = int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) > 2 else 0
    if (hour, minute, second) == (23, 59, 59):
        return "24:00"
    if second or hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _osm_day(day: date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def _readable(specs: list[dict[str, Any]]) -> str:
    """The specification as a person reads it, one period after the other."""
    parts = []
    for spec in specs:
        days = ",".join(DAYS.get(scalar(d).rsplit(":", 1)[-1], scalar(d))
                        for d in as_list(get(spec, "dayOfWeek"))) or "?"
        opens, closes = scalar(get(spec, "opens"))[:5], scalar(get(spec, "closes"))[:5]
        hours = f"{opens}-{closes}" if opens or closes else "?"
        valid = "–".join(filter(None, (scalar(get(spec, "validFrom"))[:10],
                                       scalar(get(spec, "validThrough"))[:10])))
        parts.append(f"{valid + ': ' if valid else ''}{days} {hours}")
    return "; ".join(parts)


def opening_hours(specs: list[dict[str, Any]]) -> Hours:
    """schema:openingHoursSpecification -> OpenStreetMap's opening_hours, when exact.

    Each period (validFrom–validThrough) becomes a rule of its dates, its days and their
    times ("2024 Jul 01-2024 Aug 31 Mo,Tu 08:30-14:30"). schema.org adds up the
    specifications that hold on a day, while a later OSM rule replaces an earlier one:
    periods that overlap (without being the same) cannot be written exactly, nor days
    without times, times with seconds, or a period open at one end."""
    if not specs:
        return Hours()
    periods: dict[tuple[date | None, date | None], dict[str, set[str]]] = {}
    reason = ""
    for spec in specs:
        days = [scalar(d).rsplit(":", 1)[-1] for d in as_list(get(spec, "dayOfWeek"))]
        opens_text, closes_text = scalar(get(spec, "opens")), scalar(get(spec, "closes"))
        opens, closes = _clock(opens_text), _clock(closes_text)
        start_text = scalar(get(spec, "validFrom"))
        end_text = scalar(get(spec, "validThrough"))
        start, end = _day(start_text) if start_text else None, _day(end_text) if end_text else None
        if not days or any(d not in DAYS for d in days):
            reason = _("a period without days of the week")
        elif not opens_text or not closes_text:
            reason = _("days without opening and closing times")
        elif opens is None or closes is None:
            reason = _("times that are not whole minutes")
        elif (start_text and start is None) or (end_text and end is None) \
                or (start is None) != (end is None) or (start and end and end < start):
            reason = _("a period without both a first and a last day")
        if reason:
            return Hours(text=_readable(specs), reason=reason)
        week = periods.setdefault((start, end), {})
        for d in days:
            week.setdefault(DAYS[d], set()).add(f"{opens}-{closes}")
    keys = sorted(periods, key=lambda k: (k[0] or date.min, k[1] or date.min))
    for before, after in itertools.pairwise(keys):
        if before[0] is None or after[0] is None or (before[1] and after[0] <= before[1]):
            return Hours(text=_readable(specs), reason=_("periods that overlap"))
    rules: list[str] = []
    for key in keys:
        week = periods[key]
        groups: dict[str, list[str]] = {}
        for day in DAY_ORDER:
            if day in week:
                groups.setdefault(",".join(sorted(week[day])), []).append(day)
        prefix = f"{_osm_day(key[0])}-{_osm_day(key[1])} " if key[0] and key[1] else ""
        rules.extend(f"{prefix}{','.join(days)} {times}" for times, days in groups.items())
    return Hours(osm="; ".join(rules))


# -- One object -------------------------------------------------------------------------

def _contact(obj: dict[str, Any], labels: Iterable[str]) -> dict[str, Any]:
    """The place's own contact: the one named as the place, else the first."""
    contacts = [c for c in as_list(obj.get("hasContact")) if isinstance(c, dict)]
    names = {label.casefold() for label in labels}
    for contact in contacts:
        if scalar(get(contact, "legalName")).casefold() in names:
            return contact
    return contacts[0] if contacts else {}


def _address(place: dict[str, Any]) -> str:
    address = first(get(place, "address"))
    if not isinstance(address, dict):
        return ""
    street = ", ".join(scalar(s) for s in as_list(get(address, "streetAddress")) if scalar(s))
    town = " ".join(filter(None, (scalar(get(address, "postalCode")),
                                  scalar(get(address, "addressLocality")))))
    return ", ".join(filter(None, (street, town)))


def _event_days(obj: dict[str, Any]) -> tuple[str, str]:
    starts = [scalar(d)[:10] for d in as_list(get(obj, "startDate")) if scalar(d)]
    ends = [scalar(d)[:10] for d in as_list(get(obj, "endDate")) if scalar(d)]
    for period in as_list(obj.get("takesPlaceAt")):
        starts += [d[:10] for d in [scalar(get(period, "startDate"))] if d]
        ends += [d[:10] for d in [scalar(get(period, "endDate"))] if d]
    return (min(starts) if starts else "", max(ends) if ends else "")


def _prices(obj: dict[str, Any]) -> tuple[str, str, str]:
    """The lowest and the highest price of the offers (whichever field gives them: the
    files swap minPrice and maxPrice at times), and their currency when there is one."""
    prices: list[Decimal] = []
    currencies = set()
    for offer in as_list(obj.get("offers")) + as_list(obj.get("hasOffers")):
        for spec in as_list(get(offer, "priceSpecification")):
            for key in ("minPrice", "maxPrice", "price"):
                for value in as_list(get(spec, key)):
                    with contextlib.suppress(InvalidOperation):
                        prices.append(Decimal(scalar(value)))
            currency = scalar(get(spec, "priceCurrency"))
            if currency:
                currencies.add(currency.upper())
    if len(currencies) > 1 or not prices:
        return "", "", ""
    low, high = min(prices), max(prices)
    return str(low), (str(high) if high != low else ""), (currencies.pop() if currencies else "")


def values(obj: dict[str, Any]) -> tuple[dict[str, str], Hours]:
    """An object as the listing form's text (field -> value), and its hours."""
    row: dict[str, str] = {"source_id": identifier(obj)}
    classes = class_names(obj)
    row["type"] = next((kind for c, kind in TYPES.items() if c in classes), ", ".join(classes))
    labels = texts(obj.get("rdfs:label"))
    description = first(obj.get("hasDescription"))
    described = texts(get(description, "dc:description")) or texts(
        get(description, "shortDescription")) or texts(obj.get("rdfs:comment"))
    for lang in LANGS:
        row[f"name_{lang}"] = labels.get(lang, "")
        row[f"description_{lang}"] = described.get(lang, "")
    place = first(obj.get("isLocatedAt"))
    place = place if isinstance(place, dict) else {}
    geo = first(get(place, "geo")) or first(get(obj, "geo"))
    row["lat"], row["lon"] = scalar(get(geo, "latitude")), scalar(get(geo, "longitude"))
    row["address"] = _address(place) or _address(obj)
    contact = _contact(obj, labels.values())
    row["phone"] = scalar(get(contact, "telephone"))
    row["email"] = scalar(get(contact, "email"))
    row["website"] = scalar(contact.get("foaf:homepage")) or scalar(get(contact, "url"))
    booking = first(obj.get("hasBookingContact"))
    row["booking_url"] = scalar(get(booking, "foaf:homepage")) if isinstance(booking, dict) else ""
    row["starts_on"], row["ends_on"] = _event_days(obj)
    row["price_from"], row["price_to"], currency = _prices(obj)
    if currency:
        row["currency"] = currency
    capacity = scalar(obj.get("allowedPersons"))
    row["capacity"] = capacity if capacity.isdigit() else ""
    spoken = [scalar(lang).rsplit(":", 1)[-1].lower()
              for lang in as_list(obj.get("availableLanguage"))]
    row["languages"] = ",".join(c for c in spoken if len(c) == 2 and c.isalpha())
    specs = [s for s in as_list(get(place, "openingHoursSpecification")) +
             as_list(get(obj, "openingHoursSpecification")) if isinstance(s, dict)]
    return row, opening_hours(specs)


def is_json_ld(document: Any) -> bool:
    """Whether a JSON document is JSON-LD (DATAtourisme's), not GeoJSON."""
    if isinstance(document, list):
        return any(isinstance(o, dict) and "@type" in o for o in document)
    return isinstance(document, dict) and any(k in document for k in ("@graph", "@context",
                                                                       "@type"))


def rows(document: Any) -> list[tuple[int, dict[str, str]]]:
    """Each point of interest of the document (numbered from 1) as the listing form's
    values, with ``\\0object`` (what names it in a report: its identifier) and, when its
    hours cannot be written in OpenStreetMap's syntax exactly, ``\\0hours_text`` and
    ``\\0hours_reason``. NotDatatourisme when it holds none."""
    out = []
    for number, obj in enumerate(objects(document), start=1):
        row, hours = values(obj)
        row["opening_hours"] = hours.osm
        row["\0object"] = row["source_id"] or f"#{number}"
        if hours.text:
            row["\0hours_text"], row["\0hours_reason"] = hours.text, hours.reason
        out.append((number, row))
    return out
