"""A small constructed world for route tests: a trail network in a metric frame."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.models import Trail
from layers.vocabulary import LayerKind, Visibility
from routes.models import PilotRoute
from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer, make_partner

LON0, LAT0 = 25.60, 42.40
M_PER_DEG_LAT = 111_132.954 - 559.822 * math.cos(2 * math.radians(LAT0))
M_PER_DEG_LON = math.pi / 180 * 6_378_137 * math.cos(math.radians(LAT0)) / math.sqrt(
    1 - 0.00669438 * math.sin(math.radians(LAT0)) ** 2)


def at(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a point x metres east and y metres north of the origin (close
    enough at these distances: the tests compare to pyproj on these same points)."""
    return (LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT)


def line(points, z=None) -> list[tuple]:
    """Points every 100 m along the straight segments through ``points`` (x, y metres),
    with z from ``z(distance)`` when given."""
    out, walked = [], 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        seg = math.hypot(x1 - x0, y1 - y0)
        steps = max(1, int(seg // 100))
        for i in range(steps + (1 if (x1, y1) == points[-1] else 0)):
            t = i / steps
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            lon, lat = at(x, y)
            out.append((lon, lat, z(walked + seg * t)) if z else (lon, lat))
        walked += seg
    return out


def trail(layer, points, z=None, **kw) -> Trail:
    geom = MultiLineString(LineString(line(points, z), srid=WGS84), srid=WGS84)
    return Trail.objects.create(layer=layer, geom=geom, name_en=kw.pop("name_en", "A trail"),
                                activity="hiking", **kw)


@pytest.fixture
def world(db):
    """A partner with trails: T1 west-east A(0,0)-B(1000,0)-C(2000,0) climbing from
    100 m to 200 m; T2 from B north to D(1000,1000) climbing 150 m to 180 m; T3 from
    G(1010,1010), 14 m short of D, north to H(1010,2000); T4 (2D) far east, not
    joined to the others."""
    partner = make_partner("stara-zagora")
    trails = make_layer(partner, LayerKind.TRAILS)
    places = make_layer(partner, LayerKind.ATTRACTIONS)
    hidden = make_layer(partner, LayerKind.ATTRACTIONS, visibility=Visibility.PRIVATE,
                        slug="stara-zagora-private")
    t = {
        "T1": trail(trails, [(0, 0), (1000, 0), (2000, 0)], z=lambda d: 100 + d / 20),
        "T2": trail(trails, [(1000, 0), (1000, 1000)], z=lambda d: 150 + d * 0.03),
        "T3": trail(trails, [(1010, 1010), (1010, 2000)], z=lambda d: 180.0),
        "T4": trail(trails, [(5000, 0), (6000, 0)]),
    }

    def place(name, x, y, layer=places, **kw):
        lon, lat = at(x, y)
        return make_attraction(layer, lon, lat, name_en=name, **kw)

    s = {
        "s1": place("West gate", 0, -20),
        "s2": place("North spring", 1000, 1000),
        "s3": place("Summit hut", 1010, 2000),
        "s4": place("East chapel", 5000, 5),
        "s4b": place("East mill", 6000, 0),
        "s5": place("Lonely rock", -3000, 3000),
        "hidden": place("Private barn", 500, 10, layer=hidden),
    }
    return {"partner": partner, "trails": t, "stops": s, "places": places}


def make_route(partner, slug="test-route", status=RouteStatus.PUBLISHED, **kw) -> PilotRoute:
    route = PilotRoute.objects.create(slug=slug, status=status, title_en=slug.title(), **kw)
    route.partners.add(partner)
    return route


def polyline_length(points_xy) -> float:
    from pyproj import Geod

    lonlat = np.array([at(x, y) for x, y in points_xy])
    return Geod(ellps="WGS84").line_length(lonlat[:, 0], lonlat[:, 1])
