"""Who may open the route editor and save a route's composition (the editor itself, in a
browser, is tested in tests/browser/test_route_editor.py)."""

from __future__ import annotations

from django.contrib.auth.models import User

from fixtures.demo_layers import DEMO_DIR, load_demo
from fixtures.demo_routes import load_demo_routes
from layers.models import Partner
from layers.services import partner_editors_group_ensure

SLUG = "foret-de-saou-and-the-trois-becs"


def test_the_editor_is_for_the_routes_partner_editors(client, db):
    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    other = User.objects.create_user("ivan", password="x")
    other.groups.add(partner_editors_group_ensure(partner=Partner.objects.get(slug="sliven")))
    assert client.get(f"/routes/{SLUG}/edit/").status_code == 302  # to the sign-in page
    client.force_login(other)
    assert client.get(f"/routes/{SLUG}/edit/").status_code == 403
    response = client.put(f"/api/routes/{SLUG}/composition/", {"stops": [], "modes": []},
                          content_type="application/json")
    assert response.status_code == 403
