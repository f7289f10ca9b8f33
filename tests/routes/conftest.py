"""A small constructed world for route tests: a trail network in a metric frame."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.models import Trail
from layers.vocabulary import LayerKind, Visibility
from routes.models import PilotRoute
from routes.vocabulary import RouteStatus
from tests.conftest import once_per_module
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


@pytest.fixture
def two_partners(db):
    """Stara Zagora (A) and Sliven (B), side by side in the metric frame, each with public
    data and B with data it has not published: a partners-only attraction ("Secret
    winery", beside A's trail) and a private trail ("Smugglers path", a shortcut between
    A's two stops). A's trail T runs A1(0,0) - (1000,0) - A2(1000,1000); the path goes
    A1 - (350,650) - A2."""
    a = make_partner("stara-zagora")
    b = make_partner("sliven", bbox=(26.0, 42.4, 26.8, 42.9))
    a_places, b_places = make_layer(a), make_layer(b)
    b_partners_only = make_layer(b, visibility=Visibility.PARTNERS, slug="sliven-wineries")
    a_trails = make_layer(a, LayerKind.TRAILS)
    b_private_trails = make_layer(b, LayerKind.TRAILS, visibility=Visibility.PRIVATE,
                                  slug="sliven-private-trails")

    def place(layer, name, x, y):
        lon, lat = at(x, y)
        return make_attraction(layer, lon, lat, name_en=name)

    return {
        "a": a, "b": b, "a_places": a_places, "b_places": b_places,
        "b_partners_only": b_partners_only, "b_private_trails": b_private_trails,
        "a1": place(a_places, "Augusta forum", 0, -20),
        "a2": place(a_places, "North spring", 1000, 1010),
        "b1": place(b_places, "Clock tower", 2000, 0),
        "secret": place(b_partners_only, "Secret winery", 500, 10),
        "t": trail(a_trails, [(0, 0), (1000, 0), (1000, 1000)], name_en="Forum trail"),
        "smugglers": trail(b_private_trails, [(0, 0), (350, 650), (1000, 1000)],
                           name_en="Smugglers path"),
    }


SECRETS = ("Secret winery", "Smugglers path")
"""The names of B's unpublished features in ``two_partners``."""


def leaks(text: str, world) -> list[str]:
    """What of B's unpublished features ``text`` (an answer, a page, a download) shows:
    their names, the winery's latitude, the path's middle vertex's longitude (numbers no
    public feature of ``two_partners`` has, to 0.5 m)."""
    found = [name for name in SECRETS if name in text]
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d+", text)]
    secret = {"the winery's latitude": world["secret"].location.y,
              "the path's longitude": at(350, 650)[0]}
    for what, value in secret.items():
        if any(abs(n - value) < 5e-6 for n in numbers):
            found.append(what)
    return found


def admin_route_form(route: PilotRoute | None = None, *, slug: str = "new-route",
                     partners=(), new_stops=(), new_legs=(), **fields) -> dict:
    """What the admin's route form posts: the route's fields, its stops and legs as they
    are, then ``new_stops`` ((order, attraction)) and ``new_legs`` ((order, mode, source,
    trail or None)) as added rows."""
    data = {"slug": route.slug if route else slug, "status": RouteStatus.PUBLISHED,
            "duration_days": 1, "themes": "", "months": "",
            "partners": [p.pk for p in partners] or (
                [p.pk for p in route.partners.all()] if route else [])}
    for name in ("title", "summary", "description"):
        for lang in ("bg", "el", "fr", "en"):
            data[f"{name}_{lang}"] = getattr(route, f"{name}_{lang}") or "" if route else ""
    data.update(fields)
    stops = [(s.pk, s.order, s.attraction_id) for s in route.stops.all()] if route else []
    stops += [(None, order, a.pk) for order, a in new_stops]
    legs = ([(g.pk, g.order, g.mode, g.source, g.trail_id) for g in route.legs.all()]
            if route else [])
    legs += [(None, order, mode, source, t.pk if t else None)
             for order, mode, source, t in new_legs]
    for prefix, rows, initial in (("stops", stops, sum(1 for r in stops if r[0])),
                                  ("legs", legs, sum(1 for r in legs if r[0]))):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, (pk, order, attraction) in enumerate(stops):
        data.update({f"stops-{i}-id": pk or "", f"stops-{i}-order": order,
                     f"stops-{i}-attraction": attraction, f"stops-{i}-suggested_min": 30,
                     f"stops-{i}-route": route.pk if route else ""})
    for i, (pk, order, mode, source, trail_id) in enumerate(legs):
        data.update({f"legs-{i}-id": pk or "", f"legs-{i}-order": order,
                     f"legs-{i}-mode": mode, f"legs-{i}-source": source,
                     f"legs-{i}-trail": trail_id or "",
                     f"legs-{i}-route": route.pk if route else ""})
    return data


def _load_demo() -> None:
    from fixtures.demo_layers import DEMO_DIR, load_demo
    from fixtures.demo_routes import load_demo_routes

    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)


# The demo of `make demo`, loaded once per module for the tests that read it (each runs in
# a savepoint of its own, so one that writes leaves it as it was).
_demo_once = once_per_module(_load_demo)


@pytest.fixture
def demo(_demo_once, db) -> None:
    return _demo_once
