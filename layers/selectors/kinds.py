"""The kinds of feature (attractions, trails, pilot routes), how they are written, and
the WHERE clauses of every filter the API and OGC API take."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection

from geo.crs import WGS84
from layers.params import BBox, FeatureFilters
from layers.search import q_condition
from layers.selectors.sql import COORD_DECIMALS, METRES_PER_DEGREE
from layers.vocabulary import Visibility


@dataclass(frozen=True)
class Kind:
    name: str  # "attraction" / "trail"
    table: str
    geom: str
    order: int
    own_filters: tuple[str, ...]  # filters only this kind has
    extra_properties: tuple[tuple[str, str], ...]  # kind-specific (key, SQL value over x)
    # Attractions and trails belong to a layer (``l``) of a partner (``p``); pilot
    # routes belong to no layer and to one or more partners.
    layered: bool = True
    name_field: str = "name"
    description_field: str = "description"

    def joins(self) -> str:
        if not self.layered:
            return ""
        return ("JOIN layers_layer l ON l.id = x.layer_id "
                "JOIN layers_partner p ON p.id = l.partner_id")

    def owners(self) -> str:
        """Columns naming the partner and layer of ``x`` (see ``joins``)."""
        return ", p.slug AS partner_slug, l.slug AS layer_slug" if self.layered else ""

    def extra_arguments(self) -> str:
        """The extra properties as json_build_object arguments."""
        return ", ".join(f"'{key}', {expr}" for key, expr in self.extra_properties)

    def partner_sql(self) -> str:
        return "p.slug" if self.layered else (
            "(SELECT min(p.slug) FROM routes_pilotroute_partners rp JOIN layers_partner p "
            "ON p.id = rp.partner_id WHERE rp.pilotroute_id = x.id)")


KINDS = {
    "attraction": Kind(
        "attraction", "layers_attraction", "location", 0, ("category",),
        (("category", "x.category"),)),
    "trail": Kind(
        "trail", "layers_trail", "geom", 1, ("activity", "difficulty"),
        (("activity", "x.activity"), ("difficulty", "NULLIF(x.difficulty, '')"),
         ("length_m", "round(x.length_m::numeric, 1)"),
         ("ascent_m", "round(x.ascent_m::numeric, 1)"),
         ("descent_m", "round(x.descent_m::numeric, 1)"), ("duration_min", "x.duration_min"),
         ("is_loop", "x.is_loop"))),
    # Published pilot routes (routes/): in the regional layer beside what they visit.
    "route": Kind(
        "route", "routes_pilotroute", "geom", 2, ("difficulty",),
        (("slug", "x.slug"), ("themes", "x.themes"), ("transport_modes", "x.transport_modes"),
         ("difficulty", "NULLIF(x.difficulty, '')"), ("length_m", "round(x.length_m::numeric)"),
         ("ascent_m", "round(x.ascent_m::numeric)"), ("duration_min", "x.duration_min"),
         ("duration_days", "x.duration_days"), ("url", "'/routes/' || x.slug || '/'")),
        layered=False, name_field="title", description_field="summary"),
}
OWN_FILTERS = ("category", "activity", "difficulty")


@dataclass(frozen=True)
class Output:
    """How features are written: CRS of the coordinates, and flat or nested properties.

    OGC API clients (GDAL, QGIS) want one attribute a column: ``flat`` gives
    name_bg … name_en instead of a ``names`` object.
    """

    srid: int = WGS84
    flip: bool = False  # swap to the CRS's own axis order (e.g. lat/lon for EPSG:4326)
    flat: bool = False

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


def route_partner_condition(alias: str) -> str:
    """SQL true when pilot route ``alias`` belongs to one of the partners ``%s`` (slugs)."""
    return ("EXISTS (SELECT 1 FROM routes_pilotroute_partners rp JOIN layers_partner p "
            f"ON p.id = rp.partner_id WHERE rp.pilotroute_id = {alias}.id "
            "AND p.slug = ANY(%s))")


def conditions(kind: Kind, f: FeatureFilters, params: list) -> tuple[str, str] | None:
    """(WHERE clause, distance SQL) over ``x`` (the kind's table).

    None when a filter rules the kind out (``?activity=`` and attractions).
    """
    for name in OWN_FILTERS:
        if getattr(f, name) and name not in kind.own_filters:
            return None
    if kind.layered:
        # The layers are chosen first, once (a handful of rows), so the planner
        # filters the features by an array instead of joining the layers to them.
        chosen = [f"l.visibility = '{Visibility.PUBLIC}'"]
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
        return None  # routes are in no layer
    else:
        where = ["x.status = 'published'"]
    g = f"x.{kind.geom}"
    distance = "NULL::float8"
    if f.bbox:
        where.append(f"{g} && ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})")
        params.extend(f.bbox)
    if f.near:
        near, distance = near_conditions(g, f.near, f.radius_m, params)
        where.extend(near)
    if f.partner and not kind.layered:
        where.append(route_partner_condition("x"))
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
    if f.uid:
        where.append("x.uid = %s")
        params.append(f.uid)
    if f.q:
        where.append(q_condition("x.search"))
        params.extend([f.q, f.q])
    return " AND ".join(where), distance


def bbox_to_wgs84(bbox: BBox, srid: int, flipped: bool) -> BBox:
    """A bbox given in another CRS (OGC ``bbox-crs``) as lon/lat, by PostGIS."""
    a, b, c, d = bbox
    if flipped:  # the CRS's axis order: (y, x)
        a, b, c, d = b, a, d, c
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT "
                       "ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, %s), %s) AS e) t",
                       [a, b, c, d, srid, WGS84])
        return tuple(cursor.fetchone())
