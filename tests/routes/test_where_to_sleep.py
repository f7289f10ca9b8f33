"""Where to sleep, eat, rent a bike: the route page lists the published listings of those
types within 2 km of the route's line, nearest first, with whether each is open now; an
attraction's page those within 3 km of it."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image

from actors.practical import practical_near
from media.services import image_add
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.factories import make_listing
from tests.routes.conftest import at, make_route

pytestmark = pytest.mark.django_db

# A Wednesday morning in Stara Zagora.
WEDNESDAY_10H = "2026-06-03T10:00:00+03:00"


@pytest.fixture
def route(two_partners):
    w = two_partners
    r = make_route(w["a"], slug="forum-walk")
    return route_compose(route=r, stops=[StopSpec(w["a1"]), StopSpec(w["a2"])],
                         modes=[Mode.WALK])


def _listing(name: str, x: float, y: float, **kw):
    return make_listing(*at(x, y), name_en=name, **kw)


@pytest.fixture
def listings(two_partners):
    # The route follows the trail A1 (0,0) - (1000,0) - (1000,1000) = A2 (metres).
    return {
        "inn": _listing("Forum inn", 500, 300, opening_hours="24/7"),
        "hut": _listing("Spring hut", 1000, 1700, opening_hours="24/7"),
        "tavern": _listing("Old tavern", 1100, 500, type="food_drink",
                           opening_hours="Mo-Fr 18:00-23:00"),
        "bikes": _listing("Bike corner", -200, 100, type="rental_transport"),
        "far": _listing("Far hotel", 5000, 5000),
        "draft": _listing("Unfinished inn", 520, 310, status="draft"),
        "guide": _listing("A guide", 510, 100, type="guide"),
    }


@override_settings(ATLAS_NOW=WEDNESDAY_10H)
def test_the_route_page_lists_them_nearest_first_with_open_now(client, route, listings):
    page = client.get("/routes/forum-walk/").content.decode()
    assert "Where to sleep, eat, rent a bike" in page
    block = page[page.index("data-practical"):]
    # Beds: the inn (300 m from the line) before the hut (700 m beyond the end).
    assert block.index("Forum inn") < block.index("Spring hut")
    assert "Old tavern" in block and "Bike corner" in block
    for absent in ("Far hotel", "Unfinished inn", "A guide"):
        assert absent not in block
    tavern = block[block.index("Old tavern"):]
    assert 'data-state="closed"' in tavern[:400]  # 18:00 to 23:00 only
    inn = block[block.index("Forum inn"):]
    assert 'data-state="open"' in inn[:400]


def test_distances_are_metres_from_the_line(route, listings):
    from maps.pages.practical import now

    found = practical_near(geom=route.geom, within_m=2000, when=now())
    beds = {n.listing.name_en: n.distance_m for n in found["accommodation"]}
    assert list(beds) == ["Forum inn", "Spring hut"]
    assert beds["Forum inn"] == pytest.approx(300, abs=5)
    assert beds["Spring hut"] == pytest.approx(700, abs=5)


def test_an_attraction_page_lists_them_with_a_photo(client, two_partners, listings,
                                                    tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(buf, "JPEG")
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        image_add(owner=listings["inn"], data=buf.getvalue(), declared_type="image/jpeg",
                  author="Test", licence="CC-BY-4.0")
        page = client.get(f"/attractions/{two_partners['a1'].uid}/").content.decode()
    block = page[page.index("data-practical"):]
    assert "Forum inn" in block and "<img" in block[:block.index("Spring hut")]
    assert "Far hotel" not in block


def test_photos_reach_the_api_popups_and_the_route_cards(client, route, two_partners,
                                                         listings, tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 80, 200)).save(buf, "JPEG")
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        forum = image_add(owner=two_partners["a1"], data=buf.getvalue(),
                          declared_type="image/jpeg", author="Test", licence="CC-BY-4.0")
        inn = image_add(owner=listings["inn"], data=buf.getvalue(),
                        declared_type="image/jpeg", author="Test", licence="CC-BY-4.0")
        attraction = client.get(f"/api/attractions/{two_partners['a1'].uid}/").json()
        assert attraction["properties"]["photo"] == f"/media/{forum.uid}/160"
        assert client.get(attraction["properties"]["photo"]).status_code == 200
        services = client.get("/api/services/").json()["features"]
        photos = {f["properties"]["name"]: f["properties"]["photo"] for f in services}
        assert photos["Forum inn"] == f"/media/{inn.uid}/160" and photos["Old tavern"] is None
        cards = client.get("/routes/").content.decode()
        assert f'src="/media/{forum.uid}/480"' in cards


@override_settings(ATLAS_NOW=WEDNESDAY_10H)
def test_a_listings_page_names_the_routes_that_pass(client, route, listings):
    # The same 2 km corridor as the route page's "where to sleep": each leads to the other.
    page = client.get(f"/services/{listings['inn'].uid}/?lang=en").content.decode()
    block = page[page.index("data-routes-passing"):]
    assert 'href="/routes/forum-walk/"' in block and "Forum-Walk" in block
    far = client.get(f"/services/{listings['far'].uid}/?lang=en").content.decode()
    assert "data-routes-passing" not in far


def test_an_attractions_page_names_the_routes_that_pass(client, route, two_partners):
    page = client.get(f"/attractions/{two_partners['a1'].uid}/?lang=bg").content.decode()
    block = page[page.index("data-routes-passing"):]
    assert "Маршрути, които минават оттук" in block and 'href="/routes/forum-walk/"' in block
