"""Exports as GIS software reads them (Interfaces D8, D13, D14, D15): GDAL's own drivers
open what the platform writes, field by field, with the layer's licence."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pyogrio
import pytest
import shapely

from layers.models import Layer
from layers.vocabulary import LayerKind
from tests.factories import make_trail
from tests.layers.test_exports import _get, make_export_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_export_world()


def test_the_shapefile_keeps_z_when_some_lines_have_none(client, world, tmp_path):
    # Interfaces D8: one 2-D trail among 3-D ones made the layer 2-D, and every
    # elevation was lost.
    trails = Layer.objects.get(kind=LayerKind.TRAILS)
    make_trail(trails, [(25.64, 42.40), (25.65, 42.41)], source_id="flat", name_en="Flat")
    archive = tmp_path / "trails.zip"
    archive.write_bytes(_get(client, f"/api/layers/{trails.slug}/export/", "shp").getvalue())
    with zipfile.ZipFile(archive) as zf:
        shp = next(n for n in zf.namelist() if n.endswith(".shp"))
    path = f"/vsizip/{archive}/{shp}"
    assert pyogrio.read_info(path)["geometry_type"] in ("MultiLineString Z", "LineString Z")
    _meta, _fids, geoms, fields = pyogrio.raw.read(path, columns=["source_id"])
    by_source = dict(zip(fields[0].tolist(), shapely.from_wkb(geoms), strict=True))
    ayazmo = shapely.get_coordinates(by_source["ayazmo"], include_z=True)
    assert ayazmo[:, 2].tolist() == [200.0, 260.0, 300.0]



def _fields(path, layer: str) -> dict[str, list]:
    meta, _fids, _geoms, values = pyogrio.raw.read(path, layer=layer)
    return {name: column.tolist() for name, column in zip(meta["fields"], values, strict=True)}


def test_gdal_reads_the_kml_public_id_as_its_field_id(client, world, tmp_path):
    # Interfaces D13: the public id as <SimpleData name="id"> met LIBKML's own "id" (the
    # Placemark's) and GDAL renamed it "id2".
    path = tmp_path / "export.kml"
    path.write_bytes(_get(client, "/api/regional-layer/export/", "kml").getvalue())
    geojson = json.loads(_get(client, "/api/regional-layer/export/", "geojson").getvalue())
    ids = {f["properties"]["source_id"]: f["id"] for f in geojson["features"]}
    attractions = _fields(path, "attractions")
    assert "id2" not in attractions
    assert dict(zip(attractions["source_id"], attractions["id"], strict=True)) == {
        k: v for k, v in ids.items() if k in ("forum", "neolithic")}
    assert attractions["VISITORS"][attractions["source_id"].index("forum")] == 1200


def test_gdal_reads_each_gpx_attribute_as_a_field_of_its_own(client, world, tmp_path):
    # Interfaces D14: every <atlas:field name=…> collapsed into one field "atlas_field".
    path = tmp_path / "export.gpx"
    path.write_bytes(_get(client, "/api/regional-layer/export/", "gpx").getvalue())
    waypoints = _fields(path, "waypoints")
    assert "atlas_field" not in waypoints
    forum = waypoints["atlas_source_id"].index("forum")
    assert waypoints["atlas_name_bg"][forum] == "Античен форум"
    assert waypoints["atlas_category"][forum] == "archaeological_site"
    assert waypoints["atlas_VISITORS"][forum] == 1200
    assert waypoints["atlas_ОТВОРЕНО"][forum] == "да"
    tracks = _fields(path, "tracks")
    assert tracks["atlas_activity"] == ["walking"] and tracks["atlas_difficulty"] == ["easy"]


@pytest.mark.parametrize("fmt", ["gpx", "kml"])
def test_a_layers_gpx_and_kml_names_follow_lang(client, world, tmp_path, fmt):
    # Interfaces D14: a layer's GPX and KML named each feature in Bulgarian first,
    # whatever lang asked (the routes' own exports followed it).
    layer = Layer.objects.get(kind=LayerKind.ATTRACTIONS)
    path = tmp_path / f"export.{fmt}"
    names = {}
    for lang in ("en", "bg"):
        path.write_bytes(_get(client, f"/api/layers/{layer.slug}/export/", fmt,
                              lang=lang).getvalue())
        layer_name = "waypoints" if fmt == "gpx" else "attractions"
        fields = _fields(path, layer_name)
        names[lang] = sorted(n for n in fields["name" if fmt == "gpx" else "Name"])
    # "Неолитни жилища" has no English name: the next language of the chain.
    assert names["en"] == ["Antique Forum", "Неолитни жилища"]
    assert names["bg"] == ["Античен форум", "Неолитни жилища"]


@pytest.fixture
def licensed(world):
    Layer.objects.filter(kind=LayerKind.ATTRACTIONS).update(
        licence="CC-BY-4.0", source="Stara Zagora municipality, tourist register 2026")
    Layer.objects.filter(kind=LayerKind.TRAILS).update(licence="ODbL-1.0",
                                                       source="OpenStreetMap contributors")
    return world


def test_the_geopackage_is_version_1_2_with_its_licence(client, licensed, tmp_path):
    # Interfaces D15: GDAL wrote GeoPackage 1.4, on which GDAL 3.6 and QGIS 3.22-3.28
    # warn at every open, and no description, licence or metadata.
    import sqlite3

    path = tmp_path / "export.gpkg"
    path.write_bytes(_get(client, "/api/regional-layer/export/", "gpkg").getvalue())
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200
        descriptions = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
        metadata = " ".join(m for (m,) in db.execute("SELECT metadata FROM gpkg_metadata"))
    assert "CC-BY-4.0" in descriptions["attractions"]
    assert "ODbL-1.0" in descriptions["trails"]
    assert "Stara Zagora municipality, tourist register 2026" in metadata
    assert "OpenStreetMap contributors" in metadata
    info = pyogrio.read_info(path, layer="attractions")
    assert info["features"] == 2


def test_every_export_carries_the_licence_and_attribution(client, licensed, tmp_path):
    url = "/api/regional-layer/export/"
    geojson = json.loads(_get(client, url, "geojson").getvalue())
    assert geojson["license"] == ["CC-BY-4.0", "ODbL-1.0"]
    assert "Stara Zagora" in geojson["attribution"]
    assert any("OpenStreetMap contributors" in s for s in geojson["sources"])
    for fmt in ("gpx", "kml"):
        text = _get(client, url, fmt).getvalue().decode()
        assert "CC-BY-4.0" in text and "OpenStreetMap contributors" in text, fmt
    archive = tmp_path / "export.zip"
    archive.write_bytes(_get(client, url, "shp").getvalue())
    with zipfile.ZipFile(archive) as zf:
        licence = zf.read("LICENCE.txt").decode()
    assert "CC-BY-4.0" in licence and "ODbL-1.0" in licence
    assert "Stara Zagora municipality, tourist register 2026" in licence
    text = _get(client, url, "csv").getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["kind"], r["licence"]) for r in rows} == {("attraction", "CC-BY-4.0"),
                                                         ("trail", "ODbL-1.0")}


def test_a_layers_gpx_names_its_one_licence_in_copyright(client, licensed):
    layer = Layer.objects.get(kind=LayerKind.ATTRACTIONS)
    text = _get(client, f"/api/layers/{layer.slug}/export/", "gpx").getvalue().decode()
    assert "<license>https://spdx.org/licenses/CC-BY-4.0.html</license>" in text


def test_a_licence_edited_makes_the_export_new(client, licensed):
    layer = Layer.objects.get(kind=LayerKind.ATTRACTIONS)
    url = f"/api/layers/{layer.slug}/export/"
    assert b"CC-BY-4.0" in _get(client, url, "kml").getvalue()
    Layer.objects.filter(pk=layer.pk).update(licence="CC0-1.0")
    again = _get(client, url, "kml").getvalue()
    assert b"CC0-1.0" in again and b"CC-BY-4.0" not in again
