"""FlatGeobuf and GeoParquet beside the other exports: read back by GDAL (pyogrio) and by
pyarrow, with their counts, names, coordinates, elevations and licence."""

from __future__ import annotations

import io
import json
import zipfile

import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.models import Layer
from layers.vocabulary import LayerKind
from routes.models import PilotRoute
from tests.factories import make_trail
from tests.layers.test_exports import _get, make_export_world
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The export world (two attractions, a 3-D trail) with licences, a 2-D trail and a
    published 3-D route."""
    sz = make_export_world()
    Layer.objects.filter(kind=LayerKind.ATTRACTIONS).update(
        licence="CC-BY-4.0", source="Stara Zagora municipality, tourist register 2026")
    Layer.objects.filter(kind=LayerKind.TRAILS).update(licence="ODbL-1.0",
                                                       source="OpenStreetMap contributors")
    make_trail(Layer.objects.get(kind=LayerKind.TRAILS), [(25.64, 42.40), (25.65, 42.41)],
               source_id="flat", name_en="Flat")
    route = make_route(sz, slug="forum-loop")
    PilotRoute.objects.filter(pk=route.pk).update(geom=MultiLineString(LineString(
        [(25.6264, 42.4271, 210.0), (25.62, 42.45, 260.0)], srid=WGS84), srid=WGS84))
    return sz


def _fields(path, **kw) -> dict[str, list]:
    meta, _fids, _geoms, values = pyogrio.raw.read(path, **kw)
    return {name: column.tolist() for name, column in zip(meta["fields"], values, strict=True)}


def test_a_layer_as_flatgeobuf(client, world, tmp_path):
    response = _get(client, "/api/layers/stara-zagora-attractions/export/", "fgb")
    assert response["Content-Type"] == "application/flatgeobuf"
    assert response["Content-Disposition"] == (
        'attachment; filename="stara-zagora-attractions.fgb"')
    path = tmp_path / "attractions.fgb"
    path.write_bytes(response.getvalue())
    info = pyogrio.read_info(path)
    assert info["driver"] == "FlatGeobuf" and info["features"] == 2
    assert info["crs"] == "EPSG:4326"
    assert "CC-BY-4.0" in info["layer_metadata"]["DESCRIPTION"]
    assert info["layer_metadata"]["LICENSE"] == "CC-BY-4.0"
    assert "tourist register 2026" in info["layer_metadata"]["SOURCES"]
    fields = _fields(path)
    forum = fields["source_id"].index("forum")
    assert fields["name_bg"][forum] == "Античен форум"
    assert fields["VISITORS"][forum] == 1200 and fields["ОТВОРЕНО"][forum] == "да"
    _meta, _fids, geoms, _values = pyogrio.raw.read(path, columns=[])
    points = {(round(p.x, 7), round(p.y, 7)) for p in shapely.from_wkb(geoms)}
    assert points == {(25.6264, 42.4271), (25.6109, 42.4246)}


def test_flatgeobuf_trails_keep_their_elevations_beside_a_flat_one(client, world, tmp_path):
    # Interfaces D8's care: a 2-D line among 3-D ones must not make the layer 2-D.
    path = tmp_path / "trails.fgb"
    path.write_bytes(_get(client, "/api/layers/stara-zagora-trails/export/", "fgb")
                     .getvalue())
    assert pyogrio.read_info(path)["geometry_type"] == "MultiLineString Z"
    _meta, _fids, geoms, values = pyogrio.raw.read(path, columns=["source_id"])
    by_source = dict(zip(values[0].tolist(), shapely.from_wkb(geoms), strict=True))
    assert shapely.get_coordinates(by_source["ayazmo"], include_z=True)[:, 2].tolist() == [
        200.0, 260.0, 300.0]
    assert shapely.get_coordinates(by_source["flat"], include_z=True)[:, 2].tolist() == [
        0.0, 0.0]


def test_the_regional_flatgeobuf_is_a_file_per_kind(client, world, tmp_path):
    response = _get(client, "/api/regional-layer/export/", "fgb")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="regional-layer.fgb.zip"'
    archive = tmp_path / "regional.zip"
    archive.write_bytes(response.getvalue())
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        licence = zf.read("LICENCE.txt").decode()
    assert {"regional-layer_attractions.fgb", "regional-layer_trails.fgb",
            "regional-layer_routes.fgb", "LICENCE.txt"} <= names
    assert "CC-BY-4.0" in licence and "ODbL-1.0" in licence
    routes = f"/vsizip/{archive}/regional-layer_routes.fgb"
    assert pyogrio.read_info(routes)["geometry_type"] == "MultiLineString Z"
    _meta, _fids, geoms, values = pyogrio.raw.read(routes, columns=["slug"])
    assert values[0].tolist() == ["forum-loop"]
    assert shapely.get_coordinates(shapely.from_wkb(geoms[0]), include_z=True)[:, 2].tolist() \
        == [210.0, 260.0]
    attractions = _fields(f"/vsizip/{archive}/regional-layer_attractions.fgb")
    assert sorted(attractions["source_id"]) == ["forum", "neolithic"]
    assert set(attractions["partner"]) == {"stara-zagora"}
    # One kind asked for: the file itself.
    one = _get(client, "/api/regional-layer/export/", "fgb", kind="trail")
    assert one["Content-Type"] == "application/flatgeobuf"


def test_the_regional_layer_as_geoparquet(client, world):
    response = _get(client, "/api/regional-layer/export/", "parquet")
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert response["Content-Disposition"] == 'attachment; filename="regional-layer.parquet"'
    table = pq.read_table(io.BytesIO(response.getvalue()))
    meta = table.schema.metadata
    geo = json.loads(meta[b"geo"])
    assert geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    # Each geometry as it is: the flat trail 2-D, the others 3-D.
    assert set(column["geometry_types"]) == {"Point", "MultiLineString", "MultiLineString Z"}
    assert column["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}
    assert json.loads(meta[b"license"]) == ["CC-BY-4.0", "ODbL-1.0"]
    assert "Stara Zagora" in meta[b"attribution"].decode()
    assert "OpenStreetMap contributors" in meta[b"sources"].decode()
    rows = table.to_pylist()
    assert sorted((r["kind"], r["source_id"]) for r in rows) == [
        ("attraction", "forum"), ("attraction", "neolithic"), ("route", "forum-loop"),
        ("trail", "ayazmo"), ("trail", "flat")]
    forum = next(r for r in rows if r["source_id"] == "forum")
    assert forum["name_bg"] == "Античен форум" and forum["VISITORS"] == 1200
    neolithic = next(r for r in rows if r["source_id"] == "neolithic")
    assert neolithic["VISITORS"] is None  # missing, not NaN
    point = shapely.from_wkb(forum["geometry"])
    assert (round(point.x, 7), round(point.y, 7)) == (25.6264, 42.4271)
    route = next(r for r in rows if r["kind"] == "route")
    assert shapely.get_coordinates(shapely.from_wkb(route["geometry"]), include_z=True)[
        :, 2].tolist() == [210.0, 260.0]
    flat = next(r for r in rows if r["source_id"] == "flat")
    assert not shapely.from_wkb(flat["geometry"]).has_z
    assert geo["columns"]["geometry"]["bbox"] == pytest.approx([25.60, 42.40, 25.65, 42.46])


def test_a_layer_as_geoparquet_has_no_kind_column(client, world):
    body = _get(client, "/api/layers/stara-zagora-trails/export/", "parquet").getvalue()
    table = pq.read_table(io.BytesIO(body))
    assert "kind" not in table.column_names and "partner" not in table.column_names
    assert sorted(table.column("source_id").to_pylist()) == ["ayazmo", "flat"]
    assert json.loads(table.schema.metadata[b"license"]) == ["ODbL-1.0"]


@pytest.mark.parametrize("fmt", ["fgb", "parquet"])
def test_an_export_with_nothing_in_it_still_opens(client, world, tmp_path, fmt):
    response = _get(client, "/api/layers/stara-zagora-attractions/export/", fmt,
                    bbox="0,0,1,1")
    if fmt == "parquet":
        assert pq.read_table(io.BytesIO(response.getvalue())).num_rows == 0
    else:
        path = tmp_path / "none.fgb"
        path.write_bytes(response.getvalue())
        assert pyogrio.read_info(path, force_feature_count=True)["features"] == 0
        assert pyogrio.read_info(path)["crs"] == "EPSG:4326"


@pytest.mark.parametrize("collection", ["stara-zagora-attractions", "all-trails",
                                        "regional-layer"])
def test_each_ogc_collection_links_its_downloads_with_their_media_types(client, world,
                                                                        collection):
    links = client.get(f"/ogc/collections/{collection}").json()["links"]
    enclosures = {link["type"]: link["href"] for link in links if link["rel"] == "enclosure"}
    assert {"application/flatgeobuf" if collection != "regional-layer" else "application/zip",
            "application/vnd.apache.parquet", "application/geopackage+sqlite3",
            "application/geo+json"} <= set(enclosures)
    for media_type in ("application/vnd.apache.parquet", "application/geopackage+sqlite3"):
        response = client.get(enclosures[media_type])
        assert response.status_code == 200 and response["Content-Type"] == media_type
    parquet = pq.read_table(io.BytesIO(client.get(
        enclosures["application/vnd.apache.parquet"]).getvalue()))
    expected = {"stara-zagora-attractions": 2, "all-trails": 2, "regional-layer": 5}
    assert parquet.num_rows == expected[collection]
