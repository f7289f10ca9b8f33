"""Every page's Content-Security-Policy, its inline starts' nonces and the CSRF cookie
(Trust D2; the browser test test_hostile_names.py shows the policy at work)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from tests.factories import make_attraction, make_layer, make_partner

pytestmark = pytest.mark.django_db
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / app for app in
                 ("maps", "routes", "planner", "importers", "layers")]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


@pytest.fixture
def pages():
    layer = make_layer(make_partner())
    attraction = make_attraction(layer, 25.6, 42.4)
    return ["/", "/embed/", "/layers/", f"/layers/{layer.slug}/",
            f"/attractions/{attraction.uid}/", "/routes/", "/planner/", "/api/docs/"]


def test_every_page_runs_only_the_platforms_scripts_and_its_own_nonced_start(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        nonces = [s for s in policy["script-src"] if s.startswith("'nonce-")]
        assert [s for s in policy["script-src"] if s not in nonces] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], url
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        for attrs in (a for a in inline if 'type="application/json"' not in a):
            assert f'nonce="{nonces[0][7:-1]}"' in attrs, (url, attrs)


def test_a_nonce_serves_one_response_only(client):
    first, second = (_policy(client.get("/"))["script-src"] for _ in range(2))
    assert first != second


def test_the_admin_runs_under_the_same_policy(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    layer = make_layer(make_partner())
    attraction = make_attraction(layer, 25.6, 42.4)
    response = client.get(f"/admin/layers/attraction/{attraction.pk}/change/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in _policy(response)["script-src"]
    # The map widget starts from its data attributes, not an inline script.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*var base_layer", response.content.decode()) \
        is None
    assert 'data-atlas-map-widget="id_location"' in response.content.decode()


def test_no_template_has_an_inline_handler():
    handlers = [(str(p), m) for d in TEMPLATE_DIRS for p in d.rglob("*.html")
                for m in re.findall(r"\son[a-z]+=", p.read_text("utf-8"))]
    assert handlers == []


def test_scripts_cannot_read_the_csrf_cookie(client):
    client.force_login(User.objects.create_user("ivana", password="x"))
    response = client.get("/admin/login/")
    cookie = response.cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies.get(
        settings.CSRF_COOKIE_NAME)
    assert cookie is not None and cookie["httponly"] is True


def test_only_documents_carry_the_policy_not_tiles_json_or_exports(client):
    """A browser applies a policy to the documents it renders; a tile, a JSON page or an
    export carried one for nothing, built twice on every answer (issue 20, item 7)."""
    layer = make_layer(make_partner())
    make_attraction(layer, 25.6, 42.4)
    for url in (f"/tiles/{layer.slug}/8/146/95.mvt", "/api/layers/",
                f"/ogc/collections/{layer.slug}/items",
                f"/api/layers/{layer.slug}/export/?format=gpkg"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" not in response, (url, response["Content-Type"])
    page = client.get(f"/ogc/collections/{layer.slug}/items?f=html")
    assert page["Content-Type"].startswith("text/html")
    assert "'nonce-" in _policy(page)["script-src"][1]


def test_the_policy_kept_follows_the_settings(client, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _policy(client.get("/")) == {"default-src": ["'none'"]}
