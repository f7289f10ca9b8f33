"""Exports: every format opens in the tools that read it, and comes back unchanged."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyogrio
import pytest
import shapely
from lxml import etree

from importers.pipeline import ImportRequest, run_import
from layers.exports import short_names
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    poi = make_layer(sz)
    make_attraction(poi, 25.6264, 42.4271, source_id="forum", name_bg="Античен форум",
                    name_en="Antique Forum", category="archaeological_site",
                    website="https://www.starazagora.bg", properties={"VISITORS": 1200,
                                                                      "ОТВОРЕНО": "да"})
    make_attraction(poi, 25.6109, 42.4246, source_id="neolithic", name_bg="Неолитни жилища",
                    name_en="", category="museum", fee=True)
    trails = make_layer(sz, kind=LayerKind.TRAILS)
    make_trail(trails, [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0), (25.63, 42.46, 300.0)],
               source_id="ayazmo", name_bg="Към Аязмото", name_en="To Ayazmoto",
               activity="walking", difficulty="easy")
    return sz


def _get(client, url, fmt, **params):
    response = client.get(url, {"format": fmt, **params})
    assert response.status_code == 200, response.content[:500]
    return response


def test_geojson_export(client, world):
    body = json.loads(_get(client, "/api/layers/stara-zagora-attractions/export/",
                           "geojson").content)
    props = {f["properties"]["source_id"]: f["properties"] for f in body["features"]}
    assert props["forum"]["name_bg"] == "Античен форум"
    assert props["forum"]["properties"] == {"VISITORS": 1200, "ОТВОРЕНО": "да"}
    assert "crs" not in body


def test_gpx_export_is_valid_gpx_1_1(client, world, shared_data):
    schema = etree.XMLSchema(etree.parse(str(shared_data / "schemas" / "gpx-1.1.xsd")))
    for url in ("/api/layers/stara-zagora-trails/export/", "/api/regional-layer/export/"):
        doc = etree.fromstring(_get(client, url, "gpx").content)
        assert schema.validate(doc), schema.error_log.last_error
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert [e.text for e in doc.findall(".//g:trkpt/g:ele", ns)] == ["200.00", "260.00",
                                                                      "300.00"]
    assert len(doc.findall("g:wpt", ns)) == 2


def test_zipped_shapefile_has_prj_utf8_cpg_and_the_field_names(client, world, tmp_path):
    response = _get(client, "/api/regional-layer/export/", "shp")
    assert response["Content-Disposition"] == 'attachment; filename="regional-layer.zip"'
    archive = tmp_path / "export.zip"
    archive.write_bytes(response.content)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {"regional-layer_attractions.prj", "regional-layer_attractions.cpg",
                "regional-layer_trails.shp", "FIELDS.txt"} <= names
        assert zf.read("regional-layer_attractions.cpg") == b"UTF-8"
        fields_txt = zf.read("FIELDS.txt").decode()
    assert "descriptio description_bg" in fields_txt  # the full names, documented
    info = pyogrio.read_info(f"/vsizip/{archive}/regional-layer_attractions.shp")
    assert info["crs"] == "EPSG:4326" and info["features"] == 2
    assert all(len(f) <= 10 for f in info["fields"])
    _meta, _f, _g, fields = pyogrio.raw.read(f"/vsizip/{archive}/regional-layer_attractions.shp",
                                             columns=["name_bg"])
    assert sorted(fields[0].tolist()) == ["Античен форум", "Неолитни жилища"]


def test_short_names_are_unique_and_deterministic():
    names = ["description_bg", "description_el", "description_fr", "opening_hours", "VISITORS"]
    first = short_names(names)
    assert first == short_names(names)
    assert len(set(first.values())) == len(names)
    assert all(len(v) <= 10 for v in first.values())
    assert first["VISITORS"] == "VISITORS"


def test_geopackage_and_kml_open_in_gdal(client, world, tmp_path):
    gpkg = tmp_path / "export.gpkg"
    gpkg.write_bytes(_get(client, "/api/regional-layer/export/", "gpkg").content)
    layers = dict(pyogrio.list_layers(gpkg))
    assert set(layers) == {"attractions", "trails"}
    assert pyogrio.read_info(gpkg, layer="trails")["features"] == 1
    kml = tmp_path / "export.kml"
    kml.write_bytes(_get(client, "/api/regional-layer/export/", "kml").content)
    assert pyogrio.read_info(kml, layer="attractions")["features"] == 2


def test_csv_has_wkt_geometry(client, world):
    text = _get(client, "/api/regional-layer/export/", "csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    trail = next(r for r in rows if r["kind"] == "trail")
    geom = shapely.from_wkt(trail["wkt"])
    assert geom.geom_type == "MultiLineString" and geom.has_z
    assert trail["partner"] == "stara-zagora" and trail["name_bg"] == "Към Аязмото"


def test_exports_honour_the_filters(client, world):
    body = json.loads(_get(client, "/api/regional-layer/export/", "geojson",
                           category="museum").content)
    assert [f["properties"]["source_id"] for f in body["features"]] == ["neolithic"]
    bad = client.get("/api/regional-layer/export/", {"format": "dwg"})
    assert bad.status_code == 400 and bad.json()["parameter"] == "format"


@pytest.mark.parametrize(("fmt", "layer", "suffix"), [
    ("geojson", "stara-zagora-attractions", "geojson"),
    ("geojson", "stara-zagora-trails", "geojson"),
    ("shp", "stara-zagora-attractions", "zip"),
    ("shp", "stara-zagora-trails", "zip"),
    ("gpx", "stara-zagora-attractions", "gpx"),
    ("gpx", "stara-zagora-trails", "gpx"),
    ("kml", "stara-zagora-attractions", "kml"),
    ("kml", "stara-zagora-trails", "kml"),
])
def test_export_then_import_changes_nothing(client, world, tmp_path, fmt, layer, suffix):
    path = tmp_path / f"{layer}.{suffix}"
    path.write_bytes(_get(client, f"/api/layers/{layer}/export/", fmt).content)
    kind = "trails" if layer.endswith("trails") else "attractions"
    result = run_import(ImportRequest(path=path, partner=world, layer_slug=layer, kind=kind))
    assert result.counts["created"] == 0 and result.counts["updated"] == 0
    assert result.counts["unchanged"] == (1 if kind == "trails" else 2)
