"""Exports as GIS software reads them (Interfaces D8, D13, D14, D15): GDAL's own drivers
open what the platform writes, field by field, with the layer's licence."""

from __future__ import annotations

import json
import zipfile

import pyogrio
import pytest
import shapely

from layers.models import Layer
from layers.vocabulary import LayerKind
from tests.factories import make_trail
from tests.layers.test_exports import _get, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db


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
