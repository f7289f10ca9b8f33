"""Who may take a route offline, as a matrix of roles × actions through the real views: a
published route is everyone's to save and download; a draft is no one's, not even its
own partner's editors' (a pack is public data, shared beyond the platform)."""

from __future__ import annotations

import pytest

from routes.models import PilotRoute
from tests.factories import make_partner, make_person

ROLES = ("visitor", "own editor", "other editor", "superuser")
ACTIONS = {"plan": "/api/offline/routes/karandila-walk/",
           "pack": "/api/offline/routes/karandila-walk/pack/",
           "version": "/api/offline/routes/karandila-walk/version/",
           "page": "/routes/karandila-walk/"}


def sign_in(client, role: str, walk) -> None:
    if role == "own editor":
        client.force_login(make_person(walk["partner"], "editors"))
    elif role == "other editor":
        client.force_login(make_person(make_partner("larissa", bbox=(22.0, 39.4, 22.9, 40.0),
                                                    country="GR"), "editors"))
    elif role == "superuser":
        client.force_login(make_person(None, superuser=True, staff=True))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", ["published", "draft"])
def test_who_may_take_a_route_offline(client, walk, role, status):
    PilotRoute.objects.filter(slug="karandila-walk").update(status=status)
    sign_in(client, role, walk)
    expected = 200 if status == "published" else 404
    for action in ("plan", "pack", "version"):
        assert client.get(ACTIONS[action]).status_code == expected, (role, status, action)
    page = client.get(ACTIONS["page"]).content.decode()
    assert ("data-offline-save" in page) == (status == "published"), (role, status)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_is_written_through_the_offline_api(client, walk, method):
    client.force_login(make_person(None, superuser=True, staff=True))
    for url in (ACTIONS["plan"], ACTIONS["pack"], ACTIONS["version"]):
        assert getattr(client, method)(url).status_code == 405, (method, url)
