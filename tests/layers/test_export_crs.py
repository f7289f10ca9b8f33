"""Exports in a chosen CRS (Interfaces D4: ``crs=EPSG:2100`` on an export was ignored, and
the file was in WGS 84): each partner's national CRS, read back by GDAL (pyogrio) and
pyarrow, the coordinates to the centimetre of what PROJ (pyproj) gives."""

from __future__ import annotations

import io
import json
import zipfile

import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.layers.test_exports import _get

pytestmark = pytest.mark.django_db

# The theatre of Larissa, the Stara Zagora forum, Sliven's clock tower, Valence's kiosk.
PLACES = {
    "larissa": (22.4178, 39.6383, (21.8, 39.2, 23.2, 40.1)),
    "stara-zagora": (25.6264, 42.4271, (25.3, 42.2, 26.0, 42.7)),
    "sliven": (26.3229, 42.6817, (26.0, 42.4, 26.8, 42.9)),
    "drome": (4.8897, 44.9334, (4.6, 44.1, 5.8, 45.4)),
}
# (partner, the CRS as the client writes it, its EPSG code): OGC URIs, EPSG: codes, URNs.
NATIONAL = [
    ("larissa", "EPSG:2100", 2100),
    ("stara-zagora", "http://www.opengis.net/def/crs/EPSG/0/7801", 7801),
    ("sliven", "EPSG:7801", 7801),
    ("drome", "urn:ogc:def:crs:EPSG::2154", 2154),
    ("drome", "http://www.opengis.net/def/crs/EPSG/0/3035", 3035),
]
CENTIMETRE = 0.01


def _place(slug: str) -> tuple[float, float]:
    lon, lat, bbox = PLACES[slug]
    partner = make_partner(slug, bbox=bbox)
    make_attraction(make_layer(partner), lon, lat, source_id="here", name_en="Here")
    return lon, lat


def _expected(lon: float, lat: float, srid: int) -> tuple[float, float]:
    return Transformer.from_crs(4326, srid, always_xy=True).transform(lon, lat)


def _read_back(fmt: str, body: bytes, tmp_path) -> tuple[tuple[float, float], CRS]:
    """The one feature's (x, y) and the file's CRS, as GDAL or pyarrow read them."""
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(body))
        geo = json.loads(table.schema.metadata[b"geo"])
        point = shapely.from_wkb(table.column("geometry")[0].as_py())
        return (point.x, point.y), CRS.from_json_dict(geo["columns"]["geometry"]["crs"])
    suffix = {"shp": "zip", "csv": "csv"}.get(fmt, fmt)
    path = tmp_path / f"export.{suffix}"
    path.write_bytes(body)
    if fmt == "shp":
        with zipfile.ZipFile(path) as zf:
            shp = next(n for n in zf.namelist() if n.endswith(".shp"))
        path = f"/vsizip/{path}/{shp}"
    if fmt == "csv":
        return _csv_point(body), CRS.from_epsg(4326)
    _meta, _fids, geoms, _fields = pyogrio.raw.read(path)
    point = shapely.from_wkb(geoms[0])
    return (point.x, point.y), CRS.from_user_input(pyogrio.read_info(path)["crs"])


def _csv_point(body: bytes) -> tuple[float, float]:
    import csv

    row = next(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    point = shapely.from_wkt(row["wkt"])
    return point.x, point.y


@pytest.mark.parametrize(("slug", "crs", "srid"), NATIONAL)
@pytest.mark.parametrize("fmt", ["geojson", "shp", "gpkg", "fgb", "parquet"])
def test_a_layer_exports_in_a_national_crs_to_the_centimetre(client, tmp_path, slug, crs,
                                                              srid, fmt):
    lon, lat = _place(slug)
    response = _get(client, f"/api/layers/{slug}-attractions/export/", fmt, crs=crs)
    assert f"-epsg{srid}." in response["Content-Disposition"]
    (x, y), found = _read_back(fmt, response.getvalue(), tmp_path)
    assert found.equals(CRS.from_epsg(srid)) or found.to_epsg() == srid, found
    ex, ey = _expected(lon, lat, srid)
    assert abs(x - ex) < CENTIMETRE and abs(y - ey) < CENTIMETRE, (x - ex, y - ey)


def test_the_csv_wkt_is_in_the_crs_its_name_says(client):
    lon, lat = _place("larissa")
    response = _get(client, "/api/layers/larissa-attractions/export/", "csv", crs="EPSG:2100")
    assert response["Content-Disposition"] == (
        'attachment; filename="larissa-attractions-epsg2100.csv"')
    x, y = _csv_point(response.getvalue())
    ex, ey = _expected(lon, lat, 2100)
    assert abs(x - ex) < CENTIMETRE and abs(y - ey) < CENTIMETRE


def test_the_geojson_in_another_crs_names_it_as_gdal_reads_it(client, tmp_path):
    # RFC 7946 knows WGS 84 only; a CRS asked for is the "prior arrangement" it allows,
    # said by the GeoJSON 2008 crs member that GDAL, QGIS and geopandas read.
    _place("larissa")
    body = _get(client, "/api/layers/larissa-attractions/export/", "geojson",
                crs="EPSG:2100").getvalue()
    doc = json.loads(body)
    assert doc["crs"] == {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2100"}}
    assert "crs" not in doc["features"][0]["geometry"]
    default = json.loads(_get(client, "/api/layers/larissa-attractions/export/",
                              "geojson").getvalue())
    assert "crs" not in default  # WGS 84: RFC 7946 as before


def test_the_same_export_matches_the_ogc_items_in_that_crs(client):
    _place("larissa")
    uri = "http://www.opengis.net/def/crs/EPSG/0/2100"
    exported = json.loads(_get(client, "/api/layers/larissa-attractions/export/", "geojson",
                               crs=uri).getvalue())
    items = client.get("/ogc/collections/larissa-attractions/items", {"crs": uri}).json()
    a = exported["features"][0]["geometry"]["coordinates"]
    b = items["features"][0]["geometry"]["coordinates"]
    assert abs(a[0] - b[0]) < CENTIMETRE and abs(a[1] - b[1]) < CENTIMETRE


def test_the_regional_and_kind_exports_take_a_crs(client, tmp_path):
    _place("drome")
    trails = make_layer(make_partner("drome"), kind=LayerKind.TRAILS)
    make_trail(trails, [(5.0, 44.8, 150.0), (5.01, 44.81, 180.0)], source_id="vercors")
    body = _get(client, "/api/regional-layer/export/", "gpkg", crs="EPSG:2154",
                kind="trail").getvalue()
    path = tmp_path / "trails.gpkg"
    path.write_bytes(body)
    assert [name for name, _type in pyogrio.list_layers(path)] == ["trails"]
    assert pyogrio.read_info(path)["crs"] == "EPSG:2154"
    _meta, _fids, geoms, _fields = pyogrio.raw.read(path)
    coords = shapely.get_coordinates(shapely.from_wkb(geoms[0]), include_z=True)
    ex, ey = _expected(5.0, 44.8, 2154)
    assert abs(coords[0, 0] - ex) < CENTIMETRE and abs(coords[0, 1] - ey) < CENTIMETRE
    assert coords[:, 2].tolist() == [150.0, 180.0]  # heights are not the CRS's business


@pytest.mark.parametrize("fmt", ["gpx", "kml"])
def test_gpx_and_kml_refuse_another_crs_and_say_why(client, fmt):
    _place("larissa")
    url = "/api/layers/larissa-attractions/export/"
    refused = client.get(url, {"format": fmt, "crs": "EPSG:2100"})
    assert refused.status_code == 400
    assert refused.json()["parameter"] == "crs"
    assert "WGS 84" in refused.json()["error"]
    # WGS 84 however it is written is what they are anyway.
    for same in ("EPSG:4326", "http://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84"):
        assert client.get(url, {"format": fmt, "crs": same}).status_code == 200, same


@pytest.mark.parametrize("crs", ["EPSG:9999", "EPSG:32634", "Greek Grid", "EPSG:2100x",
                                 "http://www.opengis.net/def/crs/EPSG/0/2101"])
def test_an_unknown_or_unserved_crs_is_a_400_naming_it(client, crs):
    _place("larissa")
    for url in ("/api/layers/larissa-attractions/export/", "/api/regional-layer/export/"):
        refused = client.get(url, {"format": "gpkg", "crs": crs})
        assert refused.status_code == 400, url
        body = refused.json()
        assert body["parameter"] == "crs" and repr(crs) in body["error"]
        assert "EPSG:2100" in body["error"]  # and what it may be instead


def test_the_refusal_speaks_the_readers_language(client):
    _place("larissa")
    refused = client.get("/api/layers/larissa-attractions/export/",
                         {"format": "kml", "crs": "EPSG:2100"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400 and "WGS 84" in refused.json()["error"]
    assert "définition" in refused.json()["error"]


def test_an_export_in_two_crss_is_two_kept_files(client, settings, tmp_path):
    settings.ATLAS_EXPORT_DIR = str(tmp_path / "exports")
    _place("larissa")
    url = "/api/layers/larissa-attractions/export/"
    wgs84 = _get(client, url, "fgb").getvalue()
    greek = _get(client, url, "fgb", crs="EPSG:2100").getvalue()
    assert wgs84 != greek
    again = _get(client, url, "fgb", crs="http://www.opengis.net/def/crs/EPSG/0/2100")
    assert again.getvalue() == greek  # the same CRS however it is written: the same file
    kept = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert len(kept) == 2 and all(name.endswith(".fgb") for name in kept)
