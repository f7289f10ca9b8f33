"""A GPX of more waypoints, tracks and routes than a batch (ATLAS_IMPORT_BATCH_ROWS) is read
a batch at a time (its waypoints, tracks, then routes, as a whole read orders them),
staged batch by batch and checked across rows in SQL (decision 0027): it must give what
the same file read whole gives. Batches of 3 rows here."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from importers.exceptions import RowErrors
from importers.models import ImportRun
from importers.pipeline import ImportRequest, run_import
from layers.models import Layer
from tests.importers.builders import gpx

pytestmark = pytest.mark.django_db

WAYPOINTS = [("Château de Grignan", 4.9080, 44.4197, "210"),
             ("Saoû", 5.0620, 44.6510, None),
             ("Crest", 5.0226, 44.7283, "196"),
             ("Dieulefit", 5.0614, 44.5255, None),
             ("Nyons", 5.1406, 44.3606, "271")]


def _wpt(name: str, lon: float, lat: float, ele: str | None) -> str:
    return (f'<wpt lat="{lat}" lon="{lon}"><name>{name}</name>'
            + (f"<ele>{ele}</ele>" if ele else "") + "<sym>Castle</sym></wpt>")


def _points(tag: str, start: tuple[float, float], n: int = 4, step: float = 0.01) -> str:
    return "".join(f'<{tag} lat="{start[1] + i * step}" lon="{start[0] + i * step}">'
                   f"<ele>{300 + i}</ele></{tag}>" for i in range(n))


def _file(folder, waypoints=WAYPOINTS, name: str = "drome.gpx"):
    body = "".join(_wpt(*w) for w in waypoints)
    # A route that follows the first track (left out, with a note), and one of its own.
    body += f"<rte><name>Along the ridge</name>{_points('rtept', (5.00, 44.60))}</rte>"
    body += f"<rte><name>Other way</name>{_points('rtept', (4.80, 44.90))}</rte>"
    body += (f"<trk><name>Ridge</name><trkseg>{_points('trkpt', (5.00, 44.60))}</trkseg>"
             "<trkseg></trkseg></trk>")
    body += f"<trk><name>Valley</name><trkseg>{_points('trkpt', (5.20, 44.50))}</trkseg></trk>"
    body += "<trk><name>Empty</name></trk>"
    path = folder / name
    path.write_text(gpx(body), encoding="utf-8")
    return path


def _import(path, partner, slug: str, kind: str, **kw):
    said: list[str] = []
    result = run_import(ImportRequest(path=path, partner=partner, layer_slug=slug, kind=kind,
                                      **kw), said.append)
    return result, said


def _features(slug: str, table: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT a.source_id, a.name, a.properties, ST_AsText(a.geom)
            FROM (SELECT source_id, name, properties, layer_id,
                         {'location' if table == 'layers_attraction' else 'geom'} AS geom
                  FROM {table}) a JOIN layers_layer l ON l.id = a.layer_id
            WHERE l.slug = %s ORDER BY a.source_id""", [slug])
        return cur.fetchall()


def _report(result) -> tuple:
    return (result.counts, sorted(str(i) for i in result.issues),
            sorted(n.english for n in result.notes),
            json.dumps(result.preview, default=repr, sort_keys=True), result.id_field,
            result.mapping, result.crs, result.encoding)


@pytest.mark.parametrize(("kind", "table", "created"), [
    ("attractions", "layers_attraction", 5), ("trails", "layers_trail", 3)])
def test_a_gpx_larger_than_a_batch_gives_what_it_gives_read_whole(
        tmp_path, partners, settings, kind, table, created):
    path = _file(tmp_path)
    settings.ATLAS_IMPORT_BATCH_ROWS = 1000
    whole, said_whole = _import(path, partners["drome"], "whole", kind)
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    streamed, said = _import(path, partners["drome"], "streamed", kind)
    assert not any("batches" in s for s in said_whole)
    assert "normalising 10 features in batches of 3" in said
    assert _report(streamed) == _report(whole)
    assert streamed.counts["created"] == created
    assert _features("streamed", table) == _features("whole", table)
    notes = [n.english for n in streamed.notes]
    assert any("route 1 (Along the ridge) follows a track" in n for n in notes)
    assert any("track 3 (Empty) has no points" in n for n in notes)


def test_a_name_given_twice_in_the_last_batch_rolls_back_every_batch_and_names_its_row(
        tmp_path, partners, settings):
    settings.ATLAS_IMPORT_BATCH_ROWS = 3
    waypoints = [*WAYPOINTS, ("Crest", 5.03, 44.73, None)]  # row 6, in the second batch
    with pytest.raises(RowErrors) as exc:
        _import(_file(tmp_path, waypoints), partners["drome"], "streamed", "attractions",
                id_field="name")
    assert [str(i) for i in exc.value.issues] == [
        "drome.gpx, layer drome, row 6, name: id 'Crest' is also on row 3"]
    assert not Layer.objects.filter(slug="streamed").exists()
    assert ImportRun.objects.get().status == "failed"


def test_a_gpx_column_that_only_a_later_batch_holds_is_read_as_whole(tmp_path, partners,
                                                                     settings):
    # <desc> only from row 4 on: the first batch has no value of the id column at all.
    body = "".join(f'<wpt lat="{lat}" lon="{lon}"><name>{name}</name>'
                   + (f"<desc>d{i}</desc>" if i >= 3 else "") + "</wpt>"
                   for i, (name, lon, lat, _ele) in enumerate(WAYPOINTS))
    path = tmp_path / "desc.gpx"
    path.write_text(gpx(body), encoding="utf-8")
    reports = []
    for slug, size in (("whole", 1000), ("streamed", 3)):
        settings.ATLAS_IMPORT_BATCH_ROWS = size
        result, _said = _import(path, partners["drome"], slug, "attractions",
                                id_field="desc", skip_invalid=True)
        reports.append(_report(result))
    assert reports[1] == reports[0]
    assert _features("streamed", "layers_attraction") == _features("whole",
                                                                   "layers_attraction")
    assert [r[0] for r in _features("streamed", "layers_attraction")] == ["d3", "d4"]
