"""Who may create, edit, delete and publish announcements, as a matrix: every role tries
every action through the real pages and API; each action runs in a savepoint rolled back
afterwards, so every role meets the same world. For each role the test counts the writes
that happened but should not have, the refusals of what should have been allowed, and
answers of 500 or more: all zero.

The announcements: a Sliven draft and a Sliven published one (by Sliven's editor)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from campaigns.models import Announcement, FeaturedRoute
from tests.campaigns.conftest import announce

ROLES = ("anonymous", "member_own", "editor_own", "editor_other", "moderator_own",
         "moderator_other", "superuser")
WRITERS = frozenset({"editor_own", "moderator_own", "superuser"})
MODERATORS = frozenset({"moderator_own", "superuser"})
ANY_WRITER = frozenset({"editor_own", "editor_other", "moderator_own", "moderator_other",
                        "superuser"})


@dataclass
class Action:
    name: str
    run: Callable[[Client, dict], int]
    wrote: Callable[[dict], bool]
    allowed: frozenset[str]


NEW = {"partner": "sliven", "title_en": "New one", "starts_on": "2026-06-01",
       "ends_on": "2026-06-30"}


def _title(w: dict, key: str) -> str | None:
    found = Announcement.objects.filter(pk=w[key].pk).first()
    return found.title_en if found else None


def _status(w: dict, key: str) -> str | None:
    found = Announcement.objects.filter(pk=w[key].pk).first()
    return found.status if found else None


def _api(method: str, url: str, body: dict | None = None) -> Callable[[Client, dict], int]:
    def run(c: Client, w: dict) -> int:
        call = getattr(c, method)
        path = url.format(draft=w["draft"].uid, published=w["published"].uid)
        if body is None:
            return call(path).status_code
        return call(path, json.dumps(body), content_type="application/json").status_code
    return run


def _page(url: str, data: dict) -> Callable[[Client, dict], int]:
    return lambda c, w: c.post(url.format(draft=w["draft"].uid,
                                          published=w["published"].uid), data).status_code


def _created(w: dict) -> bool:
    return Announcement.objects.filter(title_en="New one").exists()


ACTIONS = [
    Action("create (page)", _page("/announcements/new/", NEW), _created, WRITERS),
    Action("create (API)", _api("post", "/api/announcements/", NEW), _created, WRITERS),
    Action("edit draft (page)", _page("/announcements/{draft}/edit/",
                                      {**NEW, "title_en": "Changed"}),
           lambda w: _title(w, "draft") == "Changed", WRITERS),
    Action("edit draft (API)", _api("patch", "/api/announcements/{draft}/",
                                    {"title_en": "Changed"}),
           lambda w: _title(w, "draft") == "Changed", WRITERS),
    Action("edit published (page)", _page("/announcements/{published}/edit/",
                                          {**NEW, "title_en": "Changed"}),
           lambda w: _title(w, "published") == "Changed", MODERATORS),
    Action("edit published (API)", _api("patch", "/api/announcements/{published}/",
                                        {"title_en": "Changed"}),
           lambda w: _title(w, "published") == "Changed", MODERATORS),
    Action("delete draft (page)", _page("/announcements/{draft}/act/", {"action": "delete"}),
           lambda w: _status(w, "draft") is None, WRITERS),
    Action("delete draft (API)", _api("delete", "/api/announcements/{draft}/"),
           lambda w: _status(w, "draft") is None, WRITERS),
    Action("delete published (page)", _page("/announcements/{published}/act/",
                                            {"action": "delete"}),
           lambda w: _status(w, "published") is None, MODERATORS),
    Action("delete published (API)", _api("delete", "/api/announcements/{published}/"),
           lambda w: _status(w, "published") is None, MODERATORS),
    Action("publish (page)", _page("/announcements/{draft}/act/", {"action": "publish"}),
           lambda w: _status(w, "draft") == "published", MODERATORS),
    Action("publish (API)", _api("post", "/api/announcements/{draft}/publish/"),
           lambda w: _status(w, "draft") == "published", MODERATORS),
    Action("withdraw (page)", _page("/announcements/{published}/act/",
                                    {"action": "withdraw"}),
           lambda w: _status(w, "published") == "draft", MODERATORS),
    Action("withdraw (API)", _api("post", "/api/announcements/{published}/withdraw/"),
           lambda w: _status(w, "published") == "draft", MODERATORS),
    Action("feature a route", _page("/announcements/featured-routes/",
                                    {"route": "blue-rocks-walk", "on": "1"}),
           lambda w: FeaturedRoute.objects.exists(), MODERATORS),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_does_exactly_what_it_may(world, role):
    users = {"member_own": world.sl_member, "editor_own": world.sl_editor,
             "editor_other": world.dr_editor, "moderator_own": world.sl_moderator,
             "moderator_other": world.dr_moderator, "superuser": world.root}
    w = {"draft": announce(world, title="Draft", published=False),
         "published": announce(world, title="Published")}
    client = Client(raise_request_exception=False)
    if role in users:
        client.force_login(users[role])
    forbidden_writes, refused, errors = [], [], []
    for action in ACTIONS:
        sid = transaction.savepoint()
        try:
            status = action.run(client, w)
            wrote = action.wrote(w)
        finally:
            transaction.savepoint_rollback(sid)
        if status >= 500:
            errors.append(f"{action.name}: {status}")
        if wrote and role not in action.allowed:
            forbidden_writes.append(action.name)
        if not wrote and role in action.allowed:
            refused.append(f"{action.name}: {status}")
        if not wrote and status < 300 and role not in action.allowed:
            errors.append(f"{action.name}: refused with {status}, not a 4xx")
    assert (forbidden_writes, refused, errors) == ([], [], [])
