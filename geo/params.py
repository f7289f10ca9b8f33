"""The one parser family of request parameters: the REST API, the OGC API, tiles, routes,
the planner and the pages read theirs with these functions, and each refusal is a
``BadParameter`` naming the parameter and why (geo/errors.py shapes it for the client).

Each function reads a ``QueryDict`` (``request.GET``): a page that assembles its own
parameters (the planner's repeated check boxes) passes one of its own, not a request.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from typing import Protocol, overload

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geo.errors import BadParameter
from geo.i18n import LANGUAGE_CODES, page_language


class Query(Protocol):
    """What the parsers read: a ``QueryDict``, or anything with its ``getlist``."""

    def getlist(self, key: str, default: list | None = None) -> list[str]: ...

    def __contains__(self, key: object) -> bool: ...

    def __iter__(self) -> Iterator[str]: ...


BBox = tuple[float, float, float, float]


def single(query: Query, name: str) -> str | None:
    """The one value of parameter ``name`` (None when absent).

    Given twice (``bbox=…&bbox=…``), a request would silently get the last one: lists
    are written comma-separated, so a repeated parameter is a client's mistake.
    """
    values = query.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "given more than once; give it once (a list is "
                           "comma-separated: a,b)")
    value = values[0] if values else None
    if value is not None and "\0" in value:
        raise BadParameter(name, "contains a NUL character")
    return value


def parse_lang(query: Query) -> str:
    """``?lang=`` if given (must be one of ours), else the language the request came in
    (cookie, Accept-Language: see ``page_language``), else English."""
    lang = single(query, "lang")
    if lang is None:
        return page_language()
    if lang not in LANGUAGE_CODES:
        raise BadParameter("lang", f"unknown language {lang!r}; use one of "
                           + ", ".join(LANGUAGE_CODES))
    return lang


def parse_bbox(raw: str | None, *, geographic: bool = True, heights: bool = False,
               lat_first: bool = False) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees (else four numbers of another CRS).

    With ``heights`` (OGC API – Features Core), six numbers are taken too:
    ``minlon,minlat,minheight,maxlon,maxlat,maxheight``. Features have no heights to
    filter on but their vertices' own, so the box filters on its 2-D part.

    ``lat_first``: the numbers come latitude first (EPSG:4326's own axis order); they are
    swapped before the ranges are checked, so a longitude beyond ±90 is no latitude.
    A geographic box whose west lies east of its east crosses the antimeridian
    (OGC API – Features Core, RFC 7946 §5.2): it is kept as given, and
    ``bbox_crosses_antimeridian`` tells the query to look on both sides.
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
    if lat_first:
        minx, miny, maxx, maxy = miny, minx, maxy, maxx
    if geographic and not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90
                           and -90 <= maxy <= 90):
        raise BadParameter("bbox", "longitudes must lie in [-180, 180], latitudes in [-90, 90]")
    if miny > maxy or (minx > maxx and not geographic):
        raise BadParameter("bbox", "the minimum must not exceed the maximum")
    return minx, miny, maxx, maxy


def bbox_crosses_antimeridian(bbox: BBox) -> bool:
    """Whether a lon/lat box runs east from its west edge across ±180° to its east edge."""
    return bbox[0] > bbox[2]


def choices(query: Query, name: str,
             allowed: set[str] | Callable[[], set[str]] | None = None, *,
             listed_at: str | None = None) -> list[str]:
    """The comma-separated values of ``name``, each one of ``allowed`` (when given).

    ``allowed`` may be a function, called only when the parameter has values: the
    partners and layers are read from the database, which a request without them
    should not pay for. ``listed_at`` points to where the allowed values are listed, for
    lists too long to repeat in a message (the layers).
    """
    raw = single(query, name) or ""
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not values or allowed is None:
        return values
    known = allowed() if callable(allowed) else allowed
    unknown = [v for v in values if v not in known]
    if unknown:
        use = f"see {listed_at}" if listed_at else "use " + ", ".join(sorted(known))
        raise BadParameter(name, f"unknown value(s) {', '.join(map(repr, unknown))}; " + use)
    return values


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


@overload
def number(query: Query, name: str, *, low: float, high: float, default: float,
           integer: bool = False) -> float: ...
@overload
def number(query: Query, name: str, *, low: float, high: float, default: None = None,
           integer: bool = False) -> float | None: ...
def number(query: Query, name: str, *, low: float, high: float, default: float | None = None,
           integer: bool = False) -> float | None:
    """The number ``name`` in [low, high] (``integer``: a whole one), else ``default``."""
    raw = single(query, name)
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


def parse_page(query: Query, *, default: int, maximum: int) -> tuple[int, int]:
    """``limit`` (``default`` when absent; above ``maximum``, the maximum) and ``offset``.

    A limit above the maximum is capped, not refused: OGC API – Features says so, and a
    client that asks for more than a page holds (GDAL's ``PAGE_SIZE=20000``) then pages
    through the next links instead of getting nothing (Interfaces D5).
    """
    limit = number(query, "limit", low=1, high=10**9, default=default, integer=True)
    offset = number(query, "offset", low=0, high=10**9, default=0, integer=True)
    return int(min(limit, maximum)), int(offset)


def refuse_unknown(query: Query, known: Iterable[str]) -> None:
    """The one rule for parameters an endpoint does not take: a 400 naming them.

    Ignored, a misspelt or unsupported parameter silently changes the answer (OWSLib's
    ``filter=partner='drome'`` got every partner's features): a client must hear that
    the server did not do what it asked (Interfaces D4; OGC API – Features, /req/core/
    query-param-unknown).
    """
    allowed = set(known)
    unknown = sorted(name for name in set(query) if name not in allowed)
    if unknown:
        raise BadParameter(unknown[0], _("not a parameter of this endpoint (%(unknown)s); "
                                         "it takes %(known)s")
                           % {"unknown": ", ".join(unknown),
                              "known": ", ".join(sorted(allowed))})


def choice(query: Query, name: str, allowed: Iterable[str], *, default: str) -> str:
    """The one value of ``name``, one of ``allowed`` (``default`` when absent or empty)."""
    value = single(query, name) or default
    options = list(allowed)
    if value not in options:
        raise BadParameter(name, f"unknown {name} {value!r}; use one of " + ", ".join(options))
    return value


def flag(query: Query, name: str) -> bool:
    """``true``/``1`` or ``false``/``0`` (absent: false)."""
    raw = (single(query, name) or "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise BadParameter(name, f"{raw!r} is neither true nor false")
    return raw in ("true", "1")


# The days opening hours are read for: a week from the last one still fits in Python's
# calendar (a day of 9999 made an OverflowError, a 500).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def parse_day(name: str, value: str | None) -> date | None:
    """``value`` as a day (YYYY-MM-DD) between FIRST_DAY and LAST_DAY; None when empty."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, _("expected a date, YYYY-MM-DD")) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadParameter(name, _("a date from %(first)s to %(last)s")
                           % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()})
    return day
