"""The importers refresh a layer's statistics as the site's role, which owns no table
(Trust D5): through ``atlas_analyze`` (importers migration 0005), for the feature tables
only, and only for a role that may write them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.db import connection

from geo import pgcluster
from tests.factories import make_partner

ROOT = Path(__file__).resolve().parents[2]


def _app() -> dict:
    """The site's role (the settings' ``app`` URL), on the test database."""
    app = dj_database_url.parse(settings.ATLAS_DATABASE_URLS["app"])
    if app["USER"] == connection.settings_dict["USER"]:
        pytest.skip("one role is both the site's and the tables' owner (DATABASE_URL alone): "
                    "it may ANALYZE itself")
    return {**app, "NAME": connection.settings_dict["NAME"]}


@contextmanager
def _connected(user: str, password: str) -> Iterator[psycopg.Connection]:
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=user, password=password,
                         dbname=db["NAME"], autocommit=True) as conn:
        yield conn


def _analyses(table: str) -> int:
    """ANALYZEs of ``table`` run by a command (autovacuum's are counted apart)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cur.fetchone()[0]


@pytest.mark.django_db
def test_the_sites_role_refreshes_a_feature_tables_statistics_through_atlas_analyze():
    app = _app()
    with _connected(app["USER"], app["PASSWORD"]) as conn:
        before = _analyses("layers_trail")
        conn.execute("ANALYZE layers_trail")  # not the owner: skipped, with a warning
        assert _analyses("layers_trail") == before
        conn.execute("SELECT atlas_analyze('layers_trail')")
        assert _analyses("layers_trail") == before + 1
        conn.execute("SELECT atlas_analyze('layers_trail', ARRAY['layer_id', 'source_id'])")
        assert _analyses("layers_trail") == before + 2


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["layers_layer", "auth_user", "importers_importrun",
                                    "pg_catalog.pg_class", "layers_attraction_id_seq"])
def test_atlas_analyze_refuses_any_table_but_the_feature_tables(target):
    app = _app()
    with _connected(app["USER"], app["PASSWORD"]) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="feature tables only"):
        conn.execute("SELECT atlas_analyze(%s::regclass)", [target])


@pytest.mark.django_db
def test_a_temporary_table_named_as_a_feature_table_is_refused():
    app = _app()
    with _connected(app["USER"], app["PASSWORD"]) as conn:
        # The session's temporary tables come first in its search path.
        conn.execute("CREATE TEMP TABLE layers_attraction (id int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="feature tables only"):
            conn.execute("SELECT atlas_analyze('layers_attraction')")


@pytest.mark.django_db
def test_atlas_analyze_refuses_columns_the_table_lacks():
    app = _app()
    with _connected(app["USER"], app["PASSWORD"]) as conn, pytest.raises(
            psycopg.errors.UndefinedColumn):
        conn.execute("SELECT atlas_analyze('layers_trail', ARRAY['layer_id', 'x); DROP'])")


@pytest.fixture
def reader():
    """A role that may connect, and not write the feature tables (the cluster's
    superuser makes it: the platform's roles may not)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("makes a role, which needs the local cluster's superuser: DATABASE_URL "
                    "gives none")
    role = "atlas_statistics_reader"
    pgcluster.superuser_sql(f'DROP ROLE IF EXISTS "{role}"')
    pgcluster.superuser_sql(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{role}'")
    pgcluster.superuser_sql(f'GRANT SELECT ON layers_trail TO "{role}"',
                            db=connection.settings_dict["NAME"])
    yield role
    pgcluster.superuser_sql(f'REVOKE ALL ON layers_trail FROM "{role}"',
                            db=connection.settings_dict["NAME"])
    pgcluster.superuser_sql(f'DROP ROLE IF EXISTS "{role}"')


@pytest.mark.django_db
def test_a_role_that_may_not_write_a_feature_table_may_not_refresh_it(reader):
    with _connected(reader, reader) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="may not write"):
        conn.execute("SELECT atlas_analyze('layers_trail')")


@pytest.mark.django_db(transaction=True)
def test_an_import_as_the_sites_role_refreshes_the_layers_statistics(tmp_path):
    """As the site's role the import's ANALYZE was skipped with a warning: a re-import
    straight after planned on statistics that had never seen the layer."""
    app = _app()
    make_partner("larissa", bbox=(21.6, 39.1, 23.1, 40.2), country="GR",
                 languages=["el", "en"])
    n = 1_500
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": i, "name_el": f"Σημείο {i}"},
         "geometry": {"type": "Point", "coordinates": [22.0 + i * 1e-4, 39.5]}}
        for i in range(n)]}))
    before = _analyses("layers_attraction")
    url = (f"postgis://{quote(app['USER'])}:{quote(app['PASSWORD'], safe='')}@{app['HOST']}:"
           f"{app['PORT']}/{app['NAME']}")

    done = subprocess.run(
        [sys.executable, "manage.py", "import_layer", str(path), "--partner", "larissa",
         "--layer", "larissa-points", "--kind", "attractions", "--verbosity", "0"],
        cwd=ROOT, env={**os.environ, "ATLAS_DB_ROLE": "app", "DATABASE_URL": url},
        capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stderr
    assert _analyses("layers_attraction") > before
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM layers_layer WHERE slug = 'larissa-points'")
        layer_id = cur.fetchone()[0]
        cur.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM layers_attraction WHERE layer_id = %s",
                    [layer_id])
        plan = cur.fetchone()[0]
    estimate = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
    assert n / 2 <= estimate <= n * 2  # the planner knows the layer's size


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["transit_stoptime", "transit_trip", "transit_calendardate"])
def test_the_sites_role_refreshes_the_transit_tables_statistics(table):
    # A GTFS feed goes in as the site's role: its ANALYZE was skipped, and the
    # departures' joins waited for autovacuum's count (transit migration 0002).
    app = _app()
    with _connected(app["USER"], app["PASSWORD"]) as conn:
        before = _analyses(table)
        conn.execute("SELECT atlas_analyze(%s::regclass)", [table])
        assert _analyses(table) == before + 1
