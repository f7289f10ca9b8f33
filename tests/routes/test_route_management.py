"""Partner editors manage their pilot routes on the site: create, describe, set the season
and the status (a draft is theirs; pilot and published are public), and reach the
composition editor from the route page. The role x action matrix is
test_permission_matrix.py's; here, what an editor and a visitor see on the way."""

from __future__ import annotations

import pytest
from django.test import Client

from routes.models import PilotRoute
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.factories import make_person
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_b(two_partners):
    return make_person(two_partners["b"], "editors", username="sliven-editor")


def test_a_sliven_editor_creates_describes_and_publishes_a_route(two_partners, editor_b):
    client = Client()
    client.force_login(editor_b)
    listing = client.get("/routes/").content.decode()
    assert 'href="/routes/new/"' in listing
    form = client.get("/routes/new/").content.decode()
    assert 'value="sliven"' in form and 'value="stara-zagora"' not in form
    created = client.post("/routes/new/", {
        "slug": "blue-stones", "title_bg": "Сините камъни", "title_en": "The Blue Stones",
        "summary_en": "A morning above Sliven", "duration_days": 1, "status": "draft",
        "partners": ["sliven"], "months": ["5", "6", "9"], "themes": ["nature"]})
    assert created.status_code == 302 and created["Location"] == "/routes/blue-stones/"
    route = PilotRoute.objects.get(slug="blue-stones")
    assert route.months == [5, 6, 9] and list(route.partners.values_list("slug", flat=True)) \
        == ["sliven"]

    page = client.get("/routes/blue-stones/").content.decode()
    assert "Draft: only its partners' editors see this route" in page
    assert 'href="/routes/blue-stones/edit/"' in page  # the composition editor
    assert 'href="/routes/blue-stones/settings/"' in page
    assert client.get("/routes/blue-stones/edit/").status_code == 200
    assert Client().get("/routes/blue-stones/").status_code == 404  # a draft is not public
    assert Client().get("/api/routes/blue-stones/").status_code == 404
    assert client.get("/api/routes/blue-stones/").status_code == 200  # the page's map

    settings = {"title_en": "The Blue Stones", "duration_days": 1, "status": "published",
                "partners": ["sliven"], "months": ["5", "6", "9"]}
    too_soon = client.post("/routes/blue-stones/settings/", settings)
    assert too_soon.status_code == 400
    assert "A route needs at least two stops" in too_soon.content.decode()
    route_compose(route=route, stops=[StopSpec(two_partners["b1"]),
                                      StopSpec(two_partners["a2"])], modes=[Mode.WALK])
    published = client.post("/routes/blue-stones/settings/", settings)
    assert published.status_code == 302
    public = Client().get("/routes/blue-stones/").content.decode()
    assert "The Blue Stones" in public and "settings/" not in public


def test_the_form_names_what_is_wrong(two_partners, editor_b):
    client = Client()
    client.force_login(editor_b)
    response = client.post("/routes/new/", {"slug": "new", "duration_days": 0,
                                            "status": "draft", "partners": ["stara-zagora"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This name is taken by a page" in text
    assert "Give the route a title in at least one language." in text
    assert not PilotRoute.objects.exists()


def test_the_api_refuses_bad_fields_naming_them(two_partners, editor_b):
    client = Client()
    client.force_login(editor_b)
    response = client.post("/api/routes/", {"slug": "x", "title_en": "X", "duration_days": 1,
                                            "status": "shown", "partners": ["sliven"]},
                           content_type="application/json")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]
    make_route(two_partners["b"], slug="mine")
    PilotRoute.objects.get(slug="mine").partners.add(two_partners["b"])
    bad = client.patch("/api/routes/mine/", {"months": [13]}, content_type="application/json")
    assert bad.status_code == 400 and "months" in bad.json()["fields"]


def test_visitors_and_other_editors_see_no_buttons(two_partners, editor_b):
    route = make_route(two_partners["a"], slug="route-a")
    route.partners.add(two_partners["a"])
    other = Client()
    other.force_login(editor_b)
    for client in (Client(), other):
        page = client.get("/routes/route-a/").content.decode()
        assert "/routes/route-a/settings/" not in page and "/routes/route-a/edit/" not in page
    assert 'href="/routes/new/"' not in Client().get("/routes/").content.decode()
    assert other.get("/routes/route-a/settings/").status_code == 403
