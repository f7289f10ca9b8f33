"""What a GIS specialist's review of the importers found, each as the user meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from pyproj import Transformer

from importers.exceptions import Refused
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer, Trail
from tests.importers.builders import gpx, write_shapefile

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

LONG_BG = ("Античният форум на Августа Траяна е разкрит при строежа на пощата; "
           "запазени са част от улиците, обществените сгради, термите и одеонът, "
           "в който се събирали гражданите на града през II–IV век. Днес е музей на открито: "
           "между колоните минава пътеката към амфитеатъра и античните бани.")
assert len(LONG_BG.encode("cp1251")) > 254


def _import(path, partner, **kw):
    kw.setdefault("layer_slug", "sz-sites")
    kw.setdefault("kind", "attractions")
    return run_import(ImportRequest(path=path, partner=partner, **kw))


def _geojson(path: Path, features: list[tuple[dict, dict]], crs: str | None = None) -> Path:
    doc = {"type": "FeatureCollection",
           "features": [{"type": "Feature", "properties": p, "geometry": g}
                        for p, g in features]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


# 1. A shapefile round trip does not cut long descriptions.

@pytest.mark.filterwarnings("ignore:Value .* has been truncated:RuntimeWarning")
@pytest.mark.parametrize("encoding", ["UTF-8", "cp1251"])
def test_a_shapefile_round_trip_keeps_descriptions_longer_than_a_dbf_field(
        tmp_path, partners, encoding):
    sites = [(1, "Античен форум", LONG_BG, 25.6264, 42.4271),
             (2, "Неолитни жилища", LONG_BG[::-1], 25.6109, 42.4246),
             (3, "Зоопарк", "Кратко описание", 25.6282, 42.4269)]
    first = _geojson(tmp_path / "sites.geojson", [
        ({"id": i, "name": n, "description": d}, _point(x, y)) for i, n, d, x, y in sites])
    _import(first, partners["stara-zagora"])
    # As an export through GDAL writes it: the DBF field holds 254 bytes of each text.
    shp = tmp_path / "shp" / "sites.shp"
    shp.parent.mkdir()
    pyogrio.raw.write(
        shp, shapely.to_wkb(np.array([shapely.Point(x, y) for *_r, x, y in sites])),
        [np.array([i for i, *_r in sites]), np.array([n for _i, n, *_r in sites], dtype=object),
         np.array([d for _i, _n, d, *_r in sites], dtype=object)],
        fields=["id", "IME", "DESCRIPTIO"], geometry_type="Point", driver="ESRI Shapefile",
        encoding=encoding, crs="EPSG:4326")
    result = _import(shp, partners["stara-zagora"])
    assert result.counts["updated"] == 0 and result.counts["unchanged"] == 3
    stored = dict(Attraction.objects.values_list("source_id", "description_bg"))
    assert stored == {"1": LONG_BG, "2": LONG_BG[::-1], "3": "Кратко описание"}
    cut_notes = [n for n in result.notes if "254 bytes" in str(n)]
    assert len(cut_notes) == 1 and "2 text value(s)" in str(cut_notes[0])

    # A real edit, even of a long text, is still an update.
    edited = tmp_path / "edited.geojson"
    _geojson(edited, [({"id": 1, "name": "Античен форум", "description": "Ново описание"},
                       _point(25.6264, 42.4271))])
    result = _import(edited, partners["stara-zagora"])
    assert result.counts["updated"] == 1
    assert Attraction.objects.get(source_id="1").description_bg == "Ново описание"


# 2. Without a .prj, a file of the partner's own areas gets its national CRS suggested.

def _real_areas(shared_data, which: str) -> tuple[list, dict]:
    """(polygons in lon/lat, columns) of a partner's municipalities or communes."""
    regions = shared_data / "real" / "regions"
    if which == "stara-zagora":
        doc = json.loads((regions / "bulgaria-geocoding" / "municipalities.geojson").read_text())
        features = [f for f in doc["features"] if f["properties"]["nuts3"] == "SZR"]
    elif which == "larissa":
        features = [json.loads(p.read_text())
                    for p in sorted((regions / "kalikratis-larissa").glob("*.geojson"))]
    else:
        doc = json.loads((regions / "france-geojson-drome" / "communes-26-drome.geojson")
                         .read_text())
        features = doc["features"]
    # Rounded coordinates make some rings cross themselves: keep make_valid's polygons.
    geoms = [shapely.MultiPolygon([q for p in shapely.get_parts(
        shapely.make_valid(shapely.geometry.shape(f["geometry"])))
        for q in shapely.get_parts(p) if q.geom_type == "Polygon"]) for f in features]
    return geoms, {"N": list(range(len(geoms)))}


@pytest.mark.parametrize(("partner", "epsg", "count"), [
    ("stara-zagora", 7801, 11), ("larissa", 2100, 7), ("drome", 2154, 367)])
def test_missing_prj_on_the_partners_own_areas_suggests_its_national_crs(
        tmp_path, partners, shared_data, partner, epsg, count):
    geoms, columns = _real_areas(shared_data, partner)
    assert len(geoms) == count
    # The partner's boundary as the platform has it: the areas' outline, simplified.
    outline = shapely.union_all(geoms).simplify(0.01)
    p = partners[partner]
    p.boundary = MultiPolygon(*[GEOSGeometry(g.wkt) for g in shapely.get_parts(outline)
                                if g.geom_type == "Polygon"], srid=4326)
    p.save()
    to = Transformer.from_crs(4326, epsg, always_xy=True)
    projected = [shapely.transform(g, lambda xy: np.column_stack(to.transform(*xy.T)))
                 for g in geoms]
    shp = write_shapefile(tmp_path, "areas", projected, columns, epsg=None)
    with pytest.raises(Refused) as refused:
        _import(shp, p, layer_slug="areas")
    assert f"EPSG:{epsg}" in str(refused.value)
    assert "none of the usual CRSs" not in str(refused.value)


# 3. --dry-run shows what the import would do, and refuses what it would refuse.

def test_a_dry_run_gives_the_counts_of_the_import_and_writes_nothing(tmp_path, partners):
    sz = partners["stara-zagora"]
    three = _geojson(tmp_path / "three.geojson", [
        ({"id": i, "name": f"Място {i}"}, _point(25.6 + i / 100, 42.42)) for i in range(3)])
    _import(three, sz)
    before = list(Attraction.objects.order_by("id").values())
    runs = ImportRun.objects.count()
    two = _geojson(tmp_path / "two.geojson", [
        ({"id": 0, "name": "Място 0"}, _point(25.6, 42.42)),
        ({"id": 1, "name": "Друго име"}, _point(25.61, 42.42)),
        ({"id": 7, "name": "Ново"}, _point(25.65, 42.42))])
    result = _import(two, sz, sync=True, dry_run=True)
    assert {k: result.counts[k] for k in ("created", "updated", "unchanged", "retired")} == {
        "created": 1, "updated": 1, "unchanged": 1, "retired": 1}
    assert len(result.preview) == 3 and result.preview[0]["source_id"] == "0"
    assert list(Attraction.objects.order_by("id").values()) == before
    assert ImportRun.objects.count() == runs


def test_a_dry_run_refuses_a_layer_of_another_partner_or_kind(tmp_path, partners):
    sites = _geojson(tmp_path / "s.geojson", [({"id": 1, "name": "A"}, _point(25.62, 42.42))])
    _import(sites, partners["stara-zagora"], layer_slug="sz-mun")
    with pytest.raises(Refused, match="belongs to partner 'stara-zagora', not 'sliven'"):
        _import(sites, partners["sliven"], layer_slug="sz-mun", dry_run=True)
    with pytest.raises(Refused, match="holds attractions, not trails"):
        _import(sites, partners["stara-zagora"], layer_slug="sz-mun", kind="trails",
                dry_run=True)
    assert not Layer.objects.filter(partner=partners["sliven"]).exists()


# 4. Another id column than last time: the layer would be duplicated, and the report says so.

def test_changing_the_id_column_warns_that_every_feature_would_be_created_again(
        tmp_path, partners):
    sz = partners["stara-zagora"]
    areas = _geojson(tmp_path / "mun.geojson", [
        ({"nuts4": f"SZR{i:02d}", "name": f"Община {i}"}, _point(25.5 + i / 50, 42.4))
        for i in range(4)])
    first = _import(areas, sz, layer_slug="sz-mun")
    assert first.id_field is None  # no id column: hashed geometries
    preview = _import(areas, sz, layer_slug="sz-mun", id_field="nuts4", dry_run=True)
    result = _import(areas, sz, layer_slug="sz-mun", id_field="nuts4")
    for done in (preview, result):
        warning = [str(n) for n in done.notes if "none of its 4 feature ids" in str(n)]
        assert len(warning) == 1 and "--sync" in warning[0] and "hash" in warning[0]
    assert result.run.notes == [n.english for n in result.notes]
    # The same file with the same ids again matches: no warning.
    again = _import(areas, sz, layer_slug="sz-mun", id_field="nuts4")
    assert not [n for n in again.notes if "none of its" in str(n)]


# 5. KML and GPX in single-byte encodings.

KML_BODY = """<?xml version="1.0" encoding="{encoding}"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>{name}</name>
<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark></Document></kml>
"""


@pytest.mark.parametrize(("encoding", "name", "partner", "lonlat"), [
    ("ISO-8859-7", "Μετέωρα", "larissa", (22.42, 39.64)),
    ("windows-1253", "Κάστρο Λάρισας", "larissa", (22.42, 39.64)),
    ("windows-1251", "Античен форум", "stara-zagora", (25.62, 42.42)),
])
def test_kml_in_a_single_byte_encoding_is_read_and_its_encoding_reported(
        tmp_path, partners, encoding, name, partner, lonlat):
    kml = tmp_path / "places.kml"
    kml.write_bytes(KML_BODY.format(encoding=encoding, name=name, lon=lonlat[0],
                                    lat=lonlat[1]).encode(encoding))
    result = _import(kml, partners[partner], layer_slug="kml")
    names = list(Attraction.objects.values_list(f"name_{partners[partner].main_language}",
                                                flat=True))
    assert names == [name]
    assert result.encoding != "utf-8" and encoding in str(result.encoding_reason)


def test_xml_checks_still_apply_to_a_transcoded_kml(tmp_path, partners):
    kml = tmp_path / "bomb.kml"
    kml.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-7"?>\n'
                    b'<!DOCTYPE kml [<!ENTITY a "aaaa">]>\n'
                    + KML_BODY.split("\n", 1)[1].format(name="&a;", lon=22.4, lat=39.6)
                    .encode())
    with pytest.raises(Refused, match="DTD or entity"):
        _import(kml, partners["larissa"], layer_slug="kml")


def test_a_gpx_reports_the_encoding_its_declaration_names(tmp_path, partners):
    body = gpx('<wpt lat="39.64" lon="22.42"><name>Μετέωρα</name></wpt>').replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-7"')
    path = tmp_path / "w.gpx"
    path.write_bytes(body.encode("iso-8859-7"))
    result = _import(path, partners["larissa"], layer_slug="gpx")
    assert result.encoding == "iso8859-7" and "ISO-8859-7" in str(result.encoding_reason)
    assert Attraction.objects.get().name_el == "Μετέωρα"


# 6. A wrong --encoding, or a GeoJSON not in UTF-8, is named as such.

def _cyrillic_dbf(tmp_path):
    return write_shapefile(tmp_path, "bg", [shapely.Point(25.62, 42.42)],
                           {"IME": ["Античен форум"], "ID": [1]}, epsg=4326,
                           encoding="cp1251", keep_cpg=False)


def test_a_wrong_encoding_option_names_the_encoding_the_text_is_in(tmp_path, partners):
    with pytest.raises(Refused) as refused:
        _import(_cyrillic_dbf(tmp_path), partners["stara-zagora"], encoding="utf-8")
    text = str(refused.value)
    assert "the text is not utf-8" in text and "looks like cp1251" in text
    assert "damaged" not in text


def test_the_encoding_option_takes_the_spellings_a_cpg_may_use(tmp_path, partners):
    result = _import(_cyrillic_dbf(tmp_path), partners["stara-zagora"], encoding="ANSI 1251")
    assert result.encoding == "cp1251"
    assert Attraction.objects.get().name_bg == "Античен форум"


def test_a_geojson_not_in_utf8_is_named_and_read_with_the_encoding_option(tmp_path, partners):
    path = tmp_path / "cp.geojson"
    path.write_bytes(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Античен форум"},
         "geometry": _point(25.62, 42.42)}]}, ensure_ascii=False).encode("cp1251"))
    with pytest.raises(Refused) as refused:
        _import(path, partners["stara-zagora"])
    assert "the text is not utf-8" in str(refused.value)
    assert "looks like cp1251" in str(refused.value)
    assert "damaged" not in str(refused.value)
    result = _import(path, partners["stara-zagora"], encoding="windows-1251")
    assert result.encoding == "cp1251"
    assert Attraction.objects.get().name_bg == "Античен форум"


# 7. A GeoJSON in projected coordinates without a crs member.

def test_a_projected_geojson_without_crs_is_refused_with_a_crs_suggestion(tmp_path, partners):
    to = Transformer.from_crs(4326, 2100, always_xy=True)
    path = _geojson(tmp_path / "egsa.geojson", [
        ({"name": f"Σημείο {i}"}, _point(*to.transform(22.3 + i / 20, 39.6)))
        for i in range(7)])
    with pytest.raises(Refused) as refused:
        _import(path, partners["larissa"], layer_slug="egsa")
    text = str(refused.value)
    assert "not longitude/latitude" in text and "--srs" in text
    assert "these would place the data inside Larissa: EPSG:2100" in text
    assert "out of range" not in text


# 8. Every feature read is counted.

def test_features_of_the_other_kind_are_counted_as_left_out(tmp_path, partners):
    path = _geojson(tmp_path / "mixed.geojson", [
        ({"name": "A"}, _point(25.62, 42.42)), ({"name": "B"}, _point(25.63, 42.42)),
        ({"name": "C"}, {"type": "LineString", "coordinates": [[25.6, 42.4], [25.7, 42.5]]})])
    c = _import(path, partners["stara-zagora"]).counts
    assert (c["read"], c["created"], c["skipped"], c["left_out"]) == (3, 2, 0, 1)
    assert c["read"] == c["created"] + c["updated"] + c["unchanged"] + c["skipped"] + \
        c["left_out"]


def test_waypoints_of_a_gpx_imported_as_trails_are_counted(copy_shared, partners):
    path = copy_shared("gpx/gpxpy/korita-zbevnica.gpx")  # in Slovenia: confirmed
    result = _import(path, partners["stara-zagora"], layer_slug="gpx", kind="trails",
                     allow_outside=True)
    c = result.counts
    assert (c["read"], c["created"], c["left_out"]) == (5, 3, 2)
    assert result.run.counts["left_out"] == 2


# 10. Elevations to a tenth of a metre.

def test_trail_elevations_are_rounded_to_a_decimetre(tmp_path, partners):
    path = tmp_path / "t.gpx"
    path.write_text(gpx('<trk><trkseg><trkpt lat="42.42" lon="25.62"><ele>25.6</ele></trkpt>'
                        '<trkpt lat="42.43" lon="25.63"><ele>131.7</ele></trkpt>'
                        '<trkpt lat="42.44" lon="25.64"><ele>40.3</ele></trkpt>'
                        '</trkseg></trk>'))
    _import(path, partners["stara-zagora"], layer_slug="t", kind="trails")
    trail = Trail.objects.get()
    assert (trail.min_elevation_m, trail.max_elevation_m) == (25.6, 131.7)
    assert (trail.ascent_m, trail.descent_m) == (106.1, 91.4)


# 9. No database: one line, not a traceback.

def test_import_layer_without_a_database_says_so_in_one_line(tmp_path):
    shp = _cyrillic_dbf(tmp_path)
    env = {**os.environ, "DATABASE_URL": "postgis://atlas@127.0.0.1:9/nowhere"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_layer", str(shp), "--partner", "stara-zagora",
         "--layer", "x", "--kind", "attractions"], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot reach the database 127.0.0.1:9/nowhere" in lines[0]
