"""Legs along OpenStreetMap's ways take the elevation of a partner's trail where one runs
beside them, and say where they have none: on the real Liechtenstein extract (osm2pgsql's,
../shared/data/real/osm), with a trail that follows part of a real road and carries the
elevations of a real recorded GPX (gpxpy's Mojstrovka.gpx, ../shared/data/real/gpx)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.contrib.gis.geos import LineString, MultiLineString
from lxml import etree
from pyproj import Geod

from geo.crs import WGS84
from layers.models import Attraction, Trail
from layers.vocabulary import LayerKind
from routes import metrics
from routes.selectors import route_legs
from routes.services import StopSpec, route_compose, route_recompute
from routes.vocabulary import LegSource
from tests.conftest import SHARED_DATA, once_per_module
from tests.factories import make_layer
from tests.routes.conftest import make_route
from tests.routes.test_osm_network import _load

pytestmark = pytest.mark.django_db

GPX = SHARED_DATA / "real" / "gpx" / "gpxpy" / "Mojstrovka.gpx"
GEOD = Geod(ellps="WGS84")

valley = once_per_module(_load)


def recorded_elevations() -> np.ndarray:
    """The <ele> of every track point of the real recording, in order."""
    if not GPX.is_file():
        pytest.skip(f"real GPX not found at {GPX}")
    tree = etree.parse(str(GPX))
    return np.array([float(e.text) for e in tree.xpath(
        "//*[local-name()='trkpt']/*[local-name()='ele']")])


def along(coords: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(GEOD.line_lengths(coords[:, 0], coords[:, 1]))])


def car_route(valley):
    route = make_route(valley["partner"], slug="li-drive")
    stops = [StopSpec(Attraction.objects.get(pk=valley["stops"][n].pk), 10)
             for n in ("vaduz", "schaan")]
    return route_compose(route=route, stops=stops, modes=["car"])


def test_a_leg_along_roads_takes_the_elevation_of_the_trail_beside_them(valley, client):
    route = car_route(valley)
    leg = route.legs.get()
    assert leg.source == LegSource.NETWORK and leg.elevations is None  # no trail yet
    road = np.array(leg.geom.coords)
    d = along(road)
    # A partner's cycling trail on the road between 30 % and 65 % of the way, with the
    # real recording's elevations spread along it by distance.
    part = road[(d >= 0.30 * d[-1]) & (d <= 0.65 * d[-1])]
    assert len(part) >= 5
    recorded = recorded_elevations()
    t = along(part)
    z = np.interp(t / t[-1], np.linspace(0, 1, len(recorded)), recorded)
    layer = make_layer(valley["partner"], LayerKind.TRAILS)
    Trail.objects.create(layer=layer, activity="cycling", name_en="Rhine dam ride",
                         geom=MultiLineString(LineString(
                             [(x, y, h) for (x, y), h in zip(part, z, strict=True)],
                             srid=WGS84), srid=WGS84))
    # A trail 200 m away, far higher, is another path: none of its elevation is taken.
    Trail.objects.create(layer=layer, activity="hiking", name_en="Slope path",
                         geom=MultiLineString(LineString(
                             [(x + 0.0027, y, 2500.0) for x, y in part], srid=WGS84),
                             srid=WGS84))
    route = route_recompute(route=route)
    leg = route.legs.get()
    assert leg.source == LegSource.NETWORK and not leg.geom.hasz
    coords = route_legs(route.pk)[0].coords
    known = np.isfinite(coords[:, 2])
    assert 0 < known.sum() < len(coords)
    # The same way as before: the vertices gained on the trail lie on the road's line.
    assert along(coords)[-1] == pytest.approx(d[-1], rel=1e-4)
    # Every road vertex on the trail has the trail's own recorded elevation there.
    own = {(round(x, 7), round(y, 7)): h for (x, y), h in zip(part, z, strict=True)}
    matched = [(own[(round(x, 7), round(y, 7))], h) for x, y, h in coords
               if (round(x, 7), round(y, 7)) in own]
    assert len(matched) == len(part)
    assert all(h == pytest.approx(expected, abs=0.01) for expected, h in matched)
    assert coords[known, 2].max() < 2500  # not the slope path's
    # Known from about where the trail starts to where it ends (within the 20 m match).
    dist = along(coords)
    assert dist[known].min() == pytest.approx(t[0] + d[road.tolist().index(part[0].tolist())],
                                              abs=25)
    assert dist[known].max() - dist[known].min() == pytest.approx(t[-1], abs=50)
    # The climb is the recording's, counted where the elevation is known only.
    ascent, descent = metrics.climb(z)
    assert leg.ascent_m == pytest.approx(ascent, abs=5)
    assert leg.descent_m == pytest.approx(descent, abs=5)
    assert route.min_elevation_m == pytest.approx(z.min(), abs=0.5)

    # The profile says where it has no elevation: before and after the trail.
    profile = client.get(f"/api/routes/{route.slug}/profile/").json()
    gaps = profile["no_elevation"]
    assert [(g["leg"], g["source"], g["mode"]) for g in gaps] == [(1, "network", "car")] * 2
    assert gaps[0]["from_m"] == 0 and gaps[1]["to_m"] == pytest.approx(route.length_m, abs=1)
    assert gaps[0]["to_m"] == pytest.approx(dist[known].min(), abs=30)
    assert gaps[1]["from_m"] == pytest.approx(dist[known].max(), abs=30)
    assert profile["elevation_known_m"] == pytest.approx(t[-1], abs=60)
    points = profile["points"]
    assert any(p[1] is None for p in points) and any(p[1] is not None for p in points)

    # GPX: an <ele> on each point with elevation, none on the others.
    gpx = client.get(f"/api/routes/{route.slug}/export/?format=gpx").content.decode()
    trkpts = re.findall(r"<trkpt [^>]*>(.*?)</trkpt>", gpx)
    assert len(trkpts) == len(coords)
    assert sum("<ele>" in p for p in trkpts) == known.sum()
    kml = client.get(f"/api/routes/{route.slug}/export/?format=kml").content.decode()
    assert "nan" not in kml.lower()
    etree.fromstring(kml.encode())
    # The route's own line (lists, tiles, OGC API) stays 2D: one line, one dimension.
    detail = client.get(f"/api/routes/{route.slug}/").json()
    assert len(detail["geometry"]["coordinates"][0][0]) == 2
    assert detail["properties"]["legs"][0]["elevation"] == "part"


def test_a_leg_with_elevation_on_part_of_its_way_is_timed_and_climbed_there_only():
    road = np.array([(9.50, 47.10 + i * 0.0009) for i in range(21)])  # ~2 km north
    z = np.full(len(road), np.nan)
    z[5:16] = np.linspace(500, 600, 11)  # 1 km climbing 100 m, in the middle
    coords = np.column_stack([road, z])
    m = metrics.leg_metrics("walk", coords)
    d = along(road)
    assert m.elevation_known_m == pytest.approx(d[15] - d[5], rel=1e-9)
    assert (m.ascent_m, m.descent_m) == (pytest.approx(100, abs=0.5), 0)
    assert m.steepest_grade_pct == pytest.approx(100 / (d[15] - d[5]) * 100, rel=0.02)
    flat = metrics.tobler_kmh(0.0)
    slope = 100 / (d[15] - d[5])
    expected = ((d[-1] - (d[15] - d[5])) / 1000 / flat
                + (d[15] - d[5]) / 1000 / metrics.tobler_kmh(slope)) * 60
    assert m.duration_min == pytest.approx(expected, rel=0.02)
    gaps = metrics.without_elevation([(coords, m)])
    assert gaps == [(0.0, pytest.approx(d[5]), 0), (pytest.approx(d[15]),
                                                     pytest.approx(d[-1]), 0)]
    rows = metrics.profile([(coords, m)])
    assert [r[1] is None for r in rows] == [not np.isfinite(v) for v in z]
