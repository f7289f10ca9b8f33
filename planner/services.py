"""Writes of the coverage analysis: the Voronoi diagram of the sites, kept up to date.

The gaps can lie only in the cells that reach farther than R from their site
(``planner.selectors.reach``). Drawing the diagram of ten thousand sites costs more than
everything else the analysis does, and it does not depend on R: it is drawn once for the
data as it is, kept in ``coverage_sitecell``, and drawn again by the first analysis after
the data it came from has changed (``atlas_data_version``).

It is drawn by GEOS through shapely: GEOS 3.12 and later give each cell in the order of
its site, and the analysis needs to know which site is in which cell. PostGIS 3.3 (with
GEOS 3.11) draws the same cells in an order of its own, and pairing them with their
sites in SQL costs more than the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from geo.crs import LAEA_EUROPE, WGS84
from planner.params import CoverageQuery
from planner.selectors.sql import attraction_filter, trail_filter, trailheads

DRAWN_FROM = ("layers_attraction", "layers_trail", "layers_layer")
"""The tables whose writes change the sites (their places, their layers' visibility)."""
MARGIN_DEG = 0.5
"""How far (degrees) the cells reach beyond the partners' territories and the sites."""
_LOCK = 0x636F7665  # one drawing at a time: a second analysis waits for the first's


@dataclass(frozen=True)
class SiteDiagramState:
    sites: int
    drawn: bool  # drawn by this call


def _state(cursor: CursorWrapper) -> tuple[int, bool]:
    """The kept diagram's number of sites, and whether it is current: drawn from the data
    as it is now, and covering every partner's territory (0 and not current: none kept)."""
    cursor.execute("""
        SELECT d.sites,
               d.versions = (SELECT jsonb_object_agg(v.name, v.version)
                             FROM atlas_data_version v WHERE v.name = ANY(%s))
               AND NOT EXISTS (SELECT 1 FROM layers_partner p WHERE NOT p.boundary @ d.extent)
        FROM coverage_sitediagram d""", [list(DRAWN_FROM)])
    row = cursor.fetchone()
    return (row[0], bool(row[1])) if row else (0, False)


def site_diagram_update(*, force: bool = False) -> SiteDiagramState:
    """Draw the diagram of the sites again if the data changed since it was drawn (or if
    ``force``); return its number of sites."""
    with connection.cursor() as cursor:
        sites, current = _state(cursor)
        if current and not force:
            return SiteDiagramState(sites=sites, drawn=False)
        with transaction.atomic():
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            sites, current = _state(cursor)
            if current and not force:
                return SiteDiagramState(sites=sites, drawn=False)
            return SiteDiagramState(sites=_draw(cursor), drawn=True)


def _draw(cursor: CursorWrapper) -> int:
    # The versions first: a write committed while the sites are read then makes the
    # diagram look stale, and the next analysis draws it again; read after, it would be
    # missed.
    cursor.execute("SELECT COALESCE(jsonb_object_agg(name, version), '{}')::text "
                   "FROM atlas_data_version WHERE name = ANY(%s)", [list(DRAWN_FROM)])
    versions = cursor.fetchone()[0]
    params: list = []
    where_attraction = attraction_filter("x", CoverageQuery(), params)
    cursor.execute(f"""
        WITH site AS MATERIALIZED (
            SELECT x.location AS p FROM layers_attraction x WHERE {where_attraction}
            UNION ALL
            SELECT ST_Force2D(e.p) FROM layers_trail tr {trailheads("tr")}
            WHERE {trail_filter("tr")}
        ),
        box AS (
            SELECT ST_Expand(ST_Envelope(ST_Collect(
                       (SELECT ST_Extent(p.boundary)::geometry FROM layers_partner p),
                       (SELECT ST_Extent(s.p)::geometry FROM site s))), %s) AS g
        )
        SELECT (SELECT ST_AsBinary(ST_Transform(ST_Collect(s.p), {LAEA_EUROPE})) FROM site s),
               ST_AsEWKB(ST_SetSRID(COALESCE(box.g, ST_MakeEnvelope(0, 0, 0, 0)), {WGS84})),
               -- The box in EPSG:3035 holds the lon/lat box: its edges bend there.
               ST_AsBinary(ST_Envelope(ST_Transform(ST_Segmentize(
                   ST_SetSRID(box.g, {WGS84}), %s), {LAEA_EUROPE})))
        FROM box""", [*params, MARGIN_DEG, MARGIN_DEG / 10])
    sites_wkb, extent, clip_wkb = cursor.fetchone()
    # Sites in one place share one cell.
    xy = (np.unique(shapely.get_coordinates(shapely.from_wkb(bytes(sites_wkb))), axis=0)
          if sites_wkb else np.empty((0, 2)))
    cursor.execute("DELETE FROM coverage_sitecell")
    if len(xy):
        _write_cells(cursor, xy, shapely.from_wkb(bytes(clip_wkb)))
    cursor.execute("DELETE FROM coverage_sitediagram")
    cursor.execute("INSERT INTO coverage_sitediagram (versions, extent, sites, drawn_at) "
                   "VALUES (%s::jsonb, ST_GeomFromEWKB(%s), %s, now())",
                   [versions, bytes(extent), len(xy)])
    return len(xy)


def _write_cells(cursor: CursorWrapper, xy: np.ndarray, clip: shapely.Geometry) -> None:
    """The cells of the sites ``xy`` (EPSG:3035), each with its site and how far it
    reaches from it (its farthest corner: a cell is convex)."""
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(xy), extend_to=clip, ordered=True))
    corners, owner = shapely.get_coordinates(cells, return_index=True)
    reach = np.zeros(len(cells))
    np.maximum.at(reach, owner, np.hypot(corners[:, 0] - xy[owner, 0],
                                         corners[:, 1] - xy[owner, 1]))
    sites = shapely.to_wkb(shapely.set_srid(shapely.points(xy), LAEA_EUROPE),
                           include_srid=True)
    cells = shapely.to_wkb(shapely.set_srid(cells, LAEA_EUROPE), include_srid=True)
    # COPY, binary: a geometry column reads (E)WKB as its binary form.
    with cursor.connection.cursor().copy(
            "COPY coverage_sitecell (site, cell, reach_m) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(["bytea", "bytea", "float8"])
        for row in zip(sites.tolist(), cells.tolist(), reach.tolist(), strict=True):
            copy.write_row(row)
