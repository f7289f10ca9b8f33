"""Who may view, add, change and delete a partner's entered indicators, as a matrix:
every role tries every action through the strategy page's forms and through the API;
each action runs in a savepoint rolled back afterwards, so every role meets the same
world. The test counts writes that happened but should not have, refusals of what should
have been allowed, and answers of 500 or more: all zero.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from django.test import Client

from planner.models import EnteredIndicator

ROLES = ("anonymous", "member_own", "member_other", "moderator_own", "moderator_other",
         "superuser")
WRITERS = frozenset({"member_own", "moderator_own", "superuser"})
EVERYONE = frozenset(ROLES)
NEW = {"indicator": "arrivals", "value": "120500", "unit": "people", "date": "2025-12-31",
       "source": "Regional statistics office"}


@dataclass
class Action:
    name: str
    run: Callable[[Client, dict], int]  # the response's status
    wrote: Callable[[dict], bool]
    allowed: frozenset[str]


def _value(w: dict) -> float | None:
    return EnteredIndicator.objects.filter(pk=w["row"].pk).values_list(
        "value", flat=True).first()


def _count(w: dict) -> int:
    return EnteredIndicator.objects.filter(partner=w["world"].sliven).count()


def _page_view(c: Client, w: dict) -> int:
    response = c.get("/strategy/sliven/")
    assert response.status_code != 200 or "Regional statistics office (2024)" in \
        response.content.decode()
    return response.status_code


def _api_view(c: Client, w: dict) -> int:
    response = c.get(f"/api/coverage/indicators/{w['row'].pk}/")
    assert response.status_code != 200 or response.json()["value"] == 98000
    return response.status_code


def _api_list(c: Client, w: dict) -> int:
    response = c.get("/api/coverage/indicators/?partner=sliven")
    assert response.status_code != 200 or response.json()["count"] == 1
    return response.status_code


ACTIONS = [
    Action("view (page)", _page_view, lambda w: False, EVERYONE),
    Action("view (API, one)", _api_view, lambda w: False, EVERYONE),
    Action("view (API, list)", _api_list, lambda w: False, EVERYONE),
    Action("add (page)", lambda c, w: c.post("/strategy/sliven/indicators/", NEW).status_code,
           lambda w: _count(w) == 2, WRITERS),
    Action("add (API)", lambda c, w: c.post("/api/coverage/indicators/", json.dumps(
        {**NEW, "partner": "sliven"}), content_type="application/json").status_code,
           lambda w: _count(w) == 2, WRITERS),
    Action("edit (page)", lambda c, w: c.post(
        f"/strategy/sliven/indicators/{w['row'].pk}/", {**NEW, "value": "5"}).status_code,
           lambda w: _value(w) == 5, WRITERS),
    Action("edit (API)", lambda c, w: c.patch(
        f"/api/coverage/indicators/{w['row'].pk}/", json.dumps({"value": 5}),
        content_type="application/json").status_code, lambda w: _value(w) == 5, WRITERS),
    Action("delete (page)", lambda c, w: c.post(
        f"/strategy/sliven/indicators/{w['row'].pk}/delete/").status_code,
           lambda w: _value(w) is None, WRITERS),
    Action("delete (API)", lambda c, w: c.delete(
        f"/api/coverage/indicators/{w['row'].pk}/").status_code,
           lambda w: _value(w) is None, WRITERS),
]


@pytest.fixture
def setting(world):
    row = EnteredIndicator.objects.create(
        partner=world.sliven, indicator="arrivals", value=98000, unit="people",
        date=date(2024, 12, 31), source="Regional statistics office (2024)")
    users = {"anonymous": None, "member_own": world.sl_member,
             "member_other": world.dr_member, "moderator_own": world.sl_moderator,
             "moderator_other": world.dr_moderator, "superuser": world.root}
    return {"world": world, "row": row, "users": users}


@pytest.mark.django_db
def test_entered_indicators_permission_matrix(setting):
    wrong_writes, wrong_refusals, errors = [], [], []
    for role in ROLES:
        client = Client()
        if setting["users"][role] is not None:
            client.force_login(setting["users"][role])
        for action in ACTIONS:
            sid = transaction.savepoint()
            try:
                status = action.run(client, setting)
                wrote = action.wrote(setting)
            finally:
                transaction.savepoint_rollback(sid)
            allowed = role in action.allowed
            if status >= 500:
                errors.append((role, action.name, status))
            if wrote and not allowed:
                wrong_writes.append((role, action.name, status))
            if allowed and (status >= 400 or (action.name.split()[0] != "view"
                                              and not wrote)):
                wrong_refusals.append((role, action.name, status))
            if not allowed:
                assert status in (302, 401, 403), (role, action.name, status)
    assert wrong_writes == []
    assert wrong_refusals == []
    assert errors == []
