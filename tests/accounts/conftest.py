"""Two partners, each with an editor, and the other roles of the permission matrix."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer, make_partner, make_token
from tests.routes.conftest import make_route


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made with a fast hasher: the roles' five passwords took a second a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Stara Zagora (A) with a public layer of two attractions and a published route;
    Sliven (B); a user of each role, each with a write token (anonymous: none)."""
    a = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9))
    b = make_partner("sliven", bbox=(25.7, 42.3, 26.9, 43.1))
    places = make_layer(a)
    stops = [make_attraction(places, 25.62, 42.42, name_en="Forum"),
             make_attraction(places, 25.70, 42.45, name_en="Lake")]
    route = make_route(a, slug="a-route", status=RouteStatus.PUBLISHED)

    member = User.objects.create_user("member", password="pw")  # in A's group, not staff
    member.groups.add(a.editors)
    editor_a = User.objects.create_user("editor-a", password="pw", is_staff=True)
    editor_a.groups.add(a.editors)
    editor_b = User.objects.create_user("editor-b", password="pw", is_staff=True)
    editor_b.groups.add(b.editors)
    root = User.objects.create_superuser("root", password="pw")
    users = {"anonymous": None, "member": member, "editor of A": editor_a,
             "editor of B": editor_b, "superuser": root}
    return {"a": a, "b": b, "stops": stops, "route": route, "users": users,
            "tokens": {role: make_token(u) if u else None for role, u in users.items()}}


def auth(token: str | None) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}


def points_file(n: int = 3, name: str = "site") -> SimpleUploadedFile:
    features = [{"type": "Feature", "properties": {"id": i, "name": f"{name} {i}"},
                 "geometry": {"type": "Point", "coordinates": [25.6 + i / 100, 42.4]}}
                for i in range(n)]
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile("sites.geojson", body, "application/geo+json")


def import_form(partner, layer: str = "sz-imported") -> dict:
    return {"file": points_file(), "partner": partner.pk, "layer": layer,
            "kind": "attractions"}
