"""The places of practices and study visits: what a writer names (an attraction's or a
trail's public id, a route's slug, or a drawn shape), checked and tied to its practice or
visit, and the points a practice keeps of its places for the regional layer.

The callers (``exchange.services``, ``exchange.visits``) have checked who may.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from exchange.models import GoodPractice, PracticePlace, StudyVisit, VisitPlace
from geo.crs import WGS84
from geo.errors import InvalidFields
from layers.models import Attraction, Trail
from routes.models import PilotRoute

P = TypeVar("P", PracticePlace, VisitPlace)


@dataclass(frozen=True)
class PlaceSpec:
    """A place to tie to a practice: one of an attraction's or a trail's public id, a
    route's slug, or a drawn geometry (GeoJSON or WKT, EPSG:4326)."""

    attraction: str | None = None
    trail: str | None = None
    route: str | None = None
    geometry: str | None = None
    label: str = ""


DRAWN_TYPES = ("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString",
               "MultiPolygon")


def drawn_geometry(text: str, field: str) -> GEOSGeometry:
    """A drawn place (GeoJSON or WKT, longitude and latitude), refused unless it is one
    valid, non-empty point, line or area within the world's bounds."""
    try:
        geom = GEOSGeometry(text, srid=WGS84)
        ok = (not geom.empty and geom.valid and geom.geom_type in DRAWN_TYPES
              and -180 <= geom.extent[0] <= geom.extent[2] <= 180
              and -90 <= geom.extent[1] <= geom.extent[3] <= 90)
    except (GEOSException, GDALException, ValueError, TypeError):
        ok = False
    if not ok:
        raise InvalidFields({field: [_("Not a valid point, line or area in longitude and "
                                       "latitude.")]})
    return geom


def _place_found(row: PracticePlace | VisitPlace, spec: PlaceSpec, field: str) -> None:
    """``row`` tied to the one place ``spec`` names, or refused under ``field``."""
    try:
        if spec.attraction:
            row.attraction = Attraction.objects.get(uid=spec.attraction,
                                                    retired_at__isnull=True)
        elif spec.trail:
            row.trail = Trail.objects.get(uid=spec.trail, retired_at__isnull=True)
        elif spec.route:
            row.route = PilotRoute.objects.get(slug=spec.route)
        elif spec.geometry:
            row.drawn = drawn_geometry(spec.geometry, field)
        else:
            raise InvalidFields({field: [_("A place is an attraction, a trail, a route "
                                           "or a drawn shape.")]})
    except (Attraction.DoesNotExist, Trail.DoesNotExist, PilotRoute.DoesNotExist,
            ValidationError):
        raise InvalidFields({field: [_("No such place on the platform.")]}) from None


def _place_rows(places: Sequence[PlaceSpec], make: Callable[[int, str], P]) -> list[P]:
    """A row for each of ``places``, made by ``make(order, label)`` and tied to its place."""
    rows = []
    for order, spec in enumerate(places):
        row = make(order, spec.label[:200])
        _place_found(row, spec, f"places[{order}]")
        rows.append(row)
    return rows


@transaction.atomic
def practice_places_set(*, practice: GoodPractice, places: Sequence[PlaceSpec]) -> None:
    """Replace the practice's places (and its points). The callers have checked who may."""
    practice.places.all().delete()
    PracticePlace.objects.bulk_create(_place_rows(places, lambda order, label: PracticePlace(
        practice=practice, order=order, label=label)))
    practice_geometry_refresh(practice=practice)


def practice_geometry_refresh(*, practice: GoodPractice) -> None:
    """Keep the practice's points (the regional layer's geometry) up to date with its
    places: a point on each place (a line's or an area's point on its surface)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE exchange_goodpractice g SET geom = (
              SELECT ST_Multi(ST_Collect(ST_Force2D(ST_PointOnSurface(
                       COALESCE(pp.drawn, a.location, t.geom, r.geom)))
                     ORDER BY pp.order, pp.id))
              FROM exchange_practiceplace pp
              LEFT JOIN layers_attraction a ON a.id = pp.attraction_id
              LEFT JOIN layers_trail t ON t.id = pp.trail_id
              LEFT JOIN routes_pilotroute r ON r.id = pp.route_id
              WHERE pp.practice_id = g.id)
            WHERE g.id = %s""", [practice.pk])


def visit_places_set(*, visit: StudyVisit, places: Sequence[PlaceSpec]) -> None:
    """Replace the places a visit saw (the callers have checked who may)."""
    visit.places.all().delete()
    VisitPlace.objects.bulk_create(_place_rows(places, lambda order, label: VisitPlace(
        visit=visit, order=order, label=label)))
