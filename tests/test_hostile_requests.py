"""Requests no client should send still get a 4xx naming what was wrong, never a 500
(Trust D17): a NUL in a path, a JSON body nested thousands deep."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from layers.services import partner_editors_group_ensure
from routes.vocabulary import RouteStatus
from tests.factories import make_partner
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ogc/collections/%00/items", "/tiles/%00.json",
                                  "/api/layers/%00/", "/layers/%00/"])
def test_a_nul_in_the_path_is_a_400_naming_the_path(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/ogc/"):
        assert response.json()["code"] == "InvalidParameterValue"
    elif path.startswith(("/api/", "/tiles/")):
        assert response.json()["parameter"] == "path"
    else:
        assert "NUL" in response.content.decode()


def test_a_json_body_nested_thousands_deep_is_a_400(client):
    partner = make_partner()
    route = make_route(partner, status=RouteStatus.PUBLISHED)
    editor = User.objects.create_user("ivana", password="x", is_staff=True)
    editor.groups.add(partner_editors_group_ensure(partner=partner))
    client.force_login(editor)
    body = "[" * 5000 + "]" * 5000
    response = client.put(f"/api/routes/{route.slug}/composition/", body,
                          content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "body: nested too deeply", "parameter": "body"}
