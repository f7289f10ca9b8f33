"""A re-import logs what it changes of each row as it was (its before-image), in the
statement that changes it; undo puts exactly that back (Trust D5)."""

from __future__ import annotations

import json

import pytest
import shapely
from django.db import connection

from importers.models import RunChange
from importers.pipeline import ImportRequest, run_import, undo_last_import
from layers.models import Attraction, Layer, Trail
from tests.importers.builders import write_shapefile

pytestmark = pytest.mark.django_db

SITES = [(1, "Античен форум", 25.6264, 42.4271), (2, "Неолитни жилища", 25.6109, 42.4246),
         (3, "Регионален исторически музей", 25.6282, 42.4269)]


def _sites(folder, sites):
    return write_shapefile(folder, "sites", [shapely.Point(s[2], s[3]) for s in sites],
                           {"ID": [s[0] for s in sites], "IME": [s[1] for s in sites]},
                           epsg=4326, encoding="cp1251", keep_cpg=False)


def _trails(folder, lines):
    """Trails (id, name, [(lon, lat, z), ...])."""
    return write_shapefile(folder, "trails", [shapely.LineString(pts) for _, _, pts in lines],
                           {"ID": [t[0] for t in lines], "IME": [t[1] for t in lines]},
                           epsg=4326, encoding="cp1251", keep_cpg=False)


def _import(path, partner, kind="attractions", **kw):
    return run_import(ImportRequest(path=path, partner=partner, layer_slug="sz-" + kind,
                                    kind=kind, **kw))


def _rows(table: str, slug: str) -> dict[int, dict]:
    """Every column of every feature of the layer, geometries as EWKB hex."""
    geoms = {"layers_attraction": ("location", "footprint"),
             "layers_trail": ("geom", "display_geom")}[table]
    hexed = " || ".join(f"jsonb_build_object('{g}', encode(ST_AsEWKB(t.{g}), 'hex'))"
                        for g in geoms)
    with connection.cursor() as cur:
        cur.execute(f"SELECT t.id, to_jsonb(t) || {hexed} FROM {table} t "
                    "JOIN layers_layer l ON l.id = t.layer_id WHERE l.slug = %s", [slug])
        return {i: json.loads(r) if isinstance(r, str) else r for i, r in cur.fetchall()}


def test_undo_keeps_an_edit_made_after_the_import_to_a_field_the_file_does_not_carry(
        tmp_path, partners):
    """The log kept whole rows, and undo wrote them all back: an editor's website,
    added after the re-import, was lost to an undo of a file that has no website."""
    sz = partners["stara-zagora"]
    _import(_sites(tmp_path / "v1", SITES), sz)
    _import(_sites(tmp_path / "v2", [(1, "Форум", 25.6265, 42.4272), *SITES[1:]]), sz)
    forum = Attraction.objects.get(source_id="1")
    forum.website = "https://www.starazagora.bg"
    forum.save()

    undo_last_import(layer=Layer.objects.get(slug="sz-attractions"))

    forum.refresh_from_db()
    assert forum.name_bg == "Античен форум" and forum.location.x == pytest.approx(25.6264)
    assert forum.website == "https://www.starazagora.bg"


def test_the_log_keeps_of_each_row_what_the_run_wrote(tmp_path, partners):
    sz = partners["stara-zagora"]
    _import(_sites(tmp_path / "v1", SITES), sz)
    _import(_sites(tmp_path / "v2", [(1, "Форум", 25.6264, 42.4271), SITES[1]]), sz, sync=True)
    logged = {c.action: set(c.before) for c in RunChange.objects.all()}
    # The file carries the Bulgarian name (and the base name made from it), the point,
    # and the category the import gives every row; not the other translations, address...
    # With the footprint goes its thinned copy, which the refresh after the write redraws.
    assert logged["updated"] == {"name", "name_bg", "category", "location", "footprint",
                                 "display_footprint", "properties", "retired_at",
                                 "updated_at"}
    assert logged["retired"] == {"retired_at", "updated_at"}


def test_undo_restores_a_re_import_of_trails_exactly(tmp_path, partners, settings):
    """Changed lines, one thinned for display, one retired: every column as it was,
    the metrics the trigger computes and the thinned line included."""
    settings.ATLAS_DISPLAY_MAX_VERTICES = 10
    sz = partners["stara-zagora"]
    long_line = [(25.60 + i * 0.001, 42.43 + (i % 3) * 0.0005, 200.0 + i) for i in range(40)]
    first = [(1, "Към Аязмото", long_line), (2, "Към езерото", [(25.64, 42.41, 210.0),
                                                                   (25.66, 42.40, 240.0)]),
             (3, "Към върха", [(25.70, 42.50, 300.0), (25.72, 42.52, 600.0)])]
    _import(_trails(tmp_path / "v1", first), sz, kind="trails")
    before = _rows("layers_trail", "sz-trails")
    assert sum(r["display_geom"] is not None for r in before.values()) == 1
    moved = [(x + 0.002, y, z + 5) for x, y, z in long_line[:30]]
    second = [(1, "Към Аязмото", moved), (2, "Към езерото „Пролет“", first[1][2]),
              (4, "Нова пътека", [(25.80, 42.60, 100.0), (25.81, 42.61, 120.0)])]
    result = _import(_trails(tmp_path / "v2", second), sz, kind="trails", sync=True)
    assert (result.counts["created"], result.counts["updated"],
            result.counts["retired"]) == (1, 2, 1)
    assert _rows("layers_trail", "sz-trails") != before

    undo_last_import(layer=Layer.objects.get(slug="sz-trails"))

    assert _rows("layers_trail", "sz-trails") == before
    assert Trail.objects.get(source_id="1").length_m == pytest.approx(
        before[Trail.objects.get(source_id="1").pk]["length_m"])


def test_undo_of_a_run_logged_with_whole_rows_restores_them(tmp_path, partners):
    """Runs logged before the images were cut to what a run writes hold whole rows
    (to_jsonb of the row, geometries as hex): their undo still restores the layer."""
    sz = partners["stara-zagora"]
    _import(_sites(tmp_path / "v1", SITES), sz)
    before = _rows("layers_attraction", "sz-attractions")
    _import(_sites(tmp_path / "v2", [(1, "Форум", 25.6265, 42.4272), SITES[1]]), sz, sync=True)
    for change in RunChange.objects.all():
        change.before = before[change.feature_id]
        change.save()

    undo_last_import(layer=Layer.objects.get(slug="sz-attractions"))

    assert _rows("layers_attraction", "sz-attractions") == before
