"""Who may write partners' data, as a matrix of roles × writes through the real API (Trust
D16): write access follows membership of a partner's editors group *and* staff status.

Before the fix, a member of Stara Zagora's editors group who is not staff imported into
Stara Zagora (201), undid its run (200) and composed its route (200).
"""

from __future__ import annotations

import pytest

from importers.models import ImportRun
from layers.models import Attraction
from tests.accounts.conftest import auth, import_form
from tests.factories import run_queued_imports, run_queued_undos

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "editor of A", "editor of B", "superuser"]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 403, 202, 403, 202],
                                                   strict=True)))
def test_importing_into_a_partner(client, world, role, expected):
    response = client.post("/api/imports/", import_form(world["a"]),
                           **auth(world["tokens"][role]))
    assert response.status_code == expected, response.content
    run_queued_imports()
    written = Attraction.objects.filter(layer__slug="sz-imported").count()
    assert written == (3 if expected == 202 else 0)


@pytest.fixture
def run_of_a(client, world):
    made = client.post("/api/imports/", import_form(world["a"]),
                       **auth(world["tokens"]["editor of A"]))
    assert made.status_code == 202, made.content
    run_queued_imports()
    return made.json()["id"]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 403, 202, 404, 202],
                                                   strict=True)))
def test_undoing_a_partners_import(client, world, run_of_a, role, expected):
    response = client.post(f"/api/imports/{run_of_a}/undo/", **auth(world["tokens"][role]))
    assert response.status_code == expected, response.content
    run_queued_undos()  # the worker's part: only an accepted undo was queued
    undone = ImportRun.objects.get(pk=run_of_a).status == ImportRun.Status.UNDONE
    assert undone == (expected == 202)
    assert Attraction.objects.filter(layer__slug="sz-imported",
                                     retired_at__isnull=True).count() == (0 if undone else 3)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 403, 200, 403, 200],
                                                   strict=True)))
def test_composing_a_partners_route(client, world, role, expected):
    stops = [{"id": str(a.uid)} for a in world["stops"]]
    response = client.put(f"/api/routes/{world['route'].slug}/composition/",
                          {"stops": stops, "modes": ["car"]}, content_type="application/json",
                          **auth(world["tokens"][role]))
    assert response.status_code == expected, response.content
    assert world["route"].stops.count() == (2 if expected == 200 else 0)


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 201, 201, 201, 201],
                                                   strict=True)))
def test_making_a_token_of_ones_own(client, world, role, expected):
    response = client.post("/api/tokens/", {"scope": "read"}, **auth(world["tokens"][role]))
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, [401, 404, 204, 404, 404],
                                                   strict=True)))
def test_revoking_editor_as_token_is_for_its_owner_only(client, world, role, expected):
    victim = world["tokens"]["editor of A"]
    response = client.delete(f"/api/tokens/{victim[:15]}/", **auth(world["tokens"][role]))
    assert response.status_code == expected, response.content
    still = client.get("/api/tokens/", **auth(victim)).status_code
    assert still == (401 if expected == 204 else 200)


def test_a_non_staff_member_gets_neither_the_import_page_nor_its_link(client, world):
    client.force_login(world["users"]["member"])
    assert client.get("/import/").status_code == 403
    assert 'href="/import/"' not in client.get("/").content.decode()
