"""A route's GeoJSON in a partner's CRS (Interfaces D4: ``crs`` was not taken by the
route's export); GPX and KML, WGS 84 by definition, refuse another."""

from __future__ import annotations

import json

import pyogrio.raw
import pytest
import shapely
from django.contrib.gis.geos import LineString, MultiLineString
from pyproj import Transformer

from geo.crs import WGS84
from routes.models import PilotRoute
from tests.factories import make_partner
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db
LINE = [(22.4178, 39.6383, 90.0), (22.43, 39.65, 120.0)]  # from Larissa's theatre


@pytest.fixture
def route(db):
    larissa = make_partner("larissa", bbox=(21.8, 39.2, 23.2, 40.1))
    route = make_route(larissa, slug="theatre-walk")
    PilotRoute.objects.filter(pk=route.pk).update(geom=MultiLineString(
        LineString(LINE, srid=WGS84), srid=WGS84))
    return route


def test_a_routes_geojson_in_greek_grid(client, route, tmp_path):
    response = client.get("/api/routes/theatre-walk/export/",
                          {"format": "geojson", "crs": "EPSG:2100"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="theatre-walk-epsg2100.geojson"')
    doc = json.loads(response.content)
    assert doc["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::2100"
    path = tmp_path / "route.geojson"
    path.write_bytes(response.content)
    assert pyogrio.read_info(path)["crs"] == "EPSG:2100"
    _meta, _fids, geoms, _fields = pyogrio.raw.read(path)
    coords = shapely.get_coordinates(shapely.from_wkb(geoms[0]), include_z=True)
    to_greek = Transformer.from_crs(4326, 2100, always_xy=True)
    for (lon, lat, z), (x, y, height) in zip(LINE, coords, strict=True):
        ex, ey = to_greek.transform(lon, lat)
        assert abs(x - ex) < 0.01 and abs(y - ey) < 0.01
        assert height == z


@pytest.mark.parametrize("fmt", ["gpx", "kml"])
def test_a_routes_gpx_and_kml_refuse_another_crs(client, route, fmt):
    url = "/api/routes/theatre-walk/export/"
    refused = client.get(url, {"format": fmt, "crs": "EPSG:2100"})
    assert refused.status_code == 400 and refused.json()["parameter"] == "crs"
    assert client.get(url, {"format": fmt, "crs": "EPSG:4326"}).status_code == 200


def test_a_route_export_names_an_unknown_crs(client, route):
    refused = client.get("/api/routes/theatre-walk/export/",
                         {"format": "geojson", "crs": "EPSG:27700"})
    assert refused.status_code == 400 and refused.json()["parameter"] == "crs"
    assert "'EPSG:27700'" in refused.json()["error"]
