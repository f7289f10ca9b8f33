"""manage.py import_layer / undo_import as a GIS specialist runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from layers.models import Attraction
from tests.importers.builders import write_shapefile

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a child process against the test database."""
    s = connection.settings_dict
    url = f"postgis://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PGPASSWORD": s["PASSWORD"] or ""}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def sites(tmp_path):
    names = ["Château de Grignan", "Palais idéal du facteur Cheval", "Tour de Crest",
             "Kiosque Peynet", "Maison des Têtes", "Forêt de Saoû"]
    points = [shapely.Point(4.909 + i * 0.01, 44.419 + i * 0.01) for i in range(6)]
    return write_shapefile(tmp_path, "sites", points, {"NOM": names, "GID": list(range(6))},
                           epsg=4326, encoding="cp1252", keep_cpg=False)


def test_dry_run_shows_what_would_be_stored(partners, sites):
    done = manage("import_layer", str(sites), "--partner", "drome", "--layer", "drome-sites",
                  "--kind", "attractions", "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "format    ESRI Shapefile" in out
    assert "encoding  cp1252 (no .cpg and no code page in the DBF header" in out
    assert "CRS       EPSG:4326" in out
    assert "name_fr <- NOM" in out and "id        GID" in out
    assert out.count("'row': ") == 5  # five sample rows
    assert "'name_fr': 'Château de Grignan'" in out
    assert "Dry run: nothing was written." in out
    assert not Attraction.objects.exists()


def test_import_prints_a_summary_table_and_undo_reverts(partners, sites):
    done = manage("import_layer", str(sites), "--partner", "drome", "--layer", "drome-sites",
                  "--kind", "attractions")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "created" in line and "unchanged" in line)
    assert lines[header + 1].split() == ["6", "6", "0", "0", "0", "0", "0"]
    assert Attraction.objects.count() == 6
    undone = manage("undo_import", "--layer", "drome-sites")
    assert undone.returncode == 0 and "6 created features removed" in undone.stdout
    assert not Attraction.objects.exists()


def test_a_refusal_exits_non_zero_with_the_reason_on_stderr(partners, tmp_path):
    shp = write_shapefile(tmp_path, "noprj", [shapely.Point(850_000, 6_366_000)], {"NOM": ["x"]},
                          epsg=None)
    done = manage("import_layer", str(shp), "--partner", "drome", "--layer", "l",
                  "--kind", "attractions")
    assert done.returncode != 0
    assert "noprj.shp: the file does not say its coordinate reference system" in done.stderr
    assert "EPSG:2154" in done.stderr  # Lambert-93 would place it in the Drôme


def test_invalid_rows_are_listed_with_file_row_and_field(partners, tmp_path):
    shp = write_shapefile(tmp_path, "holes", [shapely.Point(5.0, 44.7), None],
                          {"NOM": ["a", "b"]}, epsg=4326)
    done = manage("import_layer", str(shp), "--partner", "drome", "--layer", "l",
                  "--kind", "attractions")
    assert done.returncode != 0
    assert "holes.shp, layer holes, row 2, geometry: no geometry" in done.stderr
    assert "--skip-invalid" in done.stderr
    ok = manage("import_layer", str(shp), "--partner", "drome", "--layer", "l",
                "--kind", "attractions", "--skip-invalid")
    assert ok.returncode == 0 and "skipped   holes.shp, layer holes, row 2" in ok.stdout
    assert Attraction.objects.count() == 1


def test_unknown_partner_and_bad_map_are_explained(partners, sites):
    done = manage("import_layer", str(sites), "--partner", "athens", "--layer", "l",
                  "--kind", "attractions")
    assert done.returncode != 0 and "no partner 'athens'" in done.stderr
    done = manage("import_layer", str(sites), "--partner", "drome", "--layer", "l",
                  "--kind", "attractions", "--map", "name_fr")
    assert done.returncode != 0 and "write FIELD=COLUMN" in done.stderr


def test_the_command_line_speaks_english_whatever_language_is_active(partners, sites):
    out = StringIO()
    with translation.override("fr"):  # as a web process serving a French page would have it
        call_command("import_layer", str(sites), partner="drome", layer="drome-sites",
                     kind="attractions", dry_run=True, stdout=out, verbosity=0)
    text = out.getvalue()
    assert "CRS       EPSG:4326 (WGS 84) (from the .prj file)" in text
    assert "encoding  cp1252 (no .cpg and no code page in the DBF header; the bytes read as " \
           "Latin text in cp1252)" in text
    assert "d’après" not in text


def test_a_layers_own_export_imports_back_by_its_public_ids(partners, sites, client, tmp_path):
    assert manage("import_layer", str(sites), "--partner", "drome", "--layer", "drome-sites",
                  "--kind", "attractions").returncode == 0
    export = tmp_path / "drome-sites.zip"
    export.write_bytes(client.get("/api/layers/drome-sites/export/", {"format": "shp"}).getvalue())
    done = manage("import_layer", str(export), "--partner", "drome", "--layer", "drome-sites",
                  "--kind", "attractions")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "id        source_id" in out
    assert ("note      drome-sites.zip/drome-sites_attractions.shp: column 'id' holds the "
            "platform's public ids: 6 feature(s) of layer 'drome-sites' matched by them; not "
            "stored as an attribute") in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if "created" in line and "unchanged" in line)
    assert lines[header + 1].split() == ["6", "0", "0", "6", "0", "0", "0"]
    assert not Attraction.objects.filter(properties__has_key="id").exists()
