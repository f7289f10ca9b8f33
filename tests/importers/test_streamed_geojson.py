"""A GeoJSON of more features than a batch (ATLAS_IMPORT_BATCH_ROWS) is read in one pass,
GDAL handing its features over a batch at a time, normalised and staged batch by batch,
its checks across rows made in SQL (decision 0027): it must give what the same file read
whole gives. Batches of 3 rows here; the memory it saves is measured by the scale
benchmark (tests/bench/scale.py)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils import translation

from importers.exceptions import Refused, RowErrors
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer

pytestmark = pytest.mark.django_db

# (id, name, category, lon, lat, extra properties) in Larissa. Row 5's category is not one
# the mapping knows; VISITORS is missing in the first batch, a whole number in the
# second, a real in the third; OPEN a boolean, SINCE a date, TAGS a list, INFO an object.
SITES = [
    (1, "Αρχαίο θέατρο", "museum", 22.4180, 39.6390, {}),
    (2, "Φρούριο", "castle", 22.4170, 39.6420, {"OPEN": True}),
    (3, "Αλκαζάρ", "park", 22.4230, 39.6300, {"SINCE": "1998-05-01"}),
    (4, "Μύλος του Παππά", "museum", 22.4150, 39.6370, {"VISITORS": 120}),
    (5, "Κάτι", "tomb-ish", 22.4100, 39.6400, {"VISITORS": 3, "TAGS": ["a", "b"]}),
    (6, "Τέμπη", "nature", 22.5800, 39.8900, {"OPEN": False, "INFO": {"x": 1}}),
    (7, "Αγιά", "church", 22.7600, 39.7200, {"VISITORS": 7.5}),
    (8, "Όλυμπος", "nature", 22.3500, 40.0800, {"VISITORS": None}),
]


def _feature(site, geometry: dict | str | None = "point") -> dict:
    sid, name, category, lon, lat, extra = site
    return {"type": "Feature",
            "properties": {"ID": sid, "ONOMA": name, "TYPE": category, **extra},
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if geometry == "point"
            else geometry}


def _geojson(folder, features: list[dict], name: str = "sites.geojson", **members):
    path = folder / name
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _import(path, partner, slug: str, **kw):
    said: list[str] = []
    result = run_import(ImportRequest(
        path=path, partner=partner, layer_slug=slug, kind="attractions",
        field_map={"name_el": "ONOMA", "category": "TYPE"}, **kw), said.append)
    return result, said


def _features(slug: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.source_id, a.name, a.name_el, a.category, a.properties, a.search,
                   ST_AsText(a.location), a.retired_at IS NOT NULL
            FROM layers_attraction a JOIN layers_layer l ON l.id = a.layer_id
            WHERE l.slug = %s ORDER BY a.source_id""", [slug])
        return cur.fetchall()


def _report(result) -> tuple:
    return (result.counts, sorted(str(i) for i in result.issues),
            [n.english for n in result.notes],
            # (a list value is an array in the preview, as GDAL gave it)
            json.dumps(result.preview, default=repr, sort_keys=True), result.id_field,
            result.mapping,
            result.crs, result.crs_reason.english, result.encoding)


def _whole_then_in_batches(settings, path, partner, **kw):
    settings.ATLAS_IMPORT_BATCH_ROWS = 1000
    whole, said_whole = _import(path, partner, "whole", **kw)
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    streamed, said = _import(path, partner, "streamed", **kw)
    assert not any("batches" in s for s in said_whole)
    assert any(s.startswith("normalising ") and s.endswith(" in batches of 3") for s in said)
    return whole, streamed


def test_a_geojson_larger_than_a_batch_gives_what_it_gives_read_whole(tmp_path, partners,
                                                                      settings):
    path = _geojson(tmp_path, [_feature(s) for s in SITES])
    whole, streamed = _whole_then_in_batches(settings, path, partners["larissa"])
    assert streamed.counts["created"] == 8
    assert _report(streamed) == _report(whole)
    assert _features("streamed") == _features("whole")
    props = dict(Attraction.objects.filter(layer__slug="streamed")
                 .values_list("source_id", "properties"))
    assert props["5"]["TAGS"] == ["a", "b"] and props["6"]["INFO"] == {"x": 1}
    # The warnings of several batches are one, naming the rows of the file.
    warnings = [str(i) for i in streamed.issues if "'nature'" in str(i)]
    assert len(warnings) == 1 and "rows 6, 8, TYPE" in warnings[0]


def test_a_geojson_in_batches_without_ids_numbers_equal_geometries_as_read_whole(
        tmp_path, partners, settings):
    copy = (0, "Αντίγραφο", "park", *SITES[0][3:5], {})
    features = [_feature(s) for s in [*SITES[:4], copy]]
    for f in features:
        del f["properties"]["ID"]
    path = _geojson(tmp_path, features)
    whole, streamed = _whole_then_in_batches(settings, path, partners["larissa"])
    assert whole.id_field is None and streamed.id_field is None
    assert _features("streamed") == _features("whole")
    assert any(sid.endswith("~2") for sid, *_rest in _features("streamed"))


def test_a_geojson_in_another_crs_is_read_in_batches_as_whole(tmp_path, partners, settings):
    # The Greek Grid (EPSG:2100), named by the file's crs member (GeoJSON before RFC 7946).
    from pyproj import Transformer

    to_2100 = Transformer.from_crs(4326, 2100, always_xy=True)
    features = []
    for s in SITES:
        x, y = to_2100.transform(s[3], s[4])
        features.append(_feature(s, {"type": "Point", "coordinates": [x, y]}))
    path = _geojson(tmp_path, features, crs={"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::2100"}})
    whole, streamed = _whole_then_in_batches(settings, path, partners["larissa"])
    assert streamed.crs == whole.crs and "2100" in streamed.crs
    assert _features("streamed") == _features("whole")


def test_projected_coordinates_without_a_crs_member_are_refused_in_batches_with_hints(
        tmp_path, partners, settings):
    from pyproj import Transformer

    to_2100 = Transformer.from_crs(4326, 2100, always_xy=True)
    features = [_feature(s, {"type": "Point",
                             "coordinates": list(to_2100.transform(s[3], s[4]))})
                for s in SITES]
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    with pytest.raises(Refused, match=r"sites.geojson: the coordinates are not "
                                      r"longitude/latitude.*EPSG:2100"):
        _import(_geojson(tmp_path, features), partners["larissa"], "streamed")
    assert not Layer.objects.filter(slug="streamed").exists()


@pytest.mark.parametrize(("bad", "expected_en", "expected_bg"), [
    # No geometry on row 8: a row error found while its batch is normalised.
    ({"geometry": None},
     "sites.geojson, layer sites, row 8, geometry: no geometry (null or empty)",
     "няма геометрия (null или празна)"),
    # Row 8 gives row 1's id: found in SQL over the staged batches, after the last one.
    ({"properties": {"ID": 1, "ONOMA": "Άλλο", "TYPE": "park"}},
     "sites.geojson, layer sites, row 8, ID: id '1' is also on row 1",
     "идентификаторът '1' е и на ред 1"),
])
def test_a_bad_row_in_the_last_batch_rolls_back_every_batch_and_names_its_row(
        tmp_path, partners, settings, bad, expected_en, expected_bg):
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    sz = partners["larissa"]
    features = [_feature(s) for s in SITES]
    features[7] = {**features[7], **bad}
    path = _geojson(tmp_path, features)
    with pytest.raises(RowErrors) as exc:
        _import(path, sz, "streamed", id_field="ID")
    assert [str(i) for i in exc.value.issues] == [expected_en]
    # The first two batches were staged inside the transaction: nothing of them is kept.
    assert not Layer.objects.filter(slug="streamed").exists()
    assert not Attraction.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == "failed"
    with translation.override("bg"):
        issue = run.translated()["issues"][0]
    assert (issue["row"], issue["reason"]) == (8, expected_bg)
    # --skip-invalid keeps the rest, as a whole read does.
    result, _said = _import(path, sz, "streamed", id_field="ID", skip_invalid=True)
    assert result.counts["skipped"] == 1 and result.counts["created"] == 7


def test_a_reimport_in_batches_updates_and_retires_exactly(tmp_path, partners, settings):
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    sz = partners["larissa"]
    _import(_geojson(tmp_path, [_feature(s) for s in SITES], "v1.geojson"), sz, "streamed")
    uids = dict(Attraction.objects.values_list("source_id", "uid"))
    edited = [SITES[0], (2, "Φρούριο της Λάρισας", *SITES[1][2:]), *SITES[2:6]]
    result, _said = _import(_geojson(tmp_path, [_feature(s) for s in edited], "v2.geojson"),
                            sz, "streamed", sync=True)
    assert {k: result.counts[k] for k in ("created", "updated", "unchanged", "retired")} == {
        "created": 0, "updated": 1, "unchanged": 5, "retired": 2}
    assert all(dict(Attraction.objects.values_list("source_id", "uid"))[k] == v
               for k, v in uids.items())


def test_a_damaged_geojson_larger_than_a_batch_is_refused_as_read_whole(tmp_path, partners,
                                                                       settings):
    path = _geojson(tmp_path, [_feature(s) for s in SITES])
    path.write_bytes(path.read_bytes()[:-40])  # cut in the last feature
    messages = []
    for size in (1000, 3):
        settings.ATLAS_IMPORT_BATCH_ROWS = size
        with pytest.raises(Refused) as exc:
            _import(path, partners["larissa"], "streamed")
        messages.append(exc.value.message.english)
    assert messages[0] == messages[1] and messages[0].startswith("sites.geojson: ")
    assert not Layer.objects.filter(slug="streamed").exists()
