"""Imports run off the request, by the background worker (Trust D9, section 5).

Before: the import ran inside the web request, so a big one held a gunicorn worker until
its timeout and became a 500 with no run recorded, while the database went on writing
with the layer's lock for a client that was gone. Now the request answers 202 with the
run's URL at once, the run says where it is, it can be cancelled (its running statement
too), and its failure is recorded on it.

The first tests run the real worker (``manage.py procrastinate worker``) in a process of
its own against the test database; the others run the worker's task function in the
test's transaction (tests.factories.run_queued_imports).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import nullcontext

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from geo.middleware import DatabaseTimeouts
from importers import jobs, previews, services
from importers.models import ImportPreview, ImportRun
from layers.models import Attraction, Layer
from tests.factories import make_layer, make_token, run_queued_imports, run_queued_previews


def _member(name: str, partner) -> User:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(partner.editors)
    return user


def _auth(user: User, scope: str = "write") -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {make_token(user, scope)}"}


def _geojson(n: int) -> bytes:
    features = [{"type": "Feature", "properties": {"id": i, "name": f"Site {i}"},
                 "geometry": {"type": "Point", "coordinates": [25.5 + i / 100, 42.4]}}
                for i in range(n)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _form(partner, data: bytes, layer: str = "sz-sites") -> dict:
    return {"file": SimpleUploadedFile("sites.geojson", data, "application/geo+json"),
            "partner": partner.pk, "layer": layer, "kind": "attractions"}


def _worker() -> subprocess.Popen[bytes]:
    """The real worker, as ``make demo`` and the deployment run it, on the test database;
    ``--one-shot``: it stops once the queue is empty."""
    db = connection.settings_dict
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DATABASE_URL=url, ATLAS_DB_ROLE="app",
               ATLAS_UPLOAD_DIR=str(settings.ATLAS_UPLOAD_DIR))
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finished(worker: subprocess.Popen[bytes], timeout: float = 120) -> None:
    try:
        worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
        pytest.fail("the worker did not finish the queue in time")
    assert worker.returncode == 0, worker.stderr.read().decode()[-2000:] if worker.stderr \
        else worker.returncode


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "pool"):
        params.pop(key, None)
    return psycopg.connect(**params)


@pytest.mark.django_db(transaction=True)
def test_an_api_import_is_queued_at_once_then_run_by_the_worker(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    auth = _auth(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(5)),
                           **auth)
    assert response.status_code == 202, response.content
    queued = response.json()
    assert response["Location"] == f"/api/imports/{queued['id']}/"
    assert queued["url"].endswith(response["Location"]) and queued["status"] == "queued"
    assert not Attraction.objects.exists()
    # A dry run is the worker's too (importers.previews): the same worker runs both.
    dry = client.post("/api/imports/", {**_form(partners["stara-zagora"], _geojson(3),
                                                layer="sz-other"), "dry_run": "true"}, **auth)
    assert dry.status_code == 202 and dry.json()["status"] == "queued"

    worker = _worker()
    _finished(worker)

    preview = client.get(dry["Location"], **auth).json()
    assert preview["status"] == "done" and preview["counts"]["created"] == 3, preview
    assert not Layer.objects.filter(slug="sz-other").exists()  # a preview writes nothing
    token = dry["Location"].rstrip("/").split("/")[-1]
    assert (services.pending_dir() / token).exists()  # kept for the confirmation

    run = client.get(response["Location"], **auth).json()
    assert run["status"] == "succeeded", run
    assert run["counts"]["created"] == 5 and run["user"] == "ivana"
    assert Attraction.objects.filter(layer__slug="sz-sites").count() == 5
    upload = ImportRun.objects.get(pk=queued["id"]).upload_token
    assert not (services.pending_dir() / upload).exists()  # the worker deleted the upload

    # The undo is the worker's too (importers.undos), in the name of who asked.
    undo = client.post(f"/api/imports/{queued['id']}/undo/", **auth)
    assert undo.status_code == 202 and undo.json()["status"] == "undoing"
    _finished(_worker())
    assert client.get(response["Location"], **auth).json()["status"] == "undone"
    assert not Attraction.objects.filter(layer__slug="sz-sites").exists()


def _waiting_on_a_lock(run_id: int, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity "
                           "WHERE application_name = %s", [jobs.application_name(run_id)])
            if ("Lock",) in cursor.fetchall():
                return
        if worker.poll() is not None:
            pytest.fail("the worker ended before it waited for the layer")
        time.sleep(0.05)
    pytest.fail("the worker was not seen waiting for the layer's lock")


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_running_import_stops_its_statement_and_writes_nothing(
        client, partners):
    sz = partners["stara-zagora"]
    ivana = _member("ivana", sz)
    layer = make_layer(sz, slug="sz-sites")
    # Another session holds the layer, as a long import of it would: the worker's write
    # waits in a statement (the layer's SELECT ... FOR UPDATE) that only a cancel ends.
    holder = _other_connection()
    holder.execute("SELECT 1 FROM layers_layer WHERE id = %s FOR UPDATE", [layer.pk])
    worker = _worker()
    try:
        response = client.post("/api/imports/", _form(sz, _geojson(5)), **_auth(ivana))
        run_id = response.json()["id"]
        _waiting_on_a_lock(run_id, worker)

        cancel = client.delete(f"/api/imports/{run_id}/", **_auth(ivana))
        # 202: asked to stop. The worker may stop before the answer reads the run back,
        # and the answer then says so (200, cancelled): both are the cancel of a run
        # that was running, never a queued run's (the run was seen waiting in its write).
        assert (cancel.status_code, cancel.json()["status"]) in (
            (202, "running"), (200, "cancelled")), cancel.content
        assert cancel.json()["cancel_requested"] is True
        _finished(worker, timeout=30)
    finally:
        holder.close()
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    run = client.get(f"/api/imports/{run_id}/", **_auth(ivana)).json()
    assert run["status"] == "cancelled"
    assert not Attraction.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                       [jobs.application_name(run_id)])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_a_failed_import_is_recorded_on_its_run_with_the_reason(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    response = client.post("/api/imports/", _form(partners["stara-zagora"], b"junk"),
                           **_auth(ivana))
    assert response.status_code == 202
    run_queued_imports()
    run = client.get(response["Location"], {"lang": "fr"}, **_auth(ivana)).json()
    assert run["status"] == "failed" and run["error"]
    assert not Attraction.objects.exists()


@pytest.mark.django_db
def test_a_queued_import_cancelled_never_runs(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    auth = _auth(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(3)),
                           **auth)
    run_id = response.json()["id"]
    cancelled = client.post(f"/api/imports/{run_id}/cancel/", **auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    run_queued_imports()
    assert ImportRun.objects.get(pk=run_id).status == "cancelled"
    assert not Attraction.objects.exists()
    upload = ImportRun.objects.get(pk=run_id).upload_token
    assert not (services.pending_dir() / upload).exists()
    again = client.delete(f"/api/imports/{run_id}/", **auth)
    assert again.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize("who, expected", [
    ("other partner's editor", 404), ("read-scope token", 403), ("editor", 200)])
def test_who_may_cancel_an_import(client, partners, who, expected):
    ivana = _member("ivana", partners["stara-zagora"])
    petar = _member("petar", partners["sliven"])
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(3)),
                           **_auth(ivana))
    run_id = response.json()["id"]
    auth = {"other partner's editor": _auth(petar), "read-scope token": _auth(ivana, "read"),
            "editor": _auth(ivana)}[who]
    assert client.delete(f"/api/imports/{run_id}/", **auth).status_code == expected
    status = ImportRun.objects.get(pk=run_id).status
    assert status == ("cancelled" if expected == 200 else "queued")


@pytest.mark.django_db
def test_the_report_page_follows_a_queued_import_then_shows_its_report(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    client.force_login(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(4)),
                           **_auth(ivana))
    run_id = response.json()["id"]
    page = client.get(f"/import/runs/{run_id}/").content.decode()
    assert "Queued" in page and "Cancel this import" in page
    # The page's script is a file of the platform's (script-src 'self'), not inline.
    assert '<script src="/static/imports/run-state.js" defer></script>' in page
    state = client.get(f"/import/runs/{run_id}/state/").json()
    assert state == {"status": "queued", "stage": "Queued: waiting for the import worker",
                     "finished": False}
    assert client.get(f"/import/runs/{run_id}/state/?lang=bg").json()["stage"] == \
        "В опашката: чака обработчика на импорти"
    french = client.get(f"/import/runs/{run_id}/?lang=fr").content.decode()
    assert "Interrompre cet import" in french

    run_queued_imports()
    state = client.get(f"/import/runs/{run_id}/state/").json()
    assert state["finished"] is True and state["status"] == "succeeded"
    page = client.get(f"/import/runs/{run_id}/?lang=en").content.decode()
    assert "Undo this import" in page and "run-state.js" not in page


@pytest.mark.django_db
def test_the_report_page_cancels_a_queued_import(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    client.force_login(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(4)),
                           **_auth(ivana))
    run_id = response.json()["id"]
    done = client.post(f"/import/runs/{run_id}/cancel/")
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "Cancelled" in page
    assert ImportRun.objects.get(pk=run_id).status == "cancelled"


def _bounds_seen(seen: list, atomic: bool = False):
    def view(_request):
        from django.db import transaction
        from django.http import HttpResponse

        with transaction.atomic() if atomic else nullcontext(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout'), "
                           "current_setting('lock_timeout')")
            seen.append(cursor.fetchone())
            if atomic:
                transaction.set_rollback(True)
        return HttpResponse("ok")
    return DatabaseTimeouts(view)


def _sets(queries) -> int:
    return sum("set_config('statement_timeout'" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
@override_settings(ATLAS_WEB_STATEMENT_TIMEOUT=7, ATLAS_WEB_LOCK_TIMEOUT=2)
def test_web_requests_run_under_timeouts_set_once_on_their_connection():
    """A SET before and a RESET after every request were two round trips of a tile's few
    (issue 20, item 7): now set once on each pooled connection of the web process."""
    seen: list = []
    pooled = set()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(6):
            _bounds_seen(seen)(RequestFactory().get("/"))
            pooled.add(id(connection.connection))
            connection.close()  # back to the pool, as at a request's end
    assert seen == [("7s", "2s")] * 6
    assert _sets(queries) == len(pooled) < 6
    with override_settings(ATLAS_WEB_STATEMENT_TIMEOUT=9):
        _bounds_seen(seen)(RequestFactory().get("/"))
    assert seen[-1] == ("9s", "2s")
    # What the test suite gives back before the next test, its jobs unbounded as the
    # worker's.
    DatabaseTimeouts.unbound()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db(transaction=True)
@override_settings(ATLAS_WEB_STATEMENT_TIMEOUT=7, ATLAS_WEB_LOCK_TIMEOUT=2)
def test_bounds_set_in_a_transaction_that_rolls_back_are_set_again():
    seen: list = []
    with CaptureQueriesContext(connection) as queries:
        _bounds_seen(seen, atomic=True)(RequestFactory().get("/"))
        _bounds_seen(seen)(RequestFactory().get("/"))
        _bounds_seen(seen)(RequestFactory().get("/"))
    assert seen == [("7s", "2s")] * 3
    assert _sets(queries) == 2


@pytest.mark.django_db(transaction=True)
@override_settings(ATLAS_WEB_LOCK_TIMEOUT=0.5)
def test_a_web_request_that_meets_a_held_lock_gets_a_503_not_a_stuck_worker(
        client, partners):
    """An undo while another session holds the layer (an import writing it)."""
    ivana = _member("ivana", partners["stara-zagora"])
    auth = _auth(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(2)),
                           **auth)
    run_queued_imports()
    run = ImportRun.objects.get(pk=response.json()["id"])
    holder = _other_connection()
    try:
        holder.execute("SELECT 1 FROM layers_layer WHERE id = %s FOR UPDATE", [run.layer_id])
        t0 = time.monotonic()
        undo = client.post(f"/api/imports/{run.pk}/undo/", **auth)
        assert undo.status_code == 503 and "Retry-After" in undo
        assert time.monotonic() - t0 < 10
    finally:
        holder.close()
    assert Attraction.objects.count() == 2


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_marked_failed_and_a_live_one_is_not(partners):
    """A worker killed outright leaves its run running; its session, and the import's
    transaction, died with it. The worker's sweep says so on the run."""
    sz = partners["stara-zagora"]
    common = dict(partner=sz, layer_slug="sz-sites", started_at="2026-01-01T00:00Z",
                  file_name="sites.geojson", sha256="0" * 64, file_size=1,
                  status=ImportRun.Status.RUNNING)
    dead = ImportRun.objects.create(**common)
    alive = ImportRun.objects.create(**common)
    live = _other_connection()
    try:
        live.execute("SELECT set_config('application_name', %s, false)",
                     [jobs.application_name(alive.pk)])
        live.commit()
        assert jobs.runs_stalled_fail() == [dead.pk]
    finally:
        live.close()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == "failed" and "worker stopped" in dead.error
    assert alive.status == "running"


@pytest.mark.django_db
def test_a_preview_whose_worker_died_is_marked_failed(partners):
    preview = ImportPreview.objects.create(
        token="t" * 32, partner=partners["stara-zagora"], layer_slug="x", file_name="x.geojson",
        options={"kind": "attractions"}, status=ImportPreview.Status.RUNNING)
    assert previews.previews_stalled_fail() == [preview.pk]
    preview.refresh_from_db()
    assert preview.status == "failed"
    assert "stopped while it checked this file" in preview.translated()["error"]


@pytest.mark.django_db
def test_another_partners_editor_cannot_read_a_preview(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    petar = _member("petar", partners["sliven"])
    dry = client.post("/api/imports/", {**_form(partners["stara-zagora"], _geojson(2)),
                                        "dry_run": "true"}, **_auth(ivana))
    assert client.get(dry["Location"], **_auth(ivana)).status_code == 200
    assert client.get(dry["Location"], **_auth(petar)).status_code == 404
    assert client.get(dry["Location"]).status_code in (401, 403)


@pytest.mark.django_db
def test_cancelling_a_waiting_preview_deletes_it_and_its_upload(client, partners):
    ivana = _member("ivana", partners["stara-zagora"])
    client.force_login(ivana)
    url = client.post("/import/", _form(partners["stara-zagora"], _geojson(2)))["Location"]
    token = url.rstrip("/").split("/")[-1]
    page = client.get(url).content.decode()
    assert "Queued: waiting for the import worker" in page
    assert client.get(f"{url}state/").json()["finished"] is False
    client.post(url, {"cancel": "1"})
    assert not ImportPreview.objects.filter(token=token).exists()
    assert not (services.pending_dir() / token).exists()
    assert run_queued_previews() == []
