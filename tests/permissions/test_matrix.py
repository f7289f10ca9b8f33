"""The whole platform's permission matrix: every role tries every kind of write and read
through the real pages, admin and API, on one small world (tests/permissions/conftest.py);
each action runs in a savepoint rolled back afterwards, so every role meets the same world.
For each role the test counts the writes that happened but should not have, the refusals
of what should have been allowed, answers of 500 or more, and reads that showed what the
role may not see: all zero.

It joins the parts' own matrices (routes, practices, transfers, strategies, listings,
announcements, imports, offline packs, layers' publication), which go deeper into each:
here every part is tried with the same ten roles, the training account and the tourism
actor among them. ``test_url_coverage.py`` requires every write route of the URL conf to
be tried here or in a part's matrix, or exempted with a reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client

from actors.models import Listing
from campaigns.models import Announcement
from exchange.models import Endorsement, GoodPractice, Question, Transfer
from exchange.vocabulary import Status
from importers.models import ImportRun
from layers.models import Attraction, Layer
from routes.models import PilotRoute
from tests.accounts.conftest import import_form
from tests.factories import run_queued_imports
from tests.permissions.conftest import A_PEOPLE, ROLES, signed_in

pytestmark = pytest.mark.django_db

W = SimpleNamespace  # the world, as tests/permissions/conftest.py makes it
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
SUPER = frozenset({"superuser"})
A_EDITOR = frozenset({"editor_a", "superuser"})
A_MODERATOR = frozenset({"moderator_a", "superuser"})
A_ANYONE = A_PEOPLE | SUPER
B_REVIEWERS = frozenset({"editor_b", "moderator_b", "superuser"})
REAL_PARTNERS_PEOPLE = A_PEOPLE | B_REVIEWERS


@dataclass
class Action:
    """What a role tries: ``run`` answers with the response's status, ``done`` says
    afterwards whether it happened (a write written, a read shown); ``url_name`` is the
    route of the URL conf it tries (test_url_coverage.py); ``allowed`` the roles that may."""

    name: str
    url_name: str
    run: Callable[[Client, W], int]
    done: Callable[[W], bool]
    allowed: frozenset[str]


def _json(method: str, url: Callable[[W], str], body: dict | None = None
          ) -> Callable[[Client, W], int]:
    def run(c: Client, w: W) -> int:
        data = json.dumps(body) if body is not None else None
        return getattr(c, method)(url(w), data, content_type="application/json").status_code
    return run


def _post(url: Callable[[W], str], data: Callable[[W], dict] | dict | None = None
          ) -> Callable[[Client, W], int]:
    def run(c: Client, w: W) -> int:
        body = data(w) if callable(data) else (data or {})
        return c.post(url(w), body).status_code
    return run


def _read(url: Callable[[W], str], needle: Callable[[W], str]) -> tuple[
        Callable[[Client, W], int], Callable[[W], bool]]:
    """A read: ``run`` gives 200 when the answer shows ``needle``, else the refusal (a
    redirect to the sign-in counts as one); ``done`` is what ``run`` saw."""
    seen: dict[str, bool] = {}

    def run(c: Client, w: W) -> int:
        response = c.get(url(w))
        seen["it"] = (response.status_code == 200
                      and needle(w) in response.content.decode())
        return 200 if seen["it"] else max(response.status_code, 403) \
            if response.status_code != 200 else 404
    return run, lambda w: seen.get("it", False)


def _read_action(name: str, url_name: str, url: Callable[[W], str],
                 needle: Callable[[W], str], allowed: frozenset[str]) -> Action:
    run, done = _read(url, needle)
    return Action(name, url_name, run, done, allowed)


def _practice_status(w: W, key: str) -> str:
    return GoodPractice.objects.get(pk=getattr(w, key).pk).status


def _undone(w: W) -> bool:
    """The run is being undone (the worker's part is the importers' tests')."""
    return ImportRun.objects.get(pk=w.run.pk).status == ImportRun.Status.UNDOING


def _gone(model: type, pk: int) -> bool:
    return not model.objects.filter(pk=pk).exists()


def _upload_page() -> tuple[Callable[[Client, W], int], Callable[[W], bool]]:
    """The import page's upload: kept for its preview, to which the page leads."""
    led: dict[str, bool] = {}

    def run(c: Client, w: W) -> int:
        response = c.post("/import/", import_form(w.a))
        led["it"] = response.get("Location", "").startswith("/import/preview/")
        return response.status_code
    return run, lambda w: led.get("it", False)


ADMIN_LISTS: dict[str, frozenset[str]] = {
    # Who reaches each model of the admin at all; each list shows its partners' rows only
    # (the parts' matrices and the actions above try the writes).
    "layers_partner": frozenset({"editor_a", "editor_b", "superuser"}),
    "layers_layer": frozenset({"editor_a", "editor_b", "superuser"}),
    "layers_trail": frozenset({"editor_a", "editor_b", "superuser"}),
    "actors_listing": frozenset({"editor_a", "editor_b", "superuser"}),
    "routes_pilotroute": frozenset({"editor_a", "editor_b", "superuser"}),
    "coverage_arealayer": frozenset({"editor_a", "editor_b", "superuser"}),
    # The operators' own: superusers only.
    "auth_user": SUPER, "auth_group": SUPER, "admin_logentry": SUPER,
    "accounts_apitoken": SUPER, "actors_actor": SUPER, "actors_submission": SUPER,
    "media_mediaitem": SUPER,
    "procrastinate_procrastinatejob": SUPER, "axes_accessattempt": SUPER,
    "axes_accessfailurelog": SUPER, "axes_accesslog": SUPER,
}

ANNOUNCEMENT = {"partner": "stara-zagora", "title_en": "Matrix fair",
                "starts_on": "2026-06-01", "ends_on": "2026-06-30"}

ACTIONS = [
    # Layers: publication (its partner's moderators), deletion (its partner's editors).
    Action("API: publish A's unpublished layer", "layer-publication",
           _json("post", lambda w: "/api/layers/sz-upload/publication/"),
           lambda w: Layer.objects.get(pk=w.upload.pk).visibility == "public", A_MODERATOR),
    Action("page: unpublish A's public layer", "layer-publication-page",
           _post(lambda w: "/layers/sz-places/publication/", {"unpublish": ""}),
           lambda w: Layer.objects.get(pk=w.places.pk).visibility != "public", A_MODERATOR),
    Action("admin: delete A's unpublished layer", "admin:layers_layer",
           _post(lambda w: f"/admin/layers/layer/{w.upload.pk}/delete/", {"post": "yes"}),
           lambda w: _gone(Layer, w.upload.pk), A_EDITOR),
    # Features.
    Action("admin: delete A's attraction", "admin:layers_attraction",
           _post(lambda w: f"/admin/layers/attraction/{w.lake.pk}/delete/", {"post": "yes"}),
           lambda w: _gone(Attraction, w.lake.pk), A_EDITOR),
    Action("admin: delete B's attraction", "admin:layers_attraction",
           _post(lambda w: f"/admin/layers/attraction/{w.clock.pk}/delete/", {"post": "yes"}),
           lambda w: _gone(Attraction, w.clock.pk), frozenset({"editor_b", "superuser"})),
    Action("admin: delete the sandbox's attraction", "admin:layers_attraction",
           _post(lambda w: f"/admin/layers/attraction/{w.sb_spare.pk}/delete/",
                 {"post": "yes"}),
           lambda w: _gone(Attraction, w.sb_spare.pk), SUPER),
    _read_action("read an unpublished layer's features by its name", "attractions",
                 lambda w: "/api/attractions/?layer=sz-upload",
                 lambda w: "Unpublished spring", A_ANYONE),
    _read_action("open an unpublished layer's feature", "attraction-page",
                 lambda w: f"/attractions/{w.hidden.uid}/",
                 lambda w: "Unpublished spring", A_ANYONE),
    _read_action("read an unpublished feature in the regional layer", "regional-layer",
                 lambda w: "/api/regional-layer/", lambda w: "Unpublished spring", NOBODY),
    # Imports.
    Action("API: import into A", "import-create",
           lambda c, w: c.post("/api/imports/", import_form(w.a)).status_code,
           lambda w: ImportRun.objects.count() > 1, A_EDITOR),
    Action("page: upload a file of A's to import", "imports:upload",
           *_upload_page(), A_EDITOR),
    Action("API: undo A's import", "import-undo",
           _json("post", lambda w: f"/api/imports/{w.run.pk}/undo/"), _undone, A_EDITOR),
    Action("page: undo A's import", "imports:undo",
           _post(lambda w: f"/import/runs/{w.run.pk}/undo/"), _undone, A_EDITOR),
    # Routes.
    Action("API: compose A's route", "route-composition",
           lambda c, w: c.put("/api/routes/a-route/composition/", json.dumps({
               "stops": [{"id": str(w.forum.uid)}, {"id": str(w.lake.uid)}],
               "modes": ["walk"]}), content_type="application/json").status_code,
           lambda w: PilotRoute.objects.get(pk=w.route.pk).stops.count() == 2, A_EDITOR),
    Action("API: delete A's route", "route-detail",
           _json("delete", lambda w: "/api/routes/a-route/"),
           lambda w: _gone(PilotRoute, w.route.pk), A_EDITOR),
    Action("page: delete A's route", "route-delete",
           _post(lambda w: "/routes/a-route/delete/"),
           lambda w: _gone(PilotRoute, w.route.pk), A_EDITOR),
    _read_action("read A's draft route", "route-page", lambda w: "/routes/a-draft-route/",
                 lambda w: "A-Draft-Route", A_EDITOR),
    # Offline packs: a draft is nobody's to take away.
    _read_action("plan A's draft route offline", "route-offline",
                 lambda w: "/api/offline/routes/a-draft-route/",
                 lambda w: "a-draft-route", NOBODY),
    # Practices.
    Action("API: write a practice of A", "practices",
           _json("post", lambda w: "/api/practices/", {"partner": "stara-zagora",
                                                        "title_en": "Matrix practice"}),
           lambda w: GoodPractice.objects.filter(title_en="Matrix practice").exists(),
           A_ANYONE),
    Action("API: edit A's draft practice", "practice-detail",
           _json("patch", lambda w: f"/api/practices/{w.draft.uid}/", {"title_en": "Changed"}),
           lambda w: GoodPractice.objects.get(pk=w.draft.pk).title_en == "Changed", A_ANYONE),
    Action("API: submit A's draft practice", "practice-action",
           _json("post", lambda w: f"/api/practices/{w.draft.uid}/submit/", {}),
           lambda w: _practice_status(w, "draft") == Status.SUBMITTED, A_ANYONE),
    Action("API: publish A's practice under review", "practice-action",
           _json("post", lambda w: f"/api/practices/{w.submitted.uid}/publish/", {}),
           lambda w: _practice_status(w, "submitted") == Status.PUBLISHED,
           frozenset({"moderator_b", "superuser"})),
    Action("page: ask about A's published practice", "practice-ask",
           _post(lambda w: f"/practices/{w.published.uid}/ask/", {"text": "How long?"}),
           lambda w: Question.objects.filter(text="How long?").exists(),
           REAL_PARTNERS_PEOPLE),
    Action("page: endorse A's published practice", "practice-endorse",
           _post(lambda w: f"/practices/{w.published.uid}/endorse/", {"kind": "plan"}),
           lambda w: Endorsement.objects.exists(), B_REVIEWERS),
    _read_action("read A's draft practice", "practice-page",
                 lambda w: f"/practices/{w.draft.uid}/",
                 lambda w: "Draft practice of A", A_ANYONE),
    _read_action("read the sandbox's practice", "practice-page",
                 lambda w: f"/practices/{w.sb_published.uid}/",
                 lambda w: "Sandbox practice", frozenset({"trainee", "superuser"})),
    # Exchange: transfers.
    Action("API: open a transfer of A's practice", "practice-transfers",
           _json("post", lambda w: f"/api/practices/{w.published.uid}/transfers/",
                 {"partner": "sliven"}),
           lambda w: Transfer.objects.exists(), B_REVIEWERS),
    # Listings (actors).
    Action("admin: delete A's published listing", "admin:actors_listing",
           _post(lambda w: f"/admin/actors/listing/{w.listing.pk}/delete/", {"post": "yes"}),
           lambda w: _gone(Listing, w.listing.pk), A_EDITOR),
    _read_action("read the actor's draft listing", "service-page",
                 lambda w: f"/services/{w.draft_listing.uid}/",
                 lambda w: "Draft inn of the actor", NOBODY),
    # Announcements (campaigns).
    Action("API: announce for A", "announcements",
           _json("post", lambda w: "/api/announcements/", ANNOUNCEMENT),
           lambda w: Announcement.objects.filter(title_en="Matrix fair").exists(),
           frozenset({"editor_a", "moderator_a", "superuser"})),
    # Training reports.
    _read_action("read A's training report", "training-report",
                 lambda w: "/training/?partner=stara-zagora",
                 lambda w: "Stara Zagora", A_MODERATOR),
    # Audit pages.
    _read_action("read an attraction's history", "admin:layers_attraction",
                 lambda w: f"/admin/layers/attraction/{w.forum.pk}/history/",
                 lambda w: "Forum", A_EDITOR),
    _read_action("read the refused attempts", "admin:audit_denial",
                 lambda w: "/admin/audit/denial/", lambda w: 'id="changelist"', SUPER),
    Action("page: edit A's draft practice", "practice-edit",
           _post(lambda w: f"/practices/{w.draft.uid}/edit/",
                 {"partner": "stara-zagora", "title_en": "Edited on its page"}),
           lambda w: GoodPractice.objects.get(pk=w.draft.pk).title_en == "Edited on its page",
           A_ANYONE),
    _read_action("change a user's password in the admin", "admin:auth_user_password",
                 lambda w: f"/admin/auth/user/{w.people['editor_a'].pk}/password/",
                 lambda w: 'name="password1"', SUPER),
    *(_read_action(f"reach the admin's {model} list", f"admin:{model}",
                   lambda w, model=model: f"/admin/{model.replace('_', '/', 1)}/",
                   lambda w: 'id="changelist"', allowed)
      for model, allowed in ADMIN_LISTS.items()),
]


@pytest.fixture
def world(platform: W) -> W:
    """The world with an import of A's done: three springs in a layer of its own."""
    made = signed_in(platform, "editor_a").post("/api/imports/", import_form(platform.a))
    assert made.status_code == 202, made.content
    run_queued_imports()
    platform.run = ImportRun.objects.get(pk=made.json()["id"])
    assert platform.run.status == ImportRun.Status.SUCCEEDED
    return platform


@pytest.mark.parametrize("role", ROLES)
def test_each_role_does_and_sees_exactly_what_it_may(world, role):
    platform = world
    client = signed_in(platform, role)
    client.raise_request_exception = False
    forbidden, refused, errors = [], [], []
    for action in ACTIONS:
        with transaction.atomic():
            status = action.run(client, platform)
            done = action.done(platform)
            transaction.set_rollback(True)
        if status >= 500:
            errors.append(f"{action.name}: {status}")
        ok = done and status < 400  # a page's redirect after a write is success
        if ok and role not in action.allowed:
            forbidden.append(f"{action.name} ({status})")
        if role in action.allowed and not ok:
            refused.append(f"{action.name} ({status})")
    assert (forbidden, refused, errors) == ([], [], [])
