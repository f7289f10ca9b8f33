"""An undo runs off the request, by the background worker (Trust, section 5).

Before: the page and the API undid the import inside the web request. An undo writes back
every feature the import created, updated or retired, as long as the import's own write
for a large layer, and a web request is cut at its ``statement_timeout`` (30 s): the undo
of a large import was a 503 that undid nothing. Now the run says *being undone* and the
worker undoes it, or puts it back in force with the reason it could not.
"""

from __future__ import annotations

import pytest

from importers import undos
from importers.models import ImportRun
from layers.models import Attraction
from routes.models import PilotRoute, RouteStop
from tests.factories import run_queued_imports, run_queued_undos
from tests.importers.test_jobs import _auth, _form, _geojson, _member

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(client, partners):
    """Ivana, her token, and her import of 2 attractions into sz-sites, done."""
    ivana = _member("ivana", partners["stara-zagora"])
    auth = _auth(ivana)
    response = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(2)),
                           **auth)
    run_queued_imports()
    return ivana, auth, ImportRun.objects.get(pk=response.json()["id"])


def test_an_undo_the_features_block_puts_the_run_back_with_the_reason(client, imported):
    ivana, auth, run = imported
    route = PilotRoute.objects.create(slug="sz-walk", title_en="Walk")
    RouteStop.objects.create(route=route, order=1, attraction=Attraction.objects.first())
    assert client.post(f"/api/imports/{run.pk}/undo/", **auth).status_code == 202
    run_queued_undos()
    body = client.get(f"/api/imports/{run.pk}/", **auth).json()
    assert body["status"] == "succeeded"
    assert "stops of pilot routes" in body["undo_refused"]
    assert Attraction.objects.count() == 2  # nothing changed
    client.force_login(ivana)
    page = client.get(f"/import/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This import could not be undone:" in page and "stops of pilot routes" in page
    assert "Undo this import" in page  # once the route lets go of it, it can be tried again


def test_a_run_being_undone_is_neither_undone_twice_nor_stands_behind_its_earlier_run(
        client, partners, imported):
    ivana, auth, first = imported
    again = client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(3)), **auth)
    run_queued_imports()
    second = ImportRun.objects.get(pk=again.json()["id"])
    assert client.post(f"/api/imports/{second.pk}/undo/", **auth).status_code == 202
    assert client.post(f"/api/imports/{second.pk}/undo/", **auth).status_code == 409
    # While the second is being undone it is still the layer's latest: the first is not
    # offered for undo (an undo of it would have gone behind the second's back).
    assert client.post(f"/api/imports/{first.pk}/undo/", **auth).status_code == 409
    client.force_login(ivana)
    assert "Undo this import" not in client.get(f"/import/runs/{first.pk}/").content.decode()
    run_queued_undos()
    assert ImportRun.objects.get(pk=second.pk).status == ImportRun.Status.UNDONE
    assert Attraction.objects.filter(retired_at__isnull=True).count() == 2


def test_an_import_that_came_before_the_worker_makes_the_undo_refused(client, partners,
                                                                      imported):
    _ivana, auth, first = imported
    assert client.post(f"/api/imports/{first.pk}/undo/", **auth).status_code == 202
    client.post("/api/imports/", _form(partners["stara-zagora"], _geojson(3)), **auth)
    run_queued_imports()  # the import's job ran first
    run_queued_undos()
    body = client.get(f"/api/imports/{first.pk}/", **auth).json()
    assert body["status"] == "succeeded" and "a later import" in body["undo_refused"]
    assert Attraction.objects.filter(retired_at__isnull=True).count() == 3


def test_an_undo_whose_worker_died_is_put_back_in_force(imported):
    *_people, run = imported
    # Taken by a worker whose session is gone (killed): its transaction died with it.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.UNDOING,
                                               stage=undos.TAKEN)
    assert undos.undos_stalled_fail() == [run.pk]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert "stopped while it undid" in run.translated()["undo_refused"]
    assert Attraction.objects.count() == 2
    # One still waiting in the queue has no session yet, and is left waiting.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.UNDOING, stage="")
    assert undos.undos_stalled_fail() == []
