"""Route downloads: GPX 1.1 valid against the official schema, and a GPX back in as a
trail keeps the route's length; KML and GeoJSON open in GDAL."""

from __future__ import annotations

import json

import pyogrio.raw
import pytest
import shapely
from lxml import etree

from importers.pipeline import ImportRequest, run_import
from layers.models import Partner, Trail
from routes.models import PilotRoute

pytestmark = pytest.mark.django_db
ROUTE = "valley-of-the-thracian-kings-and-shipka"


def download(client, fmt: str, slug: str = ROUTE) -> bytes:
    response = client.get(f"/api/routes/{slug}/export/?format={fmt}&lang=en")
    assert response.status_code == 200
    assert f'filename="{slug}.' in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("slug", [
    "valley-of-the-thracian-kings-and-shipka", "foret-de-saou-and-the-trois-becs",
    "thracian-heritage-kazanlak-to-sliven"])
def test_gpx_is_valid_gpx_1_1(client, demo, shared_data, slug):
    schema = etree.XMLSchema(etree.parse(str(shared_data / "schemas" / "gpx-1.1.xsd")))
    doc = etree.fromstring(download(client, "gpx", slug))
    assert schema.validate(doc), schema.error_log


def test_gpx_has_the_stops_as_named_waypoints_and_the_track_with_elevation(client, demo):
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    doc = etree.fromstring(download(client, "gpx"))
    names = doc.xpath("//g:wpt/g:name/text()", namespaces=ns)
    assert names[0] == "1. Thracian Tomb of Kazanlak"
    assert names[-1] == "6. Buzludzha Monument"
    segments = doc.xpath("//g:trk/g:trkseg", namespaces=ns)
    assert len(segments) == 5  # one per leg
    # The walking legs follow trails with elevation; the car legs are straight, without.
    assert segments[4].xpath("g:trkpt/g:ele", namespaces=ns)
    assert not segments[0].xpath("g:trkpt/g:ele", namespaces=ns)


def test_a_route_exported_to_gpx_and_imported_as_a_trail_keeps_its_length(
        client, demo, tmp_path):
    route = PilotRoute.objects.get(slug="foret-de-saou-and-the-trois-becs")
    path = tmp_path / "route.gpx"
    path.write_bytes(download(client, "gpx", route.slug))
    result = run_import(ImportRequest(path=path, partner=Partner.objects.get(slug="drome"),
                                      layer_slug="drome-imported-routes", kind="trails"))
    assert result.counts["created"] == 1
    trail = Trail.objects.get(layer__slug="drome-imported-routes")
    assert trail.length_m == pytest.approx(route.length_m, rel=0.001)
    assert trail.ascent_m == pytest.approx(route.ascent_m, abs=1)


def test_kml_opens_in_gdal_with_the_line_and_the_stops(client, demo, tmp_path):
    path = tmp_path / "route.kml"
    path.write_bytes(download(client, "kml"))
    _meta, _fids, geoms, _fields = pyogrio.raw.read(path)
    kinds = list(shapely.get_type_id(shapely.from_wkb(geoms)))
    assert kinds.count(shapely.GeometryType.POINT) == 6
    assert any(k in (shapely.GeometryType.MULTILINESTRING,
                     shapely.GeometryType.GEOMETRYCOLLECTION) for k in kinds)


def test_geojson_has_the_route_and_its_stops(client, demo, tmp_path):
    body = json.loads(download(client, "geojson"))
    route, *stops = body["features"]
    assert route["properties"]["slug"] == ROUTE and route["geometry"]["type"] == \
        "MultiLineString"
    assert [s["properties"]["order"] for s in stops] == [1, 2, 3, 4, 5, 6]
    path = tmp_path / "route.geojson"
    path.write_text(json.dumps(body))
    assert len(pyogrio.raw.read(path)[2]) == 7


def test_a_timestamp_a_hair_before_the_second_is_read_by_gdal_clients(client, demo,
                                                                     tmp_path):
    # pyogrio (geopandas) refused a whole file whose timestamp ended in .9995 s or above:
    # it rounds the fraction to a thousandth millisecond. One feature in 2,000 did.
    from routes.models import PilotRoute

    PilotRoute.objects.filter(slug=ROUTE).update(
        updated_at="2026-12-05T21:10:12.999999+00:00")
    path = tmp_path / "route.geojson"
    path.write_bytes(download(client, "geojson"))
    assert len(pyogrio.raw.read(path)[2]) == 7
