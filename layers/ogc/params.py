"""The CRSs offered (Part 2), and what an items request asks for: bbox and its CRS,
datetime, the property filters, limit and offset."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import datetime

from django.utils.translation import gettext as _
from pyproj import CRS, Transformer

from geo.crs import BGS2005_CCS, GREEK_GRID, LAEA_EUROPE, LAMBERT_93, WEB_MERCATOR, WGS84
from geo.errors import BadParameter
from geo.params import (
    BBox,
    Query,
    choice,
    choices,
    parse_bbox,
    parse_page,
    parse_when,
    refuse_unknown,
    single,
)
from layers import selectors
from layers.ogc.catalogue import Collection
from layers.params import FeatureFilters, partner_slugs, public_layer_slugs
from layers.vocabulary import Activity, Category, Difficulty

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
SUPPORTED_SRIDS = (WGS84, WEB_MERCATOR, LAEA_EUROPE, GREEK_GRID, LAMBERT_93, BGS2005_CCS)
CRS_URIS = [CRS84, *(EPSG.format(s) for s in SUPPORTED_SRIDS)]
DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
PROPERTY_FILTERS = ("partner", "layer", "category", "activity", "difficulty")
COMMON_PARAMS = frozenset({"f", "lang"})
"""What every OGC endpoint takes: the format (``f``, as pygeoapi and GeoServer name it) and
the language."""
ITEM_PARAMS = COMMON_PARAMS | {"crs"}
ITEMS_PARAMS = ITEM_PARAMS | {"bbox", "bbox-crs", "datetime", "limit", "offset",
                              "sortby", "properties", "skipGeometry", "filter", "filter-lang",
                              "filter-crs", *PROPERTY_FILTERS}


def check_params(query: Query, known: frozenset[str] = COMMON_PARAMS) -> None:
    """Refuse the parameters an endpoint does not take (one rule, ``refuse_unknown``) and a
    format other than JSON."""
    refuse_unknown(query, known)
    choice(query, "f", ("json", "geojson"), default="json")


def crs_srid(uri: str | None, param: str) -> int:
    if not uri or uri == CRS84:
        return WGS84
    if uri in CRS_URIS:
        return int(uri.rsplit("/", 1)[1])
    raise BadParameter(param, f"unsupported CRS {uri!r}; use one of {', '.join(CRS_URIS)}")


EPSG_CODE = re.compile(r"(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[\d.]*:)?(\d+)", re.IGNORECASE)
"""``EPSG:2100``, ``urn:ogc:def:crs:EPSG::2100`` (GDAL's GeoJSON ``crs``) or ``2100``."""


def export_srid(query: Query, param: str = "crs") -> int:
    """The CRS an export is written in: one of those the OGC API serves, named as ``crs``
    of the items names it (an OGC URI: the same ``crs_srid``) or as GIS software does
    (``EPSG:2100``, its URN, ``OGC:CRS84``); WGS 84 when absent. Files always give
    x = easting or longitude, y = northing or latitude, whatever the CRS's axis order."""
    raw = (single(query, param) or "").strip()
    if not raw or raw.upper() in ("CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84"):
        return WGS84
    if raw in CRS_URIS:
        return crs_srid(raw, param)
    code = EPSG_CODE.fullmatch(raw)
    if code and int(code.group(1)) in SUPPORTED_SRIDS:
        return int(code.group(1))
    raise BadParameter(param, _("unknown or unserved CRS %(crs)s; use one of %(served)s")
                       % {"crs": repr(raw[:100]),
                          "served": ", ".join(f"EPSG:{s}" for s in SUPPORTED_SRIDS)})


def flip_axes(srid: int, uri: str | None) -> bool:
    """Whether coordinates must be swapped into the CRS's own axis order.

    CRS84 is lon/lat; an EPSG URI means the EPSG axis order (lat/lon for 4326,
    northing/easting for some projected CRSs), as OGC API – Features Part 2 asks.
    """
    if not uri or uri == CRS84:
        return False
    return CRS.from_epsg(srid).axis_info[0].direction.lower() == "north"


def bbox_to_wgs84(bbox: BBox, srid: int) -> BBox | None:
    """A box of projected CRS ``srid`` (its x, y order) as the lon/lat box that holds it;
    None when no part of it lies where the CRS is defined.

    pyproj follows the box's edges (not only its corners: a straight edge in metres is
    curved in degrees) and leaves out the points outside the projection's domain, so a
    box far larger than the CRS's world is the part of the world the CRS maps, not an
    error (Interfaces D1: PostGIS refused such a box with a 500).
    """
    west, south, east, north = Transformer.from_crs(
        srid, WGS84, always_xy=True).transform_bounds(*bbox, densify_pts=21)
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None
    return west, south, east, north


def _datetime(raw: str | None) -> tuple[datetime | None, datetime | None]:
    if not raw:
        return None, None
    parts = raw.split("/")
    if len(parts) > 2:
        raise BadParameter("datetime", "an instant or an interval start/end")

    def one(text: str) -> datetime | None:
        if text in ("", ".."):
            return None
        return parse_when(text, "datetime")

    if len(parts) == 1:
        value = one(parts[0])
        return value, value
    return one(parts[0]), one(parts[1])


def items_filters(query: Query, c: Collection) -> FeatureFilters | None:
    """The filters of an items request; None when they rule out the whole collection
    (``layer=`` naming other layers than a layer collection's own, a box where its CRS
    maps nothing)."""
    f = FeatureFilters()
    bbox_uri = single(query, "bbox-crs")
    bbox_srid = crs_srid(bbox_uri, "bbox-crs")
    # The min/max pairs of a flipped CRS stay minimum/maximum after the swap.
    bbox = parse_bbox(single(query, "bbox"), geographic=bbox_srid == WGS84, heights=True,
                      lat_first=flip_axes(bbox_srid, bbox_uri))
    if bbox and bbox_srid != WGS84:
        bbox = bbox_to_wgs84(bbox, bbox_srid)
        if bbox is None:
            return None
    f.bbox = bbox
    f.updated_since, f.updated_before = _datetime(single(query, "datetime"))
    allowed: dict[str, set[str] | Callable[[], set[str]]] = {
        "category": {c.value for c in Category}, "activity": {a.value for a in Activity},
        "difficulty": {d.value for d in Difficulty}, "partner": partner_slugs,
        "layer": public_layer_slugs}
    for name in PROPERTY_FILTERS:
        setattr(f, name, choices(query, name, allowed[name]))
    if c.layer:
        if f.layer and c.layer not in f.layer:
            return None
        f.layer = [c.layer]
    return f


def sort_keys(query: Query, c: Collection) -> list[selectors.SortKey]:
    """``sortby`` (OGC API – Features Part 8 / Records): comma-separated properties, each
    ``-`` for descending, ``+`` or nothing for ascending."""
    return sort_keys_of(query, list(c.kinds))


def sort_keys_of(query: Query, kinds: list[str]) -> list[selectors.SortKey]:
    """``sortby`` of a list of ``kinds`` (the OGC items', the REST lists')."""
    raw = single(query, "sortby")
    if not raw:
        return []
    allowed = selectors.sortable(kinds)
    keys: list[selectors.SortKey] = []
    for part in (p.strip() for p in raw.split(",")):
        # An unencoded + arrives as a space.
        desc, name = part.startswith("-"), part.lstrip("+- ")
        if name not in allowed:
            raise BadParameter("sortby", _("cannot sort by %(name)r; sort by one of "
                                           "%(allowed)s")
                               % {"name": name, "allowed": ", ".join(sorted(allowed))})
        keys.append((name, desc))
    if len(keys) > 3:
        raise BadParameter("sortby", _("at most three properties"))
    return keys


def chosen_properties(query: Query, known: set[str]) -> list[str] | None:
    """``properties``: the properties each feature keeps (None: all of them)."""
    if "properties" not in query:
        return None
    return choices(query, "properties", known)


def page(query: Query) -> tuple[int, int]:
    """``limit`` (1..MAX_LIMIT, default DEFAULT_LIMIT) and ``offset`` of an items request."""
    return parse_page(query, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
