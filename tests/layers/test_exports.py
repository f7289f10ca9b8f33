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
    return make_export_world()


def make_export_world():
    """Stara Zagora with two attractions (one with a partner's own columns) and a trail."""
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
    assert response.status_code == 200, response.getvalue()[:500]
    return response


def test_geojson_export(client, world):
    body = json.loads(_get(client, "/api/layers/stara-zagora-attractions/export/",
                           "geojson").getvalue())
    props = {f["properties"]["source_id"]: f["properties"] for f in body["features"]}
    assert props["forum"]["name_bg"] == "Античен форум"
    assert props["forum"]["properties"] == {"VISITORS": 1200, "ОТВОРЕНО": "да"}
    assert "crs" not in body


def test_gpx_export_is_valid_gpx_1_1(client, world, shared_data):
    schema = etree.XMLSchema(etree.parse(str(shared_data / "schemas" / "gpx-1.1.xsd")))
    for url in ("/api/layers/stara-zagora-trails/export/", "/api/regional-layer/export/"):
        doc = etree.fromstring(_get(client, url, "gpx").getvalue())
        assert schema.validate(doc), schema.error_log.last_error
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert [e.text for e in doc.findall(".//g:trkpt/g:ele", ns)] == ["200.00", "260.00",
                                                                      "300.00"]
    assert len(doc.findall("g:wpt", ns)) == 2


def test_zipped_shapefile_has_prj_utf8_cpg_and_the_field_names(client, world, tmp_path):
    response = _get(client, "/api/regional-layer/export/", "shp")
    assert response["Content-Disposition"] == 'attachment; filename="regional-layer.zip"'
    archive = tmp_path / "export.zip"
    archive.write_bytes(response.getvalue())
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
    gpkg.write_bytes(_get(client, "/api/regional-layer/export/", "gpkg").getvalue())
    layers = dict(pyogrio.list_layers(gpkg))
    assert set(layers) == {"attractions", "trails"}
    assert pyogrio.read_info(gpkg, layer="trails")["features"] == 1
    kml = tmp_path / "export.kml"
    kml.write_bytes(_get(client, "/api/regional-layer/export/", "kml").getvalue())
    assert pyogrio.read_info(kml, layer="attractions")["features"] == 2


def test_csv_has_wkt_geometry(client, world):
    text = _get(client, "/api/regional-layer/export/", "csv").getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    trail = next(r for r in rows if r["kind"] == "trail")
    geom = shapely.from_wkt(trail["wkt"])
    assert geom.geom_type == "MultiLineString" and geom.has_z
    assert trail["partner"] == "stara-zagora" and trail["name_bg"] == "Към Аязмото"


def test_exports_honour_the_filters(client, world):
    body = json.loads(_get(client, "/api/regional-layer/export/", "geojson",
                           category="museum").getvalue())
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
    path.write_bytes(_get(client, f"/api/layers/{layer}/export/", fmt).getvalue())
    kind = "trails" if layer.endswith("trails") else "attractions"
    result = run_import(ImportRequest(path=path, partner=world, layer_slug=layer, kind=kind))
    assert result.counts["created"] == 0 and result.counts["updated"] == 0
    assert result.counts["unchanged"] == (1 if kind == "trails" else 2)


# --- the regional export holds what the regional layer lists -------------------------

@pytest.fixture
def region(world):
    """``world`` plus Larissa's theatre and a published pilot route (and a draft one)."""
    from routes.models import PilotRoute
    from routes.services import StopSpec, route_compose

    lar = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                       languages=["el", "en"])
    theatre = make_attraction(make_layer(lar), 22.4153, 39.6403, source_id="theatre",
                              name_el="Αρχαίο Θέατρο Λάρισας", category="archaeological_site")
    museum = make_attraction(make_layer(lar), 22.4190, 39.6380, source_id="diachronic",
                             name_el="Διαχρονικό Μουσείο", category="museum")
    for slug, status in (("larissa-walk", "published"), ("larissa-draft", "draft")):
        route = PilotRoute.objects.create(slug=slug, title_el="Περίπατος", title_en="A walk",
                                          summary_en="Theatre to museum", status=status)
        route.partners.add(lar)
        route_compose(route=route, stops=[StopSpec(theatre), StopSpec(museum)], modes=["car"])
    return world


def _write(path, doc, data=None) -> str:
    path.write_bytes(etree.tostring(doc) if doc is not None else json.dumps(data).encode())
    return str(path)


def _values(source, name: str, layer: str | None = None) -> list:
    """Column ``name`` of a file as GDAL reads it."""
    _meta, _fids, _geoms, fields = pyogrio.raw.read(source, layer=layer, columns=[name],
                                                    read_geometry=False)
    return fields[0].tolist()


def _listed(client, **params) -> list[str]:
    body = client.get("/api/regional-layer/", {"limit": 1000, **params}).json()
    return sorted(f["id"] for f in body["features"])


@pytest.mark.parametrize("params", [{}, {"kind": "route"}, {"kind": "trail"},
                                    {"kind": "attraction,route"}, {"partner": "larissa"},
                                    {"partner": "larissa", "kind": "route"},
                                    {"category": "museum"}, {"difficulty": "easy"},
                                    {"q": "Аязмо"}, {"bbox": "22,39,23,40"}])
def test_regional_geojson_export_has_the_features_the_list_has(client, region, params):
    body = json.loads(_get(client, "/api/regional-layer/export/", "geojson", **params).getvalue())
    assert sorted(f["id"] for f in body["features"]) == _listed(client, **params)
    listed_kinds = {f["properties"]["kind"] for f in client.get(
        "/api/regional-layer/", {"limit": 1000, **params}).json()["features"]}
    assert {f["properties"]["kind"] for f in body["features"]} == listed_kinds


def test_regional_export_of_routes_in_every_format(client, region, tmp_path):
    route_id = _listed(client, kind="route")
    assert len(route_id) == 1  # the draft is not listed
    csv_rows = list(csv.DictReader(io.StringIO(_get(
        client, "/api/regional-layer/export/", "csv", kind="route").getvalue().decode(
            "utf-8-sig"))))
    assert [(r["kind"], r["id"], r["source_id"], r["partner"], r["name_en"]) for r in csv_rows
            ] == [("route", route_id[0], "larissa-walk", "larissa", "A walk")]
    assert shapely.from_wkt(csv_rows[0]["wkt"]).geom_type == "MultiLineString"
    gpx = etree.fromstring(_get(client, "/api/regional-layer/export/", "gpx",
                                kind="route", lang="el").getvalue())
    ns = {"g": "http://www.topografix.com/GPX/1/1", "a": "https://atlas.example/gpx/1"}
    assert [t.findtext("g:name", namespaces=ns) for t in gpx.findall("g:trk", ns)] == [
        "Περίπατος"]
    assert not gpx.findall("g:wpt", ns)
    kml = etree.fromstring(_get(client, "/api/regional-layer/export/", "kml",
                                kind="route").getvalue())
    # The public id is the Placemark's own id, GDAL's LIBKML field "id" (Interfaces D13).
    assert [e.get("id") for e in kml.iterfind(".//{*}Placemark")] == route_id
    assert pyogrio.read_info(_write(tmp_path / "routes.kml", kml), layer="routes")[
        "features"] == 1
    for fmt, suffix, layer in (("gpkg", "gpkg", "routes"),
                               ("shp", "zip", "regional-layer_routes")):
        path = tmp_path / f"routes.{suffix}"
        path.write_bytes(_get(client, "/api/regional-layer/export/", fmt, kind="route").getvalue())
        source = f"/vsizip/{path}/{layer}.shp" if fmt == "shp" else path
        assert _values(source, "id", None if fmt == "shp" else layer) == route_id, fmt
        assert set(pyogrio.list_layers(path)[:, 0]) == ({layer} if fmt != "shp" else {
            "regional-layer_routes"}), fmt


@pytest.mark.parametrize("fmt", ["geojson", "gpx", "kml", "shp", "gpkg", "csv"])
@pytest.mark.parametrize(("param", "value"), [
    ("kind", "nope"), ("partner", "nope"), ("layer", "nope"), ("category", "nope"),
    ("bbox", "1,2,3"), ("updated_since", "2026-02-30"), ("q", "x" * 201)])
def test_regional_export_refuses_bad_parameters(client, region, fmt, param, value):
    response = client.get("/api/regional-layer/export/", {"format": fmt, param: value})
    assert response.status_code == 400
    assert response.json()["parameter"] == param


def test_layer_export_features_keep_counts_with_larissa(client, region):
    exported = json.loads(_get(client, "/api/regional-layer/export/", "geojson",
                               partner="larissa").getvalue())["features"]
    assert len(exported) == len(_listed(client, partner="larissa")) == 3


# --- what every format carries -------------------------------------------------------

def test_csv_exports_start_with_a_utf8_byte_order_mark(client, world):
    for url in ("/api/layers/stara-zagora-attractions/export/", "/api/regional-layer/export/"):
        body = _get(client, url, "csv").getvalue()
        assert body.startswith(b"\xef\xbb\xbfkind,id,source_id,")
        assert "Античен форум" in body.decode("utf-8-sig")


def test_geopackage_declares_each_layers_real_geometry_type(client, world, tmp_path):
    import subprocess

    gpkg = tmp_path / "export.gpkg"
    gpkg.write_bytes(_get(client, "/api/regional-layer/export/", "gpkg").getvalue())
    info = subprocess.run(["ogrinfo", "-so", "-al", str(gpkg)], capture_output=True,
                          text=True, check=True).stdout
    declared = dict(zip([line.split(": ", 1)[1] for line in info.splitlines()
                         if line.startswith("Layer name:")],
                        [line.split(": ", 1)[1] for line in info.splitlines()
                         if line.startswith("Geometry:")], strict=True))
    assert declared == {"attractions": "Point", "trails": "3D Multi Line String"}


def test_exports_carry_the_public_id(client, world, tmp_path):
    api_ids = {f["properties"]["name"]: f["id"] for f in client.get(
        "/api/regional-layer/", {"lang": "bg"}).json()["features"]}
    forum = api_ids["Античен форум"]
    geojson = json.loads(_get(client, "/api/regional-layer/export/", "geojson").getvalue())
    assert forum in [f["id"] for f in geojson["features"]]
    for url in ("/api/layers/stara-zagora-attractions/export/", "/api/regional-layer/export/"):
        gpx = etree.fromstring(_get(client, url, "gpx").getvalue())
        assert forum in [e.text for e in gpx.iter("{https://atlas.example/gpx/1}id")]
        gpkg = tmp_path / "export.gpkg"
        gpkg.write_bytes(_get(client, url, "gpkg").getvalue())
        assert forum in _values(gpkg, "id", "attractions")
        text = _get(client, url, "csv").getvalue().decode("utf-8-sig")
        assert forum in [r["id"] for r in csv.DictReader(io.StringIO(text))]
    for url, stem in (("/api/layers/stara-zagora-attractions/export/",
                       "stara-zagora-attractions"),
                      ("/api/regional-layer/export/", "regional-layer")):
        geojson = json.loads(_get(client, url, "geojson").getvalue())
        assert forum in [f["id"] for f in geojson["features"]]
        assert forum in _values(_write(tmp_path / "export.geojson", None, geojson), "id")
        archive = tmp_path / f"{stem}.zip"
        archive.write_bytes(_get(client, url, "shp").getvalue())
        assert forum in _values(f"/vsizip/{archive}/{stem}_attractions.shp", "id")
        with zipfile.ZipFile(archive) as zf:
            assert f"  {'id':10s} id" in zf.read("FIELDS.txt").decode().splitlines()
        kml = etree.fromstring(_get(client, url, "kml").getvalue())
        assert forum in [e.get("id") for e in kml.iterfind(".//{*}Placemark")]
        assert kml.find(".//{*}SimpleField[@name='id']") is None  # not twice


def test_a_gpx_export_carries_the_public_id_once(client, world):
    gpx = etree.fromstring(_get(client, "/api/layers/stara-zagora-attractions/export/",
                                "gpx").getvalue())
    ns = {"a": "https://atlas.example/gpx/1"}
    for wpt in gpx.iterfind("{*}wpt"):
        assert len(wpt.findall(".//a:id", ns)) == 1
        assert not wpt.findall(".//a:field[@name='id']", ns)


def test_shapefile_fields_txt_says_which_texts_were_cut(client, world, tmp_path):
    from layers.models import Attraction

    long_bg = "Римският форум на Августа Траяна. " * 12  # ~ 700 bytes of Cyrillic
    Attraction.objects.filter(source_id="forum").update(description_bg=long_bg,
                                                        description_en="x" * 300)
    Attraction.objects.filter(source_id="neolithic").update(description_bg=long_bg)
    archive = tmp_path / "layer.zip"
    archive.write_bytes(_get(client, "/api/layers/stara-zagora-attractions/export/",
                             "shp").getvalue())
    with zipfile.ZipFile(archive) as zf:
        fields_txt = zf.read("FIELDS.txt").decode()
    assert ("stara-zagora-attractions_attractions.shp: descriptio (description_bg) of 2 of 2 "
            "features") in fields_txt
    assert "description_en) of 1 of 2 features" in fields_txt
    assert "cut to 254 bytes" in fields_txt and "GeoJSON and GeoPackage" in fields_txt
    cut = _values(f"/vsizip/{archive}/stara-zagora-attractions_attractions.shp", "descriptio")
    assert all(len(v.encode()) <= 254 for v in cut)
    gpkg = tmp_path / "layer.gpkg"
    gpkg.write_bytes(_get(client, "/api/layers/stara-zagora-attractions/export/",
                          "gpkg").getvalue())
    assert set(_values(gpkg, "description_bg")) == {long_bg}


def test_fields_txt_of_short_texts_mentions_no_cut(client, world, tmp_path):
    archive = tmp_path / "layer.zip"
    archive.write_bytes(_get(client, "/api/layers/stara-zagora-attractions/export/",
                             "shp").getvalue())
    with zipfile.ZipFile(archive) as zf:
        assert "254" not in zf.read("FIELDS.txt").decode()
