"""A shapefile of more features than a batch (ATLAS_IMPORT_BATCH_ROWS) is read, normalised
and staged a batch at a time, its checks across rows made in SQL (decision 0019): it must
give what the same file read whole gives. Batches of 2 rows here; the memory it saves is
measured by the scale benchmark (tests/bench/scale.py)."""

from __future__ import annotations

import pytest
import shapely
from django.db import connection

from importers.exceptions import Refused, RowErrors
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Layer
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

# (id, name, category, lon, lat, visitors) in Stara Zagora; rows 6 and 8 hold a category
# the mapping does not know, rows 3 and 7 no name, and VISITORS is empty in the first batch.
SITES = [
    (1, "Античен форум", "museum", 25.6264, 42.4271, None),
    (2, "Неолитни жилища", "museum", 25.6109, 42.4246, None),
    (3, "", "park", 25.6282, 42.4269, 40),
    (4, "Аязмото", "park", 25.6182, 42.4339, 120),
    (5, "Зоопарк", "zoo", 25.6124, 42.4381, 300),
    (6, "Тракийска гробница", "tomb-ish", 25.6300, 42.4300, 5),
    (7, "", "church", 25.6250, 42.4250, 9),
    (8, "Мечи дол", "tomb-ish", 25.6000, 42.4400, 11),
]


def _shp(folder, sites, *, ids=True):
    columns = {"IME": [s[1] for s in sites], "TYPE": [s[2] for s in sites],
               "VISITORS": [("" if s[5] is None else str(s[5])) for s in sites]}
    if ids:
        columns = {"ID": [s[0] for s in sites], **columns}
    return write_shapefile(folder, "sites", [shapely.Point(s[3], s[4]) for s in sites],
                           columns, epsg=4326, encoding="cp1251", keep_cpg=False)


def _import(path, partner, slug="sz-sites", **kw):
    said: list[str] = []
    result = run_import(ImportRequest(path=path, partner=partner, layer_slug=slug,
                                      kind="attractions", field_map={"category": "TYPE"}, **kw),
                        said.append)
    return result, said


def _features(slug):
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.source_id, a.name, a.name_bg, a.category, a.properties, a.search,
                   ST_AsText(a.location), a.retired_at IS NOT NULL
            FROM layers_attraction a JOIN layers_layer l ON l.id = a.layer_id
            WHERE l.slug = %s ORDER BY a.source_id""", [slug])
        return cur.fetchall()


def _report(result):
    return (result.counts, sorted(str(i) for i in result.issues),
            [n.english for n in result.notes], result.preview, result.id_field, result.mapping)


@pytest.fixture
def batches_of_two(settings):
    settings.ATLAS_IMPORT_BATCH_ROWS = 2


def _whole_then_streamed(settings, path, partner, **kw):
    settings.ATLAS_IMPORT_BATCH_ROWS = 1000
    whole, said_whole = _import(path, partner, slug="sz-whole", **kw)
    settings.ATLAS_IMPORT_BATCH_ROWS = 2
    streamed, said = _import(path, partner, slug="sz-streamed", **kw)
    return whole, said_whole, streamed, said


def test_a_file_larger_than_a_batch_gives_what_it_gives_read_whole(tmp_path, partners,
                                                                   settings):
    whole, said_whole, streamed, said = _whole_then_streamed(
        settings, _shp(tmp_path, SITES), partners["stara-zagora"])
    assert "normalising 8 features in batches of 2" in said
    assert not any("batches" in s for s in said_whole)
    assert _report(streamed) == _report(whole)
    assert streamed.counts["created"] == 8
    assert _features("sz-streamed") == _features("sz-whole")
    props = dict(Attraction.objects.filter(layer__slug="sz-streamed")
                 .values_list("source_id", "properties"))
    assert props["1"] == {} and props["4"]["VISITORS"] == "120"
    # The warnings of several batches are one, naming the rows of the file.
    warnings = [str(i) for i in streamed.issues if i.field == "TYPE"]
    assert warnings == ["sites.shp, layer sites, rows 6, 8, TYPE: 'tomb-ish' is not a known "
                        "category; stored as attraction, the original kept in properties"]


def test_a_reimport_in_batches_counts_and_retires_exactly(tmp_path, partners, batches_of_two):
    sz = partners["stara-zagora"]
    _import(_shp(tmp_path / "v1", SITES), sz)
    uids = dict(Attraction.objects.values_list("source_id", "uid"))
    edited = [SITES[0], (2, "Музей „Неолитни жилища“", *SITES[1][2:]), *SITES[2:6],
              (9, "Езерото", "park", 25.6400, 42.4100, 1)]
    result, _said = _import(_shp(tmp_path / "v2", edited), sz, sync=True)
    assert {k: result.counts[k] for k in ("created", "updated", "unchanged", "retired")} == {
        "created": 1, "updated": 1, "unchanged": 5, "retired": 2}
    after = dict(Attraction.objects.values_list("source_id", "uid"))
    assert all(after[k] == v for k, v in uids.items())
    assert set(Attraction.objects.filter(retired_at__isnull=False)
               .values_list("source_id", flat=True)) == {"7", "8"}


def test_an_id_given_twice_in_two_batches_is_a_row_error_naming_the_files_rows(
        tmp_path, partners, batches_of_two):
    sites = [*SITES[:4], (1, "Друго", "park", 25.62, 42.43, 1), *SITES[4:]]
    with pytest.raises(RowErrors) as exc:
        _import(_shp(tmp_path, sites), partners["stara-zagora"], id_field="ID")
    assert [str(i) for i in exc.value.issues] == [
        "sites.shp, layer sites, row 5, ID: id '1' is also on row 1"]
    assert not Layer.objects.filter(slug="sz-sites").exists()
    assert ImportRun.objects.get().status == "failed"
    result, _said = _import(_shp(tmp_path, sites), partners["stara-zagora"], id_field="ID",
                            skip_invalid=True)
    assert result.counts["skipped"] == 1 and result.counts["created"] == 8
    assert Attraction.objects.get(source_id="1").name_bg == "Античен форум"


def test_equal_geometries_without_ids_are_numbered_across_batches(tmp_path, partners,
                                                                  settings):
    sites = [*SITES[:3], (0, "Копие", "park", *SITES[0][3:])]
    whole, _s, streamed, _said = _whole_then_streamed(
        settings, _shp(tmp_path, sites, ids=False), partners["stara-zagora"])
    assert whole.id_field is None and streamed.id_field is None
    assert _features("sz-streamed") == _features("sz-whole")
    assert any(sid.endswith("~2") for sid, *_rest in _features("sz-streamed"))


def test_rows_beyond_the_territory_are_refused_with_their_rows(tmp_path, partners,
                                                               batches_of_two):
    sites = [*SITES[:5], (9, "Sliven", "park", 26.7, 43.0, 1), (10, "Sea", "park", 20.0, 35.0,
                                                                    1)]
    with pytest.raises(Refused, match=r"2 of 7 features lie outside the territory of .* "
                                      r"\(rows 6, 7\)"):
        _import(_shp(tmp_path, sites), partners["stara-zagora"])
    assert not Layer.objects.filter(slug="sz-sites").exists()
    result, _said = _import(_shp(tmp_path, sites), partners["stara-zagora"],
                            allow_outside=True, new_layer_public=False)
    assert result.outside_count == 2
    assert result.outside == [{"row": 6, "name": "Sliven"}, {"row": 7, "name": "Sea"}]
    assert result.uninvited == {partners["sliven"].name or "sliven": 1}


def test_a_dry_run_in_batches_writes_nothing(tmp_path, partners, batches_of_two):
    result, _said = _import(_shp(tmp_path, SITES), partners["stara-zagora"], dry_run=True)
    assert result.counts["created"] == 8 and result.feature_count == 8
    assert [row["row"] for row in result.preview] == [1, 2, 3, 4, 5]
    assert not Attraction.objects.exists()
