"""A trail of a million vertices is kept whole, and drawn thinned (Trust D8).

Before: the import took it as it was, and its page embedded every vertex (27.8 MB), as
did the map's list of the trails around it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from django.db import connection

from importers.pipeline import ImportRequest, run_import
from layers.models import Trail
from tests.factories import make_layer, make_partner, make_trail
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

VERTICES = 1_000_000


def _gps_log(n: int) -> np.ndarray:
    """A walk east across Stara Zagora logged every 0.4 m or so, with a metre of jitter
    and a climb: what a phone records over some 85 km."""
    i = np.arange(n, dtype=float)
    lon = 25.0 + i * 1e-6
    lat = 42.4 + 0.05 * np.sin(i / 150_000) + 1e-5 * np.sin(i / 3)
    ele = 300 + 200 * np.sin(i / 250_000)
    return np.round(np.column_stack([lon, lat, ele]), 7)


@pytest.fixture
def long_trail(tmp_path, db):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    # A shapefile: GDAL reads a GeoJSON object of more than some megabytes as damaged.
    path = write_shapefile(tmp_path, "walk", [shapely.LineString(_gps_log(VERTICES))],
                           {"ID": ["walk"], "NAME": ["The long walk"]}, epsg=4326)
    result = run_import(ImportRequest(path=path, partner=partner, layer_slug="sz-walks",
                                      kind="trails"))
    assert result.counts["created"] == 1
    return Trail.objects.get(layer__slug="sz-walks")


def _vertices(geometry: dict) -> int:
    return sum(len(part) for part in geometry["coordinates"])


def test_a_million_vertex_trail_is_kept_whole_and_its_page_is_small(client, long_trail,
                                                                    settings):
    with connection.cursor() as cur:
        # How far the walk strays from the line drawn: every thousandth vertex measured.
        cur.execute("""
            SELECT ST_NPoints(geom), ST_NPoints(display_geom), ST_Length(geom::geography),
                   (SELECT max(ST_Distance(d.geom::geography, display_geom::geography))
                    FROM ST_DumpPoints(geom) d WHERE d.path[2] %% 1000 = 0)
            FROM layers_trail WHERE id = %s""", [long_trail.pk])
        whole, drawn, length_m, strays_m = cur.fetchone()
    assert whole == VERTICES
    assert drawn <= settings.ATLAS_DISPLAY_MAX_VERTICES
    assert strays_m < 3  # the metre of GPS jitter is gone, the walk's bends are not

    page = client.get(f"/trails/{long_trail.uid}/")
    assert page.status_code == 200
    assert len(page.content) < 1_500_000  # 27.8 MB before
    # The line drawn is the walk's: it still ends where the walk ends.
    assert b"25.999999" in page.content or b"25.999998" in page.content

    listed = client.get("/api/trails/", {"bbox": "25.4,42.3,25.6,42.5"}).json()
    assert _vertices(listed["features"][0]["geometry"]) == drawn

    # Its metrics are the whole line's, and so is every export.
    assert long_trail.length_m == pytest.approx(length_m, rel=1e-4)
    exported = client.get("/api/layers/sz-walks/export/", {"format": "geojson"})
    assert _vertices(json.loads(b"".join(exported.streaming_content)
                                if exported.streaming else exported.content)[
        "features"][0]["geometry"]) == VERTICES
    detail = client.get(f"/api/trails/{long_trail.uid}/").json()
    assert _vertices(detail["geometry"]) == VERTICES


def test_a_trail_within_the_cap_is_drawn_whole(client, settings):
    layer = make_layer(make_partner(), kind="trails")
    trail = make_trail(layer, [(25.6 + i * 1e-4, 42.4 + (i % 2) * 1e-5, 300.0)
                               for i in range(500)])
    assert Trail.objects.get(pk=trail.pk).display_geom is None
    listed = client.get("/api/trails/").json()
    assert _vertices(listed["features"][0]["geometry"]) == 500


def test_an_edit_past_the_cap_thins_the_line_and_back_within_it_drops_the_copy(settings):
    settings.ATLAS_DISPLAY_MAX_VERTICES = 100
    layer = make_layer(make_partner(), kind="trails")
    zigzag = [(25.6 + i * 1e-4, 42.4 + (i % 2) * 1e-6, 300.0) for i in range(1000)]
    trail = make_trail(layer, zigzag)
    assert trail.display_geom is not None and trail.display_geom.num_points <= 100
    trail.geom = make_trail(layer, zigzag[:50]).geom
    trail.save()
    assert Trail.objects.get(pk=trail.pk).display_geom is None
