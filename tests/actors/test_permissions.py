"""The role × action matrix of actors' submissions, through the real pages and API: each
role tries each action; what is allowed works, what is not writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from actors.models import Actor, Decision, Listing, Submission
from actors.vocabulary import SubmissionState
from tests.actors.conftest import make_actor
from tests.factories import make_listing, make_person, make_token

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "unverified", "actor_a", "actor_b", "editor", "moderator",
         "other_moderator", "superuser")
NEW = {"name_en": "Hut", "lon": "26.32", "lat": "42.69", "type": "accommodation",
       "currency": "EUR", "opening_hours": "Mo-Su 09:00-18:00"}


@pytest.fixture
def world(territories) -> dict[str, Any]:
    sliven, drome = territories["sliven"], territories["drome"]
    a = make_actor("a@example.org")
    b = make_actor("b@example.org")
    people = {
        "unverified": make_actor("u@example.org", verified=False).user,
        "actor_a": a.user, "actor_b": b.user,
        "editor": make_person(sliven, "editors"),
        "moderator": make_person(sliven, "moderators"),
        "other_moderator": make_person(drome, "moderators"),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }

    def draft(actor: Actor, name: str) -> Submission:
        return Submission.objects.create(actor=actor, kind="new", partner=sliven,
                                         values={**NEW, "name_en": name})

    pending = Submission.objects.create(actor=a, kind="new", partner=sliven,
                                        values={**NEW, "name_en": "Pending hut"},
                                        state=SubmissionState.PENDING)
    unowned = make_listing(26.31, 42.67, name_en="Town museum")
    return {"people": people, "a": a, "b": b, "draft_a": draft(a, "Draft of A"),
            "draft_b": draft(b, "Draft of B"), "pending": pending, "unowned": unowned,
            "owned": make_listing(26.35, 42.66, name_en="A's inn", actor=a),
            "claim_b": Submission.objects.create(actor=b, kind="claim", listing=unowned,
                                                 partner=sliven,
                                                 state=SubmissionState.PENDING)}


def snapshot() -> tuple:
    return (sorted(Submission.objects.values_list("pk", "state", "values", "listing_id")),
            Decision.objects.count(), Actor.objects.count(),
            sorted(Listing.objects.values_list("pk", "status", "actor_id", "name_en")))


def client_for(world: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def api_client(world: dict[str, Any], role: str) -> Client:
    if role == "anonymous":
        return Client()
    return Client(HTTP_AUTHORIZATION="Token " + make_token(world["people"][role]))


def own_draft(world: dict[str, Any], role: str) -> Submission | None:
    return {"actor_a": world["draft_a"], "actor_b": world["draft_b"]}.get(role)


def act(client: Client, world: dict[str, Any], action: str, comment: str = "why") -> Any:
    return client.post(f"/actors/submissions/{world['pending'].pk}/act/",
                       {"action": action, "comment": comment})


# Each action: what it does as ``role``, and whether it then counts as done.
ACTIONS: dict[str, tuple[Callable[[dict[str, Any], str], Any], set[str]]] = {
    "sign up": (lambda w, r: client_for(w, r).post("/actors/sign-up/", {
        "email": f"new-{r}@example.org", "password1": "Blue rocks 2027!",
        "password2": "Blue rocks 2027!", "organisation": "New", "kind": "guide"}),
        {"anonymous"}),
    "submit (page)": (lambda w, r: client_for(w, r).post("/actors/submissions/new/",
                                                         {**NEW, "send": "1"}),
                      {"actor_a", "actor_b"}),
    "submit (API)": (lambda w, r: api_client(w, r).post(
        "/api/services/submissions/", {"values": NEW, "submit": True},
        content_type="application/json"), {"actor_a", "actor_b"}),
    "edit own draft (page)": (lambda w, r: client_for(w, r).post(
        f"/actors/submissions/{own_draft(w, r).pk if own_draft(w, r) else w['draft_a'].pk}"
        "/edit/", {**NEW, "name_en": "Renamed"}), {"actor_a", "actor_b"}),
    "edit own draft (API)": (lambda w, r: api_client(w, r).patch(
        f"/api/services/submissions/"
        f"{own_draft(w, r).pk if own_draft(w, r) else w['draft_a'].pk}/",
        {"values": {"name_en": "Renamed"}}, content_type="application/json"),
        {"actor_a", "actor_b"}),
    "edit other's draft (page)": (lambda w, r: client_for(w, r).post(
        f"/actors/submissions/{w['draft_b' if r == 'actor_a' else 'draft_a'].pk}/edit/",
        {**NEW, "name_en": "Renamed"}), set()),
    "edit other's draft (API)": (lambda w, r: api_client(w, r).patch(
        f"/api/services/submissions/{w['draft_b' if r == 'actor_a' else 'draft_a'].pk}/",
        {"values": {"name_en": "Renamed"}}, content_type="application/json"), set()),
    "approve": (lambda w, r: act(client_for(w, r), w, "approve"),
                {"moderator", "superuser"}),
    "request changes": (lambda w, r: act(client_for(w, r), w, "changes"),
                        {"moderator", "superuser"}),
    "reject": (lambda w, r: act(client_for(w, r), w, "reject"), {"moderator", "superuser"}),
    "claim": (lambda w, r: client_for(w, r).post("/actors/claim/",
                                                 {"uid": str(w["unowned"].uid)}),
              {"actor_a"}),  # B has claimed it already: asked once is enough
    "approve claim": (lambda w, r: client_for(w, r).post(
        f"/actors/submissions/{w['claim_b'].pk}/act/", {"action": "approve"}),
        {"moderator", "superuser"}),
    "withdraw": (lambda w, r: client_for(w, r).post(
        f"/actors/listings/{w['owned'].uid}/withdraw/"), {"actor_a"}),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_each_role_does_only_what_it_may(world, action):
    do, allowed = ACTIONS[action]
    done = set()
    for role in ROLES:
        with transaction.atomic():
            before = snapshot()
            answer = do(world, role)
            changed = snapshot() != before
            assert answer.status_code < 500, (role, answer.content[:500])
            if changed:
                done.add(role)
            transaction.set_rollback(True)
    assert done == allowed


def test_the_queue_shows_a_moderator_only_their_partners_submissions(world):
    seen = {}
    for role in ROLES:
        answer = client_for(world, role).get("/actors/moderation/?lang=en")
        seen[role] = answer.status_code == 200 and "Pending hut" in answer.content.decode()
    assert {r for r, s in seen.items() if s} == {"moderator", "superuser"}


def test_a_draft_is_its_actors_alone_until_sent(world):
    pk = world["draft_a"].pk
    readers = {r for r in ROLES
               if client_for(world, r).get(f"/actors/submissions/{pk}/").status_code == 200}
    assert readers == {"actor_a"}
    assert api_client(world, "moderator").get(
        f"/api/services/submissions/{pk}/").status_code == 404


def test_a_read_token_cannot_submit(world):
    client = Client(HTTP_AUTHORIZATION="Token " + make_token(world["a"].user, scope="read"))
    before = snapshot()
    answer = client.post("/api/services/submissions/", {"values": NEW},
                         content_type="application/json")
    assert answer.status_code == 403 and snapshot() == before


def test_the_api_names_the_field_that_is_wrong(world):
    client = api_client(world, "actor_a")
    answer = client.post("/api/services/submissions/?lang=en",
                         {"values": {**NEW, "opening_hours": "always"}},
                         content_type="application/json")
    assert answer.status_code == 400
    assert "opening_hours" in answer.json()["fields"]
    assert "Mo-Fr 09:00-17:00" in answer.json()["fields"]["opening_hours"][0]
    answer = client.post("/api/services/submissions/", {"values": {"colour": "red"}},
                         content_type="application/json")
    assert answer.status_code == 400 and answer.json()["parameter"] == "values"


def test_the_api_submits_and_lists_an_actors_submissions(world):
    client = api_client(world, "actor_b")
    answer = client.post("/api/services/submissions/", {"values": NEW, "submit": True},
                         content_type="application/json")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["state"], body["partner"], body["values"]["opening_hours"]) == (
        "pending", "sliven", "Mo-Su 09:00-18:00")
    listed = client.get("/api/services/submissions/").json()["submissions"]
    assert {s["id"] for s in listed} == {body["id"], world["draft_b"].pk,
                                         world["claim_b"].pk}


def test_the_write_api_is_in_the_openapi_schema(client, territories):
    paths = client.get("/api/schema/",
                       HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/services/submissions/"])
    assert {"get", "patch"} <= set(paths["/api/services/submissions/{id}/"])
    assert "post" in paths["/api/services/submissions/{id}/submit/"]
    body = paths["/api/services/submissions/"]["post"]["requestBody"]["content"]
    assert "opening_hours" in body["application/json"]["schema"]["properties"]["values"][
        "description"]


@pytest.mark.parametrize("method, url, body", [
    ("get", "/actors/verify/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/", None),
    ("get", "/actors/verify/!!!/abc/", None),
    ("get", "/actors/submissions/99999999999999999999/", None),
    ("post", "/actors/claim/", {"uid": "not-a-uuid"}),
    ("post", "/actors/submissions/new/", {**NEW, "capacity": "99999999999999",
                                           "season_months": "1,99", "lon": "nan"}),
])
def test_hostile_input_to_the_actors_pages_is_never_a_500(world, method, url, body):
    client = client_for(world, "actor_a")
    answer = getattr(client, method)(url, body) if body else getattr(client, method)(url)
    assert answer.status_code in (400, 404), answer.status_code


@pytest.mark.parametrize("body", [[], {"values": []}, {"values": {"capacity": {"x": 1}}},
                                  {"values": NEW, "listing": "nope"},
                                  {"values": NEW, "attraction": "1"}])
def test_hostile_bodies_to_the_write_api_are_a_400(world, body):
    answer = api_client(world, "actor_a").post("/api/services/submissions/", body,
                                               content_type="application/json")
    assert answer.status_code == 400
