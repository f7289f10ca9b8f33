"""A published route whose stops are not placed yet has no line: every export still
answers, and says the route (found by the fuzz test: the GPX, KML, GeoPackage,
shapefile and CSV exports answered 500)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def unplaced(db):
    sz = make_partner("stara-zagora")
    make_attraction(make_layer(sz), 25.6264, 42.4271, name_bg="Античен форум")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS), [(25.60, 42.43), (25.62, 42.45)])
    return make_route(sz, slug="not-placed-yet")


@pytest.mark.parametrize("fmt", ["geojson", "gpx", "kml", "gpkg", "shp", "csv", "fgb",
                                 "parquet"])
def test_every_export_answers_with_a_route_that_has_no_line(client, unplaced, fmt):
    response = client.get("/api/regional-layer/export/", {"format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "geojson":
        features = json.loads(body)["features"]
        route = [f for f in features if f["properties"].get("kind") == "route"]
        assert [f["geometry"] for f in route] == [None]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert [r["wkt"] for r in rows if r["kind"] == "route"] == [""]
    elif fmt == "kml":
        assert b"Not-Placed-Yet" in body  # a Placemark without a geometry
    elif fmt == "gpx":
        assert b"Not-Placed-Yet" not in body and b"<trk>" in body  # a track needs points
