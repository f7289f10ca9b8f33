"""Writes of the coverage analysis: the Voronoi diagram of the sites, kept up to date;
the partners' indicators over time (measured snapshots, entered values).

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

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.crs import LAEA_EUROPE, WGS84
from geo.errors import Forbidden
from layers.models import Partner
from planner.models import EnteredIndicator, IndicatorSnapshot
from planner.params import DEFAULT_RADIUS_KM, KINDS, CoverageQuery
from planner.rules import may_enter_indicators
from planner.selectors.sql import attraction_filter, trail_filter, trailheads

if TYPE_CHECKING:
    from planner.selectors.results import AreaStats

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


# -- Indicators over time --------------------------------------------------------------

SNAPSHOT_FROM = (*DRAWN_FROM, "layers_partner", "routes_pilotroute")
"""The tables whose writes change a partner's measured indicators."""


def is_standard(query: CoverageQuery) -> bool:
    """Whether ``query`` is the question whose answers are kept over time: R at its
    default, every category, every kind. Other questions are explorations; a series of
    their answers would compare unlike with unlike."""
    return (query.radius_km == DEFAULT_RADIUS_KM and not query.categories
            and query.kinds == KINDS)


def indicator_snapshots_take(*, areas: Sequence[AreaStats], radius_km: float) -> int:
    """Keep the partners' rows of an analysis as today's snapshot of each, for the
    partners whose data changed since their last snapshot; return how many were written.

    Nothing is written when the data is as it was at each partner's last snapshot: an
    analysis asked a hundred times a day writes once, and a read-only page stays so.
    """
    partners = [a for a in areas if a.level == "partner"]
    if not partners:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(jsonb_object_agg(name, version), '{}')::text "
                       "FROM atlas_data_version WHERE name = ANY(%s)", [list(SNAPSHOT_FROM)])
        versions = json.loads(cursor.fetchone()[0])
    ids = dict(Partner.objects.filter(slug__in=[a.key for a in partners])
               .values_list("slug", "pk"))
    latest = {s.partner_id: s.versions for s in IndicatorSnapshot.objects.filter(
        partner_id__in=ids.values()).order_by("partner_id", "-taken_on").distinct(
        "partner_id")}
    today = timezone.localdate()
    written = 0
    for a in partners:
        pk = ids.get(a.key)
        if pk is None or latest.get(pk) == versions:
            continue
        IndicatorSnapshot.objects.update_or_create(
            partner_id=pk, taken_on=today, defaults={
                "taken_at": timezone.now(), "radius_km": radius_km, "versions": versions,
                "area_km2": a.area_km2, "attractions": a.attractions,
                "attractions_per_100km2": a.attractions_per_100km2, "trail_km": a.trail_km,
                "trail_km_per_100km2": a.trail_km_per_100km2, "published_routes": a.routes,
                "covered_share": a.covered_share, "gap_km2": a.gap_km2, "gaps": a.gaps,
                "missing_categories": list(a.missing_categories)})
        written += 1
    return written


def _check_may_enter(user: User | AnonymousUser, partner: Partner) -> None:
    if not may_enter_indicators(user, partner):
        raise Forbidden(_("Only %(partner)s's members enter its indicators.")
                        % {"partner": partner})


@transaction.atomic
def entered_indicator_create(*, user: User | AnonymousUser, partner: Partner,
                             values: dict[str, Any]) -> EnteredIndicator:
    """A new value entered for ``partner`` (``values``: the form's cleaned data)."""
    _check_may_enter(user, partner)
    return EnteredIndicator.objects.create(
        partner=partner, created_by=user if user.is_authenticated else None, **values)


@transaction.atomic
def entered_indicator_update(*, user: User | AnonymousUser, row: EnteredIndicator,
                             values: dict[str, Any]) -> EnteredIndicator:
    _check_may_enter(user, row.partner)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def entered_indicator_delete(*, user: User | AnonymousUser, row: EnteredIndicator) -> None:
    _check_may_enter(user, row.partner)
    row.delete()
