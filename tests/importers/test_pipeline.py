"""The import pipeline end to end: identity, re-import, sync, undo, mapping, safety of writes."""

from __future__ import annotations

import itertools
import json
import threading

import numpy as np
import pytest
import shapely
from django.db import connection
from pyproj import Transformer

from importers.exceptions import Refused, RowErrors
from importers.formats.base import drop_m
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import, undo_last_import
from layers.models import Attraction, Layer, Trail
from tests.importers.builders import gpx, write_shapefile

pytestmark = pytest.mark.django_db

SITES = [  # (id, name, lon, lat) in Stara Zagora
    (1, "Античен форум", 25.6264, 42.4271),
    (2, "Неолитни жилища", 25.6109, 42.4246),
    (3, "Регионален исторически музей", 25.6282, 42.4269),
]


def _sites_shp(folder, sites, extra_cols=None):
    columns = {"ID": [s[0] for s in sites], "IME": [s[1] for s in sites],
               **(extra_cols or {})}
    return write_shapefile(folder, "sites", [shapely.Point(s[2], s[3]) for s in sites], columns,
                           epsg=4326, encoding="cp1251", keep_cpg=False)


def _import(path, partner, **kw):
    kw.setdefault("layer_slug", "sz-sites")
    kw.setdefault("kind", "attractions")
    return run_import(ImportRequest(path=path, partner=partner, **kw))


def _layer_rows(slug: str) -> list[dict]:
    """Every column of every feature of the layer, geometry as EWKB hex: 'exactly as it was'."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT to_jsonb(a) || jsonb_build_object('location', encode(ST_AsEWKB(location), 'hex'))
            FROM layers_attraction a JOIN layers_layer l ON l.id = a.layer_id
            WHERE l.slug = %s ORDER BY a.id""", [slug])
        return [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in cur.fetchall()]


def test_first_import_creates_and_reports(tmp_path, partners):
    result = _import(_sites_shp(tmp_path, SITES), partners["stara-zagora"])
    assert result.counts == {"read": 3, "skipped": 0, "created": 3, "updated": 0,
                             "unchanged": 0, "retired": 0, "left_out": 0}
    assert result.id_field == "ID"
    assert result.mapping == {"name_bg": "IME"}
    run = result.run
    assert run.status == "succeeded" and run.file_name == "sites.shp" and len(run.sha256) == 64
    assert run.encoding == "cp1251" and run.crs.startswith("EPSG:4326")
    assert set(Attraction.objects.values_list("source_id", flat=True)) == {"1", "2", "3"}


def test_reimport_of_an_edited_file_counts_exactly(tmp_path, partners):
    sz = partners["stara-zagora"]
    _import(_sites_shp(tmp_path / "v1", SITES), sz)
    uids = dict(Attraction.objects.values_list("source_id", "uid"))
    edited = [SITES[0], (2, "Музей „Неолитни жилища“", 25.6109, 42.4246),
              (3, SITES[2][1], 25.6290, 42.4270), (4, "Зоопарк", 25.6124, 42.4381)]
    result = _import(_sites_shp(tmp_path / "v2", edited), sz)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["unchanged"]) == (1, 2, 1)
    after = dict(Attraction.objects.values_list("source_id", "uid"))
    assert all(after[k] == v for k, v in uids.items())  # stable public ids
    assert Attraction.objects.get(source_id="2").name_bg == "Музей „Неолитни жилища“"
    assert Attraction.objects.get(source_id="3").location.x == pytest.approx(25.6290)


def test_unchanged_file_changes_nothing(tmp_path, partners):
    path = _sites_shp(tmp_path, SITES)
    _import(path, partners["stara-zagora"])
    before = _layer_rows("sz-sites")
    result = _import(path, partners["stara-zagora"])
    assert result.counts["unchanged"] == 3 and result.counts["updated"] == 0
    assert _layer_rows("sz-sites") == before


def test_editor_changes_in_fields_the_file_lacks_survive(tmp_path, partners):
    sz = partners["stara-zagora"]
    _import(_sites_shp(tmp_path / "v1", SITES), sz)
    forum = Attraction.objects.get(source_id="1")
    forum.description_en = "The forum of Roman Augusta Traiana."
    forum.name_en = "Augusta Traiana forum"
    forum.website = "https://www.starazagora.bg"
    forum.save()
    renamed = [(1, "Античен форум „Августа Траяна“", 25.6264, 42.4271), *SITES[1:]]
    _import(_sites_shp(tmp_path / "v2", renamed), sz)
    forum.refresh_from_db()
    assert forum.name_bg == "Античен форум „Августа Траяна“"  # from the file
    assert forum.name_en == "Augusta Traiana forum"  # the editor's, the file has none
    assert forum.description_en == "The forum of Roman Augusta Traiana."
    assert forum.website == "https://www.starazagora.bg"


def test_missing_features_stay_unless_sync_retires_them(tmp_path, client, partners):
    sz = partners["stara-zagora"]
    _import(_sites_shp(tmp_path / "v1", SITES), sz)
    handmade = Attraction.objects.create(layer=Layer.objects.get(slug="sz-sites"),
                                         location="POINT(25.62 42.42)", name_en="Drawn by hand",
                                         category="park")
    short = _sites_shp(tmp_path / "v2", SITES[:2])
    assert _import(short, sz).counts["retired"] == 0
    assert Attraction.objects.filter(retired_at__isnull=True).count() == 4
    result = _import(short, sz, sync=True)
    assert result.counts["retired"] == 1
    assert Attraction.objects.get(source_id="3").retired_at is not None
    handmade.refresh_from_db()
    assert handmade.retired_at is None  # never came from a file
    names = {f["properties"]["name"] for f in
             client.get("/api/regional-layer/", {"lang": "bg"}).json()["features"]}
    assert "Регионален исторически музей" not in names and "Античен форум" in names
    # Back in the file: back on the map.
    assert _import(_sites_shp(tmp_path / "v3", SITES), sz, sync=True).counts["updated"] == 1
    assert Attraction.objects.get(source_id="3").retired_at is None


def test_undo_restores_the_layer_exactly(tmp_path, partners):
    sz = partners["stara-zagora"]
    _import(_sites_shp(tmp_path / "v1", SITES), sz)
    forum = Attraction.objects.get(source_id="1")
    forum.name_en = "Forum"
    forum.save()
    before = _layer_rows("sz-sites")
    settings_before = Layer.objects.get(slug="sz-sites").import_settings
    edited = [(1, "Форум", 25.6265, 42.4272), (2, SITES[1][1], 25.6109, 42.4246),
              (5, "Нов обект", 25.63, 42.43)]
    _import(_sites_shp(tmp_path / "v2", edited, {"OPIS": ["a", "b", "c"]}), sz, sync=True,
            field_map={"description_bg": "OPIS"})
    assert _layer_rows("sz-sites") != before
    run = undo_last_import(layer=Layer.objects.get(slug="sz-sites"))
    assert run.status == ImportRun.Status.UNDONE
    assert _layer_rows("sz-sites") == before
    assert Layer.objects.get(slug="sz-sites").import_settings == settings_before


def test_undo_can_be_repeated_down_to_an_empty_layer(tmp_path, partners):
    sz = partners["stara-zagora"]
    _import(_sites_shp(tmp_path / "v1", SITES), sz)
    _import(_sites_shp(tmp_path / "v2", SITES[:1]), sz, sync=True)
    layer = Layer.objects.get(slug="sz-sites")
    undo_last_import(layer=layer)
    assert Attraction.objects.filter(retired_at__isnull=True).count() == 3
    undo_last_import(layer=layer)
    assert not Attraction.objects.exists()
    assert not Layer.objects.filter(slug="sz-sites").exists()  # the first run created it
    with pytest.raises(Refused, match="no import"):
        undo_last_import(layer=layer)


def test_dry_run_writes_nothing_and_previews_rows(tmp_path, partners):
    result = _import(_sites_shp(tmp_path, SITES), partners["stara-zagora"], dry_run=True)
    assert not Attraction.objects.exists() and not Layer.objects.exists()
    assert not ImportRun.objects.exists()
    assert [p["name_bg"] for p in result.preview] == [s[1] for s in SITES]
    assert result.preview[0]["geometry"] == "POINT (25.6264 42.4271)"


def test_a_failed_import_writes_nothing_but_is_logged(tmp_path, partners):
    sites = [*SITES, (4, "Без място", None, None)]
    geoms = [shapely.Point(s[2], s[3]) if s[2] else None for s in sites]
    path = write_shapefile(tmp_path, "bad", geoms, {"ID": [s[0] for s in sites],
                                                     "IME": [s[1] for s in sites]},
                           epsg=4326, encoding="cp1251")
    with pytest.raises(RowErrors) as exc:
        _import(path, partners["stara-zagora"])
    issue = exc.value.issues[0]
    assert (issue.file, issue.row, issue.field) == ("bad.shp", 4, "geometry")
    assert not Attraction.objects.exists() and not Layer.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.issues[0]["row"] == 4


def test_explicit_mapping_is_remembered_for_the_next_import(tmp_path, partners):
    sz = partners["stara-zagora"]
    path = _sites_shp(tmp_path, SITES, {"KOD": ["a", "b", "c"], "VID": ["museum"] * 3})
    result = _import(path, sz, field_map={"name_en": "KOD", "category": "VID"}, id_field="KOD")
    assert result.mapping["name_en"] == "KOD" and result.id_field == "KOD"
    assert Layer.objects.get(slug="sz-sites").import_settings["mapping"]["name_en"] == "KOD"
    again = _import(path, sz)
    assert again.mapping["name_en"] == "KOD" and again.id_field == "KOD"
    assert again.counts["unchanged"] == 3
    assert set(Attraction.objects.values_list("category", flat=True)) == {"museum"}


def test_unmapped_attributes_are_kept_with_their_names(tmp_path, partners):
    _import(_sites_shp(tmp_path, SITES, {"VISITORS": [1200, 800, 650], "ОТВОРЕНО": ["да"] * 3}),
            partners["stara-zagora"])
    props = Attraction.objects.get(source_id="1").properties
    assert props == {"VISITORS": 1200, "ОТВОРЕНО": "да"}


def test_a_mapping_to_a_missing_column_is_refused(tmp_path, partners):
    with pytest.raises(Refused, match="has no column 'NAME_EN'"):
        _import(_sites_shp(tmp_path, SITES), partners["stara-zagora"],
                field_map={"name_en": "NAME_EN"})


def test_duplicate_ids_are_row_errors(tmp_path, partners):
    dupes = [SITES[0], (1, "Друго", 25.62, 42.43)]
    with pytest.raises(RowErrors) as exc:
        _import(_sites_shp(tmp_path, dupes), partners["stara-zagora"], id_field="ID")
    assert "id '1' is also on row 1" in str(exc.value.issues[0])


def test_invalid_polygon_is_repaired_and_reported(tmp_path, partners):
    bowtie = shapely.Polygon([(25.60, 42.40), (25.62, 42.42), (25.62, 42.40), (25.60, 42.42),
                              (25.60, 42.40)])
    path = write_shapefile(tmp_path, "park", [bowtie], {"IME": ["Аязмото"]}, epsg=4326)
    result = _import(path, partners["stara-zagora"])
    repaired = [i for i in result.issues if i.severity == "repaired"]
    assert len(repaired) == 1 and "Self-intersection" in str(repaired[0].reason)
    park = Attraction.objects.get()
    assert park.footprint.valid and park.footprint.num_geom == 2
    assert park.footprint.contains(park.location)


def test_projected_polygons_land_as_footprints_with_a_point_on_them(tmp_path, partners):
    to_2100 = Transformer.from_crs(4326, 2100, always_xy=True)
    ring = [to_2100.transform(x, y) for x, y in
            [(22.41, 39.63), (22.42, 39.63), (22.42, 39.64), (22.41, 39.64), (22.41, 39.63)]]
    path = write_shapefile(tmp_path, "area", [shapely.Polygon(ring)], {"ONOMA": ["Αλκαζάρ"]},
                           epsg=2100, encoding="cp1253", keep_cpg=False)
    _import(path, partners["larissa"], layer_slug="lar")
    a = Attraction.objects.get()
    assert a.name_el == "Αλκαζάρ"
    assert a.footprint.extent == pytest.approx((22.41, 39.63, 22.42, 39.64), abs=1e-5)


def test_m_values_are_dropped_and_z_kept():
    geoms = np.array([shapely.from_wkt("LINESTRING ZM (0 0 1 5, 1 1 2 6)"),
                      shapely.from_wkt("POINT M (1 2 9)"), None], dtype=object)
    out, n = drop_m(geoms)
    assert n == 2
    assert out[0].wkt == "LINESTRING Z (0 0 1, 1 1 2)" and out[1].wkt == "POINT (1 2)"


def test_trails_keep_their_elevation(tmp_path, partners):
    line = shapely.from_wkt("LINESTRING Z (25.60 42.40 300, 25.61 42.41 350, 25.62 42.42 420)")
    path = write_shapefile(tmp_path, "walk", [line], {"NAME": ["Пътека"]}, epsg=4326)
    _import(path, partners["stara-zagora"], layer_slug="sz-trails", kind="trails")
    trail = Trail.objects.get()
    assert trail.geom.hasz and trail.ascent_m == pytest.approx(120)
    assert [c[2] for c in trail.geom.coords[0]] == [300, 350, 420]


ROUTE_AND_TRACK = gpx("""
  <rte><name>Към Бедечка</name>
    <rtept lat="42.4300" lon="25.6000"/><rtept lat="42.4400" lon="25.6100"/>
    <rtept lat="42.4500" lon="25.6200"/></rte>
  <trk><name>Към Бедечка (записан)</name><trkseg>
    <trkpt lat="42.4300" lon="25.6000"><ele>210</ele></trkpt>
    <trkpt lat="42.4352" lon="25.6049"><ele>240</ele></trkpt>
    <trkpt lat="42.4401" lon="25.6102"><ele>260</ele></trkpt>
    <trkpt lat="42.4449" lon="25.6151"><ele>300</ele></trkpt>
    <trkpt lat="42.4500" lon="25.6199"><ele>330</ele></trkpt></trkseg>
  <trkseg><trkpt lat="42.4500" lon="25.6199"><ele>330</ele></trkpt>
    <trkpt lat="42.4550" lon="25.6250"><ele>380</ele></trkpt></trkseg></trk>
  <wpt lat="42.4500" lon="25.6200"><name>Чешма</name></wpt>
""")


def test_a_route_and_the_track_along_it_make_one_trail(tmp_path, partners):
    path = tmp_path / "bedechka.gpx"
    path.write_text(ROUTE_AND_TRACK, encoding="utf-8")
    result = _import(path, partners["stara-zagora"], layer_slug="sz-trails", kind="trails")
    assert result.counts["created"] == 1
    notes = [str(n) for n in result.notes]
    assert any("route 1" in n and "not imported twice" in n for n in notes)
    assert any("1 feature(s) of type Point" in n for n in notes)
    trail = Trail.objects.get()
    assert trail.name_bg == "Към Бедечка (записан)"
    assert trail.geom.num_geom == 2 and trail.max_elevation_m == 380


def test_keep_duplicate_routes_keeps_both(tmp_path, partners):
    path = tmp_path / "bedechka.gpx"
    path.write_text(ROUTE_AND_TRACK, encoding="utf-8")
    result = _import(path, partners["stara-zagora"], layer_slug="sz-trails", kind="trails",
                     keep_duplicate_routes=True)
    assert result.counts["created"] == 2


def test_gpx_waypoints_become_attractions(tmp_path, partners):
    path = tmp_path / "bedechka.gpx"
    path.write_text(ROUTE_AND_TRACK, encoding="utf-8")
    _import(path, partners["stara-zagora"])
    assert Attraction.objects.get().name_bg == "Чешма"


def test_geojson_with_an_old_crs_member(tmp_path, partners):
    x, y = Transformer.from_crs(4326, 2100, always_xy=True).transform(22.41526, 39.64032)
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2100"}},
           "features": [{"type": "Feature", "properties": {"name": "Αρχαίο Θέατρο", "id": 7},
                         "geometry": {"type": "Point", "coordinates": [x, y]}}]}
    path = tmp_path / "theatre.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = _import(path, partners["larissa"], layer_slug="lar")
    assert result.crs.startswith("EPSG:2100") and "crs member" in str(result.crs_reason)
    a = Attraction.objects.get()
    assert (a.location.x, a.location.y) == pytest.approx((22.41526, 39.64032), abs=1e-6)
    assert a.name_el == "Αρχαίο Θέατρο" and a.source_id == "7"


def test_kmz_is_unpacked_and_read(tmp_path, partners):
    import zipfile

    kml = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
           "<Document><Placemark><name>Palais idéal</name><Point><coordinates>5.02849,45.25628"
           "</coordinates></Point></Placemark></Document></kml>")
    path = tmp_path / "cheval.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", kml)
    _import(path, partners["drome"], layer_slug="drome-kmz")
    a = Attraction.objects.get()
    assert a.name_fr == "Palais idéal" and a.location.x == pytest.approx(5.02849)


def test_zipped_shapefile_in_a_sub_folder(tmp_path, partners):
    import zipfile

    shp = _sites_shp(tmp_path / "src", SITES)
    archive = tmp_path / "sites.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for member in shp.parent.iterdir():
            zf.write(member, f"export/layers/{member.name}")
    result = _import(archive, partners["stara-zagora"])
    assert result.label == "sites.zip/export/layers/sites.shp"
    assert result.counts["created"] == 3


def test_a_layer_of_another_partner_or_kind_is_refused(tmp_path, partners):
    path = _sites_shp(tmp_path, SITES)
    _import(path, partners["stara-zagora"])
    with pytest.raises(Refused, match="belongs to partner 'stara-zagora'"):
        _import(path, partners["sliven"])
    assert Attraction.objects.count() == 3


def test_features_far_outside_the_partner_are_reported(tmp_path, partners):
    result = _import(_sites_shp(tmp_path, SITES), partners["drome"], layer_slug="wrong",
                     allow_outside=True)
    assert any("3 of 3 features lie outside" in str(n) for n in result.notes)


def test_imported_features_appear_in_the_regional_layer(tmp_path, client, partners):
    _import(_sites_shp(tmp_path, SITES), partners["stara-zagora"])
    names = {f["properties"]["name"] for f in
             client.get("/api/regional-layer/", {"lang": "bg"}).json()["features"]}
    assert names == {s[1] for s in SITES}


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_into_one_layer_are_serialised(tmp_path, partners):
    path = _sites_shp(tmp_path, SITES)
    results, errors = [], []

    def work():
        try:
            results.append(_import(path, partners["stara-zagora"]))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.counts["created"] for r in results) == [0, 0, 3]
    assert Attraction.objects.count() == 3


def test_new_rows_are_written_in_the_order_of_their_place(tmp_path, partners):
    """A page or a tile of a window reads the rows it holds: written in the file's order,
    1,000 neighbours lay on ~1,000 heap pages, written along a space-filling curve on
    ~200 (issue 20, item 7; docs/benchmarks.md)."""
    import random

    cells = [(i, j) for i in range(8) for j in range(8)]
    random.Random(7).shuffle(cells)
    sites = [(n, f"Site {n}", 25.60 + i * 0.002, 42.41 + j * 0.002)
             for n, (i, j) in enumerate(cells)]
    _import(_sites_shp(tmp_path, sites), partners["stara-zagora"])

    def path_length(points):
        return sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in itertools.pairwise(points))

    written = [(round((a.location.x - 25.60) / 0.002), round((a.location.y - 42.41) / 0.002))
               for a in Attraction.objects.order_by("id")]
    assert sorted(written) == sorted(cells)
    assert path_length(written) <= 2 * (len(cells) - 1) < path_length(cells) / 2, \
        (path_length(written), path_length(cells))
