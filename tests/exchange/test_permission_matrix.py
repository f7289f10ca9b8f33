"""Who may do what with practices, as a matrix: every role tries every action through the
real API and pages; each action runs in a savepoint rolled back afterwards, so every role
meets the same world. For each role the test counts the writes that happened but should
not have, the refusals of what should have been allowed, and answers of 500 or more:
all zero.

The practices: a Sliven draft, a Sliven submitted practice, a Sliven published one (all
written by Sliven's member) and a Drôme draft.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from exchange import services
from exchange.models import Endorsement, GoodPractice, Question
from exchange.places import PlaceSpec
from exchange.vocabulary import Status
from tests.exchange.conftest import publish, write_practice
from tests.exchange.matrix import Action, outcomes

ROLES = ("anonymous", "outsider", "member_own", "member_other", "moderator_own",
         "moderator_other", "editor", "superuser", "curator")
SLIVEN = frozenset({"member_own", "moderator_own", "editor", "superuser"})
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


def _status(w: dict, key: str) -> str:
    return GoodPractice.objects.get(pk=w[key].pk).status


def _post_json(url: str, body: dict) -> Callable[[Client, dict], int]:
    return lambda c, w: c.post(url.format(**w["uids"]), json.dumps(body),
                               content_type="application/json").status_code


def _patch(key: str) -> Callable[[Client, dict], int]:
    return lambda c, w: c.patch(f"/api/practices/{w[key].uid}/",
                                json.dumps({"title_en": "Changed"}),
                                content_type="application/json").status_code


def _page_act(key: str, action: str) -> Callable[[Client, dict], int]:
    return lambda c, w: c.post(f"/practices/{w[key].uid}/act/",
                               {"action": action, "comment": "Please say more"}).status_code


def _get_ok(url: str, needle: Callable[[dict], str]) -> Callable[[Client, dict], int]:
    """A read: 200 when the answer shows what it is about; 404 when it does not show it
    (the page answered, without the contact say), or the answer's own status."""
    def run(c: Client, w: dict) -> int:
        response = c.get(url.format(**w["uids"]))
        if response.status_code == 200 and needle(w) not in response.content.decode():
            return 404
        return response.status_code
    return run


ACTIONS = [
    Action("view draft (API)", _get_ok("/api/practices/{draft}/", lambda w: "Sliven draft"),
           lambda w: True, SLIVEN),
    Action("view draft (page)", _get_ok("/practices/{draft}/", lambda w: "Sliven draft"),
           lambda w: True, SLIVEN),
    Action("view published", _get_ok("/practices/{published}/", lambda w: "Published one"),
           lambda w: True, frozenset(ROLES)),
    Action("see contact", _get_ok("/practices/{published}/", lambda w: "ivana@example.org"),
           lambda w: True, SIGNED_IN),
    Action("create (API)", _post_json("/api/practices/", {"partner": "sliven",
                                                          "title_en": "Created"}),
           lambda w: GoodPractice.objects.filter(title_en="Created").exists(), SLIVEN),
    Action("create (page)",
           lambda c, w: c.post("/practices/new/", {"partner": "sliven",
                                                   "title_en": "Created"}).status_code,
           lambda w: GoodPractice.objects.filter(title_en="Created").exists(), SLIVEN),
    Action("edit own partner's draft", _patch("draft"),
           lambda w: GoodPractice.objects.get(pk=w["draft"].pk).title_en == "Changed", SLIVEN),
    Action("edit another partner's draft", _patch("drome_draft"),
           lambda w: GoodPractice.objects.get(pk=w["drome_draft"].pk).title_en == "Changed",
           frozenset({"member_other", "moderator_other", "superuser"})),
    Action("edit a submitted practice", _patch("submitted"),
           lambda w: GoodPractice.objects.get(pk=w["submitted"].pk).title_en == "Changed",
           frozenset()),
    Action("submit", _post_json("/api/practices/{draft}/submit/", {}),
           lambda w: _status(w, "draft") == Status.SUBMITTED, SLIVEN),
    Action("request changes (page)", _page_act("submitted", "changes"),
           lambda w: _status(w, "submitted") == Status.CHANGES_REQUESTED,
           frozenset({"moderator_other", "superuser"})),
    Action("publish", _post_json("/api/practices/{submitted}/publish/", {}),
           lambda w: _status(w, "submitted") == Status.PUBLISHED,
           frozenset({"moderator_other", "superuser"})),
    Action("reject", _post_json("/api/practices/{submitted}/reject/", {"comment": "No"}),
           lambda w: _status(w, "submitted") == Status.REJECTED,
           frozenset({"moderator_other", "superuser"})),
    Action("feature", _post_json("/api/practices/{published}/feature/", {}),
           lambda w: _status(w, "published") == Status.FEATURED,
           frozenset({"superuser", "curator"})),
    Action("ask on a published practice",
           lambda c, w: c.post(f"/practices/{w['published'].uid}/ask/",
                               {"text": "How long did it take?"}).status_code,
           lambda w: Question.objects.filter(text="How long did it take?").exists(),
           SLIVEN | {"member_other", "moderator_other"}),
    Action("ask on a draft",
           lambda c, w: c.post(f"/practices/{w['draft'].uid}/ask/",
                               {"text": "Hidden?"}).status_code,
           lambda w: Question.objects.filter(text="Hidden?").exists(), frozenset()),
    Action("endorse", lambda c, w: c.post(f"/practices/{w['published'].uid}/endorse/",
                                          {"kind": "plan"}).status_code,
           lambda w: Endorsement.objects.filter(kind="plan").exists(),
           frozenset({"member_other", "moderator_other", "superuser"})),
    Action("archive", _page_act("published", "archive"),
           lambda w: _status(w, "published") == Status.ARCHIVED,
           SLIVEN | {"curator"}),
]


@pytest.fixture
def practices(world):
    draft = write_practice(world, title="Sliven draft")
    submitted = write_practice(world, title="Under review")
    services.practice_submit(user=world.sl_member, practice=submitted)
    published = publish(world, write_practice(world, title="Published one"))
    drome_draft = services.practice_create(
        user=world.dr_member, partner=world.drome, values={"title_en": "Drôme draft"},
        places=[PlaceSpec(attraction=str(world.dr_museum.uid))])
    w = {"draft": draft, "submitted": submitted, "published": published,
         "drome_draft": drome_draft}
    w["uids"] = {k: str(v.uid) for k, v in w.items()}
    return w


def _user(world, role: str):
    return {"outsider": world.outsider, "member_own": world.sl_member,
            "member_other": world.dr_member, "moderator_own": world.sl_moderator,
            "moderator_other": world.dr_moderator, "editor": world.sl_editor,
            "superuser": world.root, "curator": world.curator}.get(role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_does_exactly_what_it_may(world, practices, role):
    client = Client()
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    forbidden_writes, refused_rightly_allowed, errors = outcomes(client, ACTIONS, practices, role)
    assert forbidden_writes == []
    assert refused_rightly_allowed == []
    assert errors == []
