"""How features are written (CRS, flat or nested properties), and the WHERE clauses of
every filter the API and OGC API take, for any kind of the registry (layers/registry.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.crs import WGS84
from geo.params import bbox_crosses_antimeridian
from layers.params import BBox, FeatureFilters
from layers.registry import FeatureKind
from layers.search_query import (
    TextQuery,
    known_words,
    parse_text_query,
    text_conditions,
    text_score,
)
from layers.selectors.cql import to_sql as cql_sql
from layers.selectors.sql import COORD_DECIMALS, METRES_PER_DEGREE
from layers.vocabulary import Visibility

OWN_FILTERS = ("category", "activity", "difficulty")
"""The filters (FeatureFilters fields) that only some kinds have (``own_filters``)."""


@dataclass(frozen=True)
class Output:
    """How features are written: CRS of the coordinates, and flat or nested properties.

    OGC API clients (GDAL, QGIS) want one attribute a column: ``flat`` gives
    name_bg … name_en instead of a ``names`` object. ``display`` writes the geometry
    maps draw (``FeatureKind.drawn``: a line beyond the display's vertex cap thinned),
    for the lists the site's maps read; the OGC API, a feature's own URL and the
    exports give every vertex.
    """

    srid: int = WGS84
    flip: bool = False  # swap to the CRS's own axis order (e.g. lat/lon for EPSG:4326)
    flat: bool = False
    display: bool = False

    def geometry(self, g: str) -> str:
        expr = g if self.srid == WGS84 else f"ST_Transform({g}, {int(self.srid)})"
        if self.flip:
            expr = f"ST_FlipCoordinates({expr})"
        decimals = COORD_DECIMALS if self.srid == WGS84 else 2  # degrees or metres
        # Options 0: no "crs" member inside the geometry, which PostGIS adds by default
        # for any SRID but 4326. GeoJSON has no such member; the OGC API says the CRS
        # in the Content-Crs header.
        return f"ST_AsGeoJSON({expr}, {decimals}, 0)"


RFC7946 = Output()
DISPLAY = Output(display=True)


def near_conditions(g: str, near: tuple[float, float], radius_m: float,
                    params: list) -> tuple[list[str], str]:
    """(WHERE parts, distance SQL) for geometries ``g`` within ``radius_m`` metres of
    ``near`` (lon, lat): a bounding-box test on the GiST index first, then the exact
    distance on the spheroid. The box is generous: a degree of longitude shrinks with
    latitude."""
    lon, lat = near
    point = f"ST_SetSRID(ST_MakePoint({lon!r}, {lat!r}), {WGS84})"
    reach = radius_m / METRES_PER_DEGREE / max(0.1, abs(math.cos(math.radians(lat))))
    params.extend([reach, radius_m])
    return ([f"{g} && ST_Expand({point}, %s)",
             f"ST_DWithin(geography({g}), geography({point}), %s)"],
            f"ST_Distance(geography({g}), geography({point}))")


def conditions(kind: FeatureKind, f: FeatureFilters, params: list,
               text: list[TextQuery] | None = None) -> tuple[str, str] | None:
    """(WHERE clause, distance SQL) over ``x`` (the kind's table).

    None when a filter rules the kind out (``?activity=`` and attractions). ``text``
    receives the query ``?q=`` became for this kind (for its ``score``).
    """
    start = len(params)
    for name in OWN_FILTERS:
        if getattr(f, name) and name not in kind.own_filters:
            return None
    declared = {c.name: c for c in kind.choice_filters}
    if any(name not in declared for name in f.chosen):
        return None
    if kind.layered:
        # The layers are chosen first, once (a handful of rows), so the planner
        # filters the features by an array instead of joining the layers to them.
        chosen = [f"l.visibility = '{Visibility.PUBLIC}' AND NOT p.sandbox"]
        if f.unpublished_layer:
            chosen = [f"({chosen[0]} OR l.slug = ANY(%s))"]
            params.append(f.unpublished_layer)
        if not f.layer:
            # A reference layer (sub-areas) is not among the things to visit; asked for by
            # name, it is a layer like any other.
            chosen.append("NOT l.reference")
        for name, column in (("partner", "p.slug"), ("layer", "l.slug")):
            if getattr(f, name):
                chosen.append(f"{column} = ANY(%s)")
                params.append(getattr(f, name))
        where = ["x.layer_id = ANY(ARRAY(SELECT l.id FROM layers_layer l JOIN layers_partner p "
                 f"ON p.id = l.partner_id WHERE {' AND '.join(chosen)}))",
                 "x.retired_at IS NULL"]
    elif f.layer:
        return None  # a kind that is in no layer
    else:
        where = [kind.public_sql()]
    g = f"x.{kind.geom}"
    distance = "NULL::float8"
    if f.bbox:
        overlaps, values = bbox_overlaps(g, f.bbox)
        where.append(overlaps)
        params.extend(values)
    if f.near:
        near, distance = near_conditions(g, f.near, f.radius_m, params)
        where.extend(near)
    if f.partner and not kind.layered:
        where.append(kind.partner_filter)
        params.append(f.partner)
    for name in OWN_FILTERS:
        if getattr(f, name):
            where.append(f"x.{name} = ANY(%s)")
            params.append(getattr(f, name))
    if f.updated_since:
        where.append("x.updated_at >= %s")
        params.append(f.updated_since)
    if f.updated_before:
        where.append("x.updated_at <= %s")
        params.append(f.updated_before)
    for name, chosen in f.chosen.items():
        where.append(f"{declared[name].sql} = ANY(%s)")
        params.append(chosen)
    if f.uid:
        where.append("x.uid = %s")
        params.append(f.uid)
    if f.uids is not None:
        where.append("x.uid = ANY(%s::uuid[])")
        params.append(f.uids)
    if f.q:
        # Which words match closely depends on what the other filters keep.
        query = known_words(parse_text_query(f.q), source=f"{kind.table} x",
                            where=" AND ".join(where), where_params=params[start:],
                            search=kind.search_sql, category=kind.category_sql)
        where.append(text_conditions(query, search=kind.search_sql,
                                     category=kind.category_sql, geom=g, params=params))
        if text is not None:
            text.append(query)
    if f.cql is not None:
        where.append(f"COALESCE({cql_sql(f.cql, kind, list(f.cql_kinds), params)}, false)")
    return " AND ".join(where), distance


def score(kind: FeatureKind, text: list[TextQuery], params: list) -> str:
    """SQL over ``x`` of a row's rank for ``?q=`` (0: every word matched exactly; see
    layers/search_query.py), "0" without it; ``text`` as ``conditions`` filled it."""
    if not text:
        return "0"
    return text_score(text[0], search=kind.search_sql, category=kind.category_sql,
                      params=params)


def bbox_overlaps(geom: str, bbox: BBox) -> tuple[str, list[float]]:
    """SQL (and its parameters) that ``geom`` (EPSG:4326) overlaps the lon/lat ``bbox``,
    on its GiST index. A box across the antimeridian (west > east) is the two boxes
    either side of it."""
    envelope = f"{geom} && ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})"
    minx, miny, maxx, maxy = bbox
    if not bbox_crosses_antimeridian(bbox):
        return envelope, [minx, miny, maxx, maxy]
    return f"({envelope} OR {envelope})", [minx, miny, 180.0, maxy, -180.0, miny, maxx, maxy]
