"""manage.py backup and restore, as an operator runs them: real pg_dump and pg_restore,
real PostGIS, a restore into a second database of the test cluster."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from geo import pgcluster
from importers.models import ImportRun
from layers.models import Partner
from layers.vocabulary import LayerKind
from operations.archive import archive_write
from routes.models import PilotRoute
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode, RouteStatus
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = "/api/regional-layer/export/?format=geojson"
PHOTO = b"\xff\xd8\xff\xe0 not quite a JPEG, but bytes that must come back as they were"


def table_counts() -> dict[str, int]:
    """Rows of every table of the connected database (PostGIS's own left out, and the rate
    limits' counts, which the test's own requests write)."""
    with connection.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "'public' AND table_type = 'BASE TABLE' AND table_name <> "
                    "'spatial_ref_sys' AND table_name <> 'accounts_ratecount' ORDER BY 1")
        tables = [r[0] for r in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
    return counts


def regional_export() -> bytes:
    response = Client().get(EXPORT)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@contextmanager
def connected_to(name: str, user: str | None = None) -> Iterator[None]:
    """The platform's connection pointed at another database of the same server (as
    another role), as the commands and views find it in a deployment whose DATABASE_URL
    names that one."""
    keys = ("NAME", "USER", "PASSWORD")
    before = {k: connection.settings_dict[k] for k in keys}
    _reconnect()
    connection.settings_dict["NAME"] = name
    if user:  # the roles the tests make have their name as their password
        connection.settings_dict["USER"] = connection.settings_dict["PASSWORD"] = user
    try:
        yield
    finally:
        _reconnect()
        connection.settings_dict.update(before)


def _reconnect() -> None:
    """Close the connection and its pool: the pool keeps the database it was made for."""
    connection.close()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()


def load_source(media: Path, tmp: Path) -> None:
    """Partners, layers, attractions, trails, a published route, an import run, a user and
    an uploaded file."""
    sz = make_partner("stara-zagora")
    make_partner("sliven", bbox=(26.0, 42.4, 26.8, 42.9), name_bg="Сливен")
    places = make_layer(sz, LayerKind.ATTRACTIONS)
    trails = make_layer(sz, LayerKind.TRAILS)
    a = make_attraction(places, 25.62, 42.42, name_bg="Античен форум", name_en="Forum")
    b = make_attraction(places, 25.70, 42.45, name_bg="Гробница", name_en="Tomb")
    make_trail(trails, [(25.60, 42.40, 300.0), (25.65, 42.43, 420.0)], name_en="Ridge")
    route = PilotRoute.objects.create(slug="thracian", status=RouteStatus.PUBLISHED,
                                      title_en="Thracian")
    route.partners.add(sz)
    route_compose(route=route, stops=[StopSpec(a), StopSpec(b)], modes=[Mode.CAR])
    springs = tmp / "springs.geojson"
    springs.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "s1", "name": "Извор"},
         "geometry": {"type": "Point", "coordinates": [25.64, 42.41]}}]}), "utf-8")
    call_command("import_layer", str(springs), partner="stara-zagora", layer="springs",
                 kind="attractions", id_field="id", stdout=StringIO(), stderr=StringIO())
    User.objects.create_user("editor", "editor@example.org", "a long passphrase 41")
    (media / "listings").mkdir(parents=True)
    (media / "listings" / "hut.jpg").write_bytes(PHOTO)


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup of a small platform, with what the source held: its tables' counts and its
    regional GeoJSON export. The source is emptied after, as every test here starts."""
    tmp = tmp_path_factory.mktemp("backup")
    media = tmp / "media"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        try:
            load_source(media, tmp)
            assert ImportRun.objects.count() == 1
            counts, export = table_counts(), regional_export()
            out = StringIO()
            call_command("backup", output=str(tmp / "atlas.tar"), stdout=out)
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return {"archive": tmp / "atlas.tar", "counts": counts, "export": export,
            "output": out.getvalue(), "tmp": tmp}


@pytest.fixture
def fresh_db():
    """An empty database on the test cluster (no PostGIS yet: the restore adds it)."""
    name = f"{connection.settings_dict['NAME']}_restore"
    _drop_database(name)
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    _drop_database(name)


def _drop_database(name: str) -> None:
    """Drop ``name`` with whatever is still connected to it.

    FORCE ends the sessions a test left, but refuses, to a role that is not a superuser,
    an autovacuum worker, which a restore's thousands of new rows may have started
    (the worker has no role of ours): then a plain DROP, which stops such a worker itself.
    """
    with connection.cursor() as cur:
        try:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except ProgrammingError:  # InsufficientPrivilege, as Django wraps it
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')


def restore(archive: Path, database: str, media: Path, *args: str, user: str | None = None
            ) -> str:
    out = StringIO()
    with connected_to(database, user), override_settings(MEDIA_ROOT=str(media)):
        call_command("restore", str(archive), *args, stdout=out)
    return out.getvalue()


def copy(archive: Path, into: Path) -> Path:
    into.mkdir(exist_ok=True)
    shutil.copy(archive, into / archive.name)
    shutil.copy(f"{archive}.sha256", into / f"{archive.name}.sha256")
    return into / archive.name


def test_a_restore_into_a_fresh_database_gives_the_same_rows_export_and_files(
        source, fresh_db, tmp_path):
    counts = source["counts"]
    assert counts["layers_attraction"] == 3 and counts["layers_trail"] == 1
    assert counts["routes_pilotroute"] == 1 and counts["importers_importrun"] == 1
    assert counts["auth_user"] == 1 and counts["layers_partner"] == 2
    assert "Backup written:" in source["output"] and "1 uploaded file(s)" in source["output"]

    media = tmp_path / "media"
    said = restore(source["archive"], fresh_db, media)

    assert "the migrations match the code" in said
    with connected_to(fresh_db):
        assert table_counts() == counts
        restored_export = regional_export()
        assert Partner.objects.get(slug="sliven").name_bg == "Сливен"
        assert User.objects.get(username="editor").check_password("a long passphrase 41")
        route = PilotRoute.objects.get(slug="thracian")
        assert route.length_m and route.length_m > 5000
    assert hashlib.sha256(restored_export).hexdigest() == \
        hashlib.sha256(source["export"]).hexdigest()
    names = {value for f in json.loads(restored_export)["features"]
             for key, value in f["properties"].items() if key.startswith("name_")}
    assert {"Forum", "Tomb", "Ridge", "Thracian", "Извор"} <= names
    assert (media / "listings" / "hut.jpg").read_bytes() == PHOTO


def test_the_manifest_says_what_the_backup_holds(source, tmp_path):
    with tarfile.open(source["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.dump").read()
    assert manifest["database"]["postgis"].startswith("3.")
    assert manifest["database"]["postgresql"].startswith("15")
    assert set(manifest["database"]["extensions"]) == {"postgis", "pg_trgm"}
    assert "0001_initial" in manifest["migrations"]["layers"]
    assert manifest["counts"]["public.layers_attraction"] == 3
    assert manifest["members"]["database.dump"]["sha256"] == hashlib.sha256(dump).hexdigest()
    assert manifest["members"]["media/listings/hut.jpg"]["size"] == len(PHOTO)
    assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    digest = hashlib.sha256(source["archive"].read_bytes()).hexdigest()
    assert Path(f"{source['archive']}.sha256").read_text() == f"{digest}  atlas.tar\n"


def test_a_damaged_member_is_refused_by_name_and_nothing_is_touched(source, fresh_db,
                                                                     tmp_path):
    archive = copy(source["archive"], tmp_path / "damaged")
    with tarfile.open(archive) as tar:
        at = tar.getmember("database.dump").offset_data + 5000
    data = bytearray(archive.read_bytes())
    data[at] ^= 0xFF
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match=r"member database\.dump is damaged or was changed"):
        restore(archive, fresh_db, tmp_path / "media")
    with connected_to(fresh_db):
        assert table_counts() == {}
    assert not (tmp_path / "media").exists()


def test_a_changed_manifest_is_refused_by_the_archives_checksum(source, fresh_db, tmp_path):
    archive = copy(source["archive"], tmp_path / "forged")
    with tarfile.open(source["archive"]) as tar, tarfile.open(archive, "w") as out:
        for info in tar:
            body = tar.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(body)
                manifest["counts"]["public.auth_user"] = 0
                body = json.dumps(manifest).encode()
                info.size = len(body)
            out.addfile(info, BytesIO(body))

    with pytest.raises(CommandError, match="the archive was changed after it was made"):
        restore(archive, fresh_db, tmp_path / "media")
    with connected_to(fresh_db):
        assert table_counts() == {}


def test_a_database_with_tables_is_refused_without_force_and_replaced_with_it(
        source, fresh_db, tmp_path):
    media = tmp_path / "media"
    restore(source["archive"], fresh_db, media)
    with connected_to(fresh_db):
        make_partner("larissa", bbox=(21.9, 39.3, 23.0, 40.1))
        with connection.cursor() as cur:  # as a newer version's migration would leave it
            cur.execute("CREATE TABLE layers_newer (id int)")
    (media / "listings" / "new.jpg").write_bytes(b"uploaded after the backup")

    with pytest.raises(CommandError, match=r"holds \d+ tables.*Nothing was changed.*--force"):
        restore(source["archive"], fresh_db, media)
    with connected_to(fresh_db):
        assert Partner.objects.filter(slug="larissa").exists()

    said = restore(source["archive"], fresh_db, media, "--force")

    assert "replacing its" in said
    with connected_to(fresh_db):
        assert table_counts() == source["counts"]
        assert not Partner.objects.filter(slug="larissa").exists()
    assert sorted(p.name for p in (media / "listings").iterdir()) == ["hut.jpg"]
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("media.replaced-")]
    assert len(aside) == 1 and (aside[0] / "listings" / "new.jpg").is_file()


def test_a_backup_of_an_older_version_is_restored_then_migrated(source, fresh_db, tmp_path):
    media = tmp_path / "media"
    restore(source["archive"], fresh_db, media)
    with connected_to(fresh_db):
        # The platform as it was before the planner kept its diagram of the sites.
        call_command("migrate", "coverage", "0002", verbosity=0)
        call_command("backup", output=str(tmp_path / "older.tar"), stdout=StringIO())
        call_command("migrate", verbosity=0)  # the deployment is upgraded, then restores

    said = restore(tmp_path / "older.tar", fresh_db, media, "--force")

    assert "The backup is of an older version: applying" in said
    assert "coverage.0003_site_diagram" in said
    with connected_to(fresh_db):
        assert ("coverage", "0003_site_diagram") in \
            MigrationRecorder(connection).applied_migrations()
        assert table_counts() == source["counts"]


def test_a_backup_of_a_newer_version_is_refused(source, fresh_db, tmp_path):
    unpacked = tmp_path / "unpacked"
    with tarfile.open(source["archive"]) as tar:
        tar.extractall(unpacked, filter="data")
    manifest = json.loads((unpacked / "manifest.json").read_text())
    manifest["migrations"]["layers"].append("0099_from_the_future")
    newer = tmp_path / "newer.tar"
    archive_write(output=newer, manifest=manifest, members=[
        (name, unpacked / name) for name in manifest.pop("members")])

    with pytest.raises(CommandError, match=r"made by a newer version of the platform .*"
                                           r"layers\.0099_from_the_future"):
        restore(newer, fresh_db, tmp_path / "media")
    with connected_to(fresh_db):
        assert table_counts() == {}


@pytest.fixture
def owned_db():
    """A database owned by a role that is not a superuser, in which an administrator
    installed PostGIS and pg_trgm: a production server's (Trust D15)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("makes a role, which needs the local cluster's superuser: DATABASE_URL "
                    "gives none")
    name, role = f"{connection.settings_dict['NAME']}_restore_owned", "atlas_restore_owner"

    # Roles are the cluster's superuser's to make: the platform's own roles may not.
    def drop():
        pgcluster.superuser_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pgcluster.superuser_sql(f'DROP ROLE IF EXISTS "{role}"')

    drop()
    pgcluster.superuser_sql(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                            f"PASSWORD '{role}'")
    pgcluster.superuser_sql(f'CREATE DATABASE "{name}" OWNER "{role}"')
    pgcluster.superuser_sql("CREATE EXTENSION IF NOT EXISTS postgis; "
                            "CREATE EXTENSION IF NOT EXISTS pg_trgm", db=name)
    yield name, role
    connection.close()
    drop()


def test_a_role_without_superuser_rights_restores_into_a_database_made_for_it(
        source, owned_db, tmp_path):
    name, role = owned_db

    said = restore(source["archive"], name, tmp_path / "media", user=role)

    assert "the migrations match the code" in said
    with connected_to(name, role):
        assert table_counts() == source["counts"]
        assert hashlib.sha256(regional_export()).digest() == \
            hashlib.sha256(source["export"]).digest()
