"""Parsing of API query parameters into values the selectors take."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language_from_request

from geo.i18n import LANGUAGE_CODES
from layers.exceptions import BadParameter
from layers.vocabulary import Activity, Category, Difficulty

BBox = tuple[float, float, float, float]


def single(request, name: str) -> str | None:
    """The one value of parameter ``name`` (None when absent).

    Given twice (``bbox=…&bbox=…``), a request would silently get the last one: lists
    are written comma-separated, so a repeated parameter is a client's mistake.
    """
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "given more than once; give it once (a list is "
                           "comma-separated: a,b)")
    value = values[0] if values else None
    if value is not None and "\0" in value:
        raise BadParameter(name, "contains a NUL character")
    return value


def parse_lang(request) -> str:
    """``?lang=`` if given (must be one of ours), else Accept-Language, else English."""
    lang = single(request, "lang")
    if lang is None:
        guess = get_language_from_request(request)
        return guess if guess in LANGUAGE_CODES else "en"
    if lang not in LANGUAGE_CODES:
        raise BadParameter("lang", f"unknown language {lang!r}; use one of "
                           + ", ".join(LANGUAGE_CODES))
    return lang


def parse_bbox(raw: str | None, *, geographic: bool = True,
               heights: bool = False) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees (else four numbers of another CRS).

    With ``heights`` (OGC API – Features Core), six numbers are taken too:
    ``minlon,minlat,minheight,maxlon,maxlat,maxheight``. Features have no heights to
    filter on but their vertices' own, so the box filters on its 2-D part.
    """
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    if len(parts) != 4 and not (heights and len(parts) == 6):
        raise BadParameter("bbox", "expected four numbers: minlon,minlat,maxlon,maxlat"
                           + (" (or six, with the heights third and sixth)" if heights else ""))
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise BadParameter("bbox", f"not a number in {raw!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise BadParameter("bbox", "coordinates must be finite numbers")
    if len(values) == 6:
        if values[2] > values[5]:
            raise BadParameter("bbox", "the minimum height must not exceed the maximum")
        values = [values[0], values[1], values[3], values[4]]
    minx, miny, maxx, maxy = values
    if geographic and not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90
                           and -90 <= maxy <= 90):
        raise BadParameter("bbox", "longitudes must lie in [-180, 180], latitudes in [-90, 90]")
    if minx > maxx or miny > maxy:
        raise BadParameter("bbox", "the minimum must not exceed the maximum")
    return minx, miny, maxx, maxy


DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_RADIUS_M = 200_000


@dataclass
class FeatureFilters:
    """What the feature endpoints filter on; every value already validated."""

    bbox: BBox | None = None
    near: tuple[float, float] | None = None
    radius_m: float | None = None
    partner: list[str] = field(default_factory=list)
    layer: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    activity: list[str] = field(default_factory=list)
    difficulty: list[str] = field(default_factory=list)
    updated_since: datetime | None = None
    updated_before: datetime | None = None  # inclusive
    q: str | None = None
    uid: str | None = None


def _choices(request, name: str,
             allowed: set[str] | Callable[[], set[str]] | None = None, *,
             listed_at: str | None = None) -> list[str]:
    """The comma-separated values of ``name``, each one of ``allowed`` (when given).

    ``allowed`` may be a function, called only when the parameter has values: the
    partners and layers are read from the database, which a request without them
    should not pay for. ``listed_at`` points to where the allowed values are listed, for
    lists too long to repeat in a message (the layers).
    """
    raw = single(request, name) or ""
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if values and callable(allowed):
        allowed = allowed()
    if values and allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            use = (f"see {listed_at}" if listed_at
                   else "use " + ", ".join(sorted(allowed)))
            raise BadParameter(name, f"unknown value(s) {', '.join(map(repr, unknown))}; "
                               + use)
    return values


def partner_slugs() -> set[str]:
    from layers.models import Partner  # params are parsed before the apps' models load

    return set(Partner.objects.values_list("slug", flat=True))


def public_layer_slugs() -> set[str]:
    """Layers a client may name: a private layer is as unknown as a misspelt one."""
    from layers.models import Layer
    from layers.vocabulary import Visibility

    return set(Layer.objects.filter(visibility=Visibility.PUBLIC)
               .values_list("slug", flat=True))


# "+02:00" typed into a URL arrives as " 02:00": a + in a query string means a space.
_UNENCODED_OFFSET = re.compile(r"\d \d{2}(:?\d{2})?$")


def parse_when(raw: str, name: str) -> datetime:
    """An ISO 8601 date or date-time as an aware datetime in UTC (a date: its midnight UTC;
    no offset: UTC)."""
    try:
        parsed = parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError as exc:  # the shape of a date, but no such day or hour
        raise BadParameter(name, f"{raw!r} is not a valid date or time: {exc}") from None
    if parsed is None:
        hint = (" (a + in a URL stands for a space: write the offset's + as %2B, "
                "e.g. 2026-01-01T10:00%2B02:00)" if _UNENCODED_OFFSET.search(raw) else
                ", e.g. 2026-01-01 or 2026-01-01T10:00:00Z")
        raise BadParameter(name, f"{raw!r} is not an ISO 8601 date or time{hint}")
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        raise BadParameter(name, f"{raw!r} is out of range") from None


def _number(request, name: str, *, low: float, high: float, default=None, integer=False):
    raw = single(request, name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise BadParameter(name, f"{raw!r} is not {'a whole number' if integer else 'a number'}"
                           ) from None
    if not (low <= value <= high) or (not integer and not math.isfinite(value)):
        raise BadParameter(name, f"{raw} is out of range ({low:g} to {high:g})")
    return value


def parse_kinds(request, offered: list[str]) -> list[str]:
    """The kinds ``?kind=`` keeps of those an endpoint ``offered`` (all when absent)."""
    chosen = _choices(request, "kind", set(offered))
    return [k for k in offered if k in chosen] if chosen else offered


def parse_page(request) -> tuple[int, int]:
    """``limit`` (1..MAX_LIMIT, default DEFAULT_LIMIT) and ``offset``."""
    limit = _number(request, "limit", low=1, high=MAX_LIMIT, default=DEFAULT_LIMIT, integer=True)
    offset = _number(request, "offset", low=0, high=10**9, default=0, integer=True)
    return limit, offset


def parse_filters(request) -> FeatureFilters:
    f = FeatureFilters(bbox=parse_bbox(single(request, "bbox")))
    near = single(request, "near")
    if near:
        parts = near.split(",")
        try:
            lon, lat = (float(p) for p in parts)
        except ValueError:
            raise BadParameter("near", "expected lon,lat in WGS 84 degrees") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BadParameter("near", "longitude must lie in [-180, 180], latitude in [-90, 90]")
        f.near = (lon, lat)
        f.radius_m = _number(request, "radius", low=1, high=MAX_RADIUS_M, default=5000)
    elif single(request, "radius"):
        raise BadParameter("radius", "goes with near=lon,lat")
    f.partner = _choices(request, "partner", partner_slugs)
    f.layer = _choices(request, "layer", public_layer_slugs, listed_at="/api/layers/")
    f.category = _choices(request, "category", {c.value for c in Category})
    f.activity = _choices(request, "activity", {a.value for a in Activity})
    f.difficulty = _choices(request, "difficulty", {d.value for d in Difficulty})
    since = single(request, "updated_since")
    if since:
        f.updated_since = parse_when(since, "updated_since")
    q = (single(request, "q") or "").strip()
    if q:
        if len(q) > 200:
            raise BadParameter("q", "at most 200 characters")
        f.q = q
    return f
