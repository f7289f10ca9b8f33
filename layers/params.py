"""Parsing of API query parameters into values the selectors take."""

from __future__ import annotations

import math

from django.utils.translation import get_language_from_request

from layers.exceptions import BadParameter
from layers.i18n import LANGUAGE_CODES

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


def parse_bbox(raw: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees."""
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
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90
            and -90 <= maxy <= 90):
        raise BadParameter("bbox", "longitudes must lie in [-180, 180], latitudes in [-90, 90]")
    if minx > maxx or miny > maxy:
        raise BadParameter("bbox", "the minimum must not exceed the maximum")
    return minx, miny, maxx, maxy
