"""Trail metrics are computed by PostGIS from the geometry, never typed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.gis.geos import LineString, MultiLineString
from pyproj import Geod

from fixtures.demo_layers import gpx_multilinestring
from geo.crs import WGS84
from layers.models import Trail
from layers.vocabulary import LayerKind
from tests.factories import make_layer, make_partner

pytestmark = pytest.mark.django_db

# A walk up from Sliven towards Karandila, hand-digitised (lon, lat).
SLIVEN_TO_KARANDILA = [
    (26.3180, 42.6890), (26.3260, 42.6950), (26.3350, 42.7010), (26.3420, 42.7090),
    (26.3510, 42.7160), (26.3630, 42.7200), (26.3780, 42.7230), (26.3900, 42.7260),
]

HAND_MADE_GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Hand-made climb</name><trkseg>
    <trkpt lat="42.700" lon="26.300"><ele>100</ele></trkpt>
    <trkpt lat="42.701" lon="26.301"><ele>150</ele></trkpt>
    <trkpt lat="42.702" lon="26.302"><ele>140</ele></trkpt>
    <trkpt lat="42.703" lon="26.303"><ele>200</ele></trkpt>
    <trkpt lat="42.704" lon="26.304"><ele>201</ele></trkpt>
    <trkpt lat="42.705" lon="26.305"><ele>199</ele></trkpt>
    <trkpt lat="42.706" lon="26.306"><ele>180</ele></trkpt>
  </trkseg></trk>
</gpx>
"""


@pytest.fixture
def trails_layer():
    return make_layer(make_partner(slug="sliven", bbox=(26.0, 42.5, 26.8, 43.0)),
                      kind=LayerKind.TRAILS)


def _save(layer, coords, **kw) -> Trail:
    trail = Trail(layer=layer, name_en="t", activity=kw.pop("activity", "hiking"),
                  geom=MultiLineString(LineString(coords, srid=WGS84), srid=WGS84), **kw)
    trail.save()
    return trail


def test_length_is_within_half_a_percent_of_the_geodesic_length(trails_layer):
    trail = _save(trails_layer, SLIVEN_TO_KARANDILA)
    lons, lats = zip(*SLIVEN_TO_KARANDILA, strict=True)
    reference = Geod(ellps="WGS84").line_length(lons, lats)
    assert reference > 7000
    assert trail.length_m == pytest.approx(reference, rel=0.005)


def test_length_of_a_multi_part_trail_sums_its_parts(trails_layer):
    first, second = SLIVEN_TO_KARANDILA[:4], SLIVEN_TO_KARANDILA[4:]
    trail = Trail.objects.create(
        layer=trails_layer, name_en="split", activity="hiking",
        geom=MultiLineString(LineString(first), LineString(second), srid=WGS84))
    geod = Geod(ellps="WGS84")
    expected = sum(geod.line_length(*zip(*part, strict=True)) for part in (first, second))
    assert trail.length_m == pytest.approx(expected, rel=0.005)


def test_ascent_and_descent_from_a_hand_made_gpx(trails_layer, tmp_path: Path):
    gpx = tmp_path / "climb.gpx"
    gpx.write_text(HAND_MADE_GPX, encoding="utf-8")
    trail = Trail.objects.create(layer=trails_layer, name_en="climb", activity="hiking",
                                 geom=gpx_multilinestring(gpx))
    trail.refresh_from_db()
    # 100→150 (+50), 150→140 (−10), 140→200 (+60); the ±1–2 m wobble at the top
    # stays under the 3 m threshold; 200→180 (−20 from the last counted point).
    assert trail.ascent_m == pytest.approx(110)
    assert trail.descent_m == pytest.approx(30)
    assert trail.min_elevation_m == 100
    assert trail.max_elevation_m == 201
    assert trail.has_elevation


def test_gps_noise_on_flat_ground_adds_no_climb(trails_layer):
    noisy = [(26.30 + i * 0.001, 42.70, 300 + (2 if i % 2 else 0)) for i in range(40)]
    trail = _save(trails_layer, noisy)
    assert trail.ascent_m == 0
    assert trail.descent_m == 0


def test_a_trail_without_elevation_has_length_but_no_climb(trails_layer):
    trail = _save(trails_layer, SLIVEN_TO_KARANDILA)
    assert trail.length_m > 0
    assert trail.ascent_m is None and trail.max_elevation_m is None
    assert not trail.has_elevation


def test_changing_the_geometry_recomputes_the_metrics(trails_layer):
    trail = _save(trails_layer, SLIVEN_TO_KARANDILA)
    before = trail.length_m
    trail.geom = MultiLineString(LineString(SLIVEN_TO_KARANDILA[:3]), srid=WGS84)
    trail.save()
    assert trail.length_m < before / 2
    assert Trail.objects.get(pk=trail.pk).length_m == trail.length_m


def test_hiking_duration_follows_naismith(trails_layer):
    # 10 km due north on flat ground at 5 km/h, plus a 600 m climb at 600 m/h: 3 hours.
    north = Geod(ellps="WGS84").fwd(26.0, 42.6, 0, 10_000)
    coords = [(26.0, 42.6, 500.0), (north[0], (42.6 + north[1]) / 2, 1100.0),
              (north[0], north[1], 1100.0)]
    trail = _save(trails_layer, coords)
    expected = 60 * (trail.length_m / 5000 + 600 / 600)
    assert trail.duration_min == round(expected)
    assert 175 <= trail.duration_min <= 190


def test_cycling_is_quicker_than_hiking_the_same_line(trails_layer):
    hike = _save(trails_layer, SLIVEN_TO_KARANDILA, activity="hiking")
    ride = _save(trails_layer, SLIVEN_TO_KARANDILA, activity="cycling")
    assert ride.duration_min < hike.duration_min


def test_a_trail_that_returns_to_its_start_is_a_loop(trails_layer):
    loop = _save(trails_layer, [*SLIVEN_TO_KARANDILA, SLIVEN_TO_KARANDILA[0]])
    there = _save(trails_layer, SLIVEN_TO_KARANDILA)
    assert loop.is_loop and not there.is_loop


def test_the_database_refuses_a_trail_that_is_not_a_line(trails_layer):
    from django.db import IntegrityError, connection, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO layers_trail (uid, layer_id, source_id, name, description, properties,"
            " created_at, updated_at, activity, difficulty, geom) VALUES (gen_random_uuid(), %s,"
            " '', 'x', '', '{}', now(), now(), 'hiking', '',"
            " ST_GeomFromText('POINT(26 42)', 4326))", [trails_layer.pk])
