"""Parsing of API query parameters into values the selectors take."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language_from_request

from layers.exceptions import BadParameter
from layers.i18n import LANGUAGE_CODES
from layers.vocabulary import Activity, Category, Difficulty

BBox = tuple[float, float, float, float]


def parse_lang(request) -> str:
    """``?lang=`` if given (must be one of ours), else Accept-Language, else English."""
    lang = request.GET.get("lang")
    if lang is None:
        guess = get_language_from_request(request)
        return guess if guess in LANGUAGE_CODES else "en"
    if lang not in LANGUAGE_CODES:
        raise BadParameter("lang", f"unknown language {lang!r}; use one of "
                           + ", ".join(LANGUAGE_CODES))
    return lang


def parse_bbox(raw: str | None, *, geographic: bool = True) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees (else four numbers of another CRS)."""
    if raw is None or raw == "":
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise BadParameter("bbox", "expected four numbers: minlon,minlat,maxlon,maxlat")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise BadParameter("bbox", f"not a number in {raw!r}") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise BadParameter("bbox", "coordinates must be finite numbers")
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


def _choices(request, name: str, allowed: set[str] | None = None) -> list[str]:
    raw = request.GET.get(name, "")
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if allowed is not None:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise BadParameter(name, f"unknown value(s) {', '.join(map(repr, unknown))}; use "
                               + ", ".join(sorted(allowed)))
    return values


def _number(request, name: str, *, low: float, high: float, default=None, integer=False):
    raw = request.GET.get(name)
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
    f = FeatureFilters(bbox=parse_bbox(request.GET.get("bbox")))
    near = request.GET.get("near")
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
    elif request.GET.get("radius"):
        raise BadParameter("radius", "goes with near=lon,lat")
    f.partner = _choices(request, "partner")
    f.layer = _choices(request, "layer")
    f.category = _choices(request, "category", {c.value for c in Category})
    f.activity = _choices(request, "activity", {a.value for a in Activity})
    f.difficulty = _choices(request, "difficulty", {d.value for d in Difficulty})
    since = request.GET.get("updated_since")
    if since:
        parsed = parse_datetime(since) or (parse_date(since) and datetime.combine(
            parse_date(since), datetime.min.time()))
        if not parsed:
            raise BadParameter("updated_since", f"{since!r} is not an ISO 8601 date or time")
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
            f.updated_since = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
                               ).astimezone(UTC)
        except OverflowError:
            raise BadParameter("updated_since", f"{since!r} is out of range") from None
    q = request.GET.get("q", "").strip()
    if q:
        if len(q) > 200:
            raise BadParameter("q", "at most 200 characters")
        f.q = q
    return f
