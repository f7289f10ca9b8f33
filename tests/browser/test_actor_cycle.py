"""A guesthouse signs up, verifies its address, submits a listing that the Sliven
moderator sends back then approves, and changes its hours (tests/browser/actor_cycle.py),
in English and in Bulgarian; then, at a fixed clock, the approved listing is where a
tourist looks for it: its page says whether it is open now (closed on Orthodox Easter
Monday morning, a public holiday in Bulgaria; open the next morning), a route that passes
by lists it under "where to sleep", the services API finds it open on a date, and the
vector tiles carry it."""

from __future__ import annotations

from itertools import pairwise

import pytest

from actors.models import Listing
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.browser.actor_cycle import guesthouse_cycle
from tests.factories import make_attraction, make_layer
from tests.layers.test_tiles import Z, _read_tile, _tile_of
from tests.notices.conftest import smtp_inbox as real_smtp_server  # noqa: F401  (a fixture)
from tests.routes.conftest import make_route

# Orthodox Easter Monday 2027 (3 May) at 09:00 in Sofia: the guesthouse's hours end with
# "PH 10:00-18:00", so it opens at ten that day; on the Tuesday it is open from eight.
EASTER_MONDAY_9AM = "2027-05-03T09:00:00+03:00"
TUESDAY_9AM = "2027-05-04T09:00:00+03:00"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_a_guesthouse_signs_up_submits_and_is_moderated(new_page, live_server, region,
                                                        real_smtp_server, media_root,  # noqa: F811
                                                        settings, tmp_path, lang):
    _sz, sliven = region
    guesthouse_cycle(new_page, live_server, sliven, real_smtp_server, lang)
    if lang == "en":  # where a tourist finds it, once
        where_a_tourist_finds_it(new_page, live_server, sliven, settings, tmp_path)


def where_a_tourist_finds_it(new_page, live_server, sliven, settings, tmp_path) -> None:
    listing = Listing.objects.get(status="published")
    layer = make_layer(sliven, slug="sliven-sights")
    rocks = make_attraction(layer, 26.325, 42.695, name_en="Blue Rocks")
    karandila = make_attraction(layer, 26.34, 42.705, name_en="Karandila")
    route = make_route(sliven, slug="blue-rocks-walk")
    route_compose(route=route, stops=[StopSpec(rocks), StopSpec(karandila)],
                  modes=[Mode.WALK])

    page = new_page()
    for clock, state in ((EASTER_MONDAY_9AM, "closed"), (TUESDAY_9AM, "open")):
        settings.ATLAS_NOW = clock
        page.goto(f"{live_server.url}/services/{listing.uid}/?lang=en")
        assert page.get_attribute(".hours .open-state", "class").endswith(f"open-state-{state}")
        page.goto(f"{live_server.url}/routes/blue-rocks-walk/?lang=en")
        item = page.locator(".practical-list[data-type=accommodation] .practical-item",
                            has_text="Blue Stone guesthouse")
        assert item.count() == 1, page.inner_text("main")[:1500]
        assert item.locator("[data-state]").get_attribute("data-state") == state

    found = page.request.get(f"{live_server.url}/api/services/?open_on=2027-05-04").json()
    assert [f["properties"]["name"] for f in found["features"]] == ["Blue Stone guesthouse"]
    x, y = _tile_of(26.33, 42.70)
    tile = page.request.get(f"{live_server.url}/tiles/regional-layer/{Z}/{x}/{y}.mvt?lang=en")
    assert tile.ok
    assert _read_tile(tile.body(), tmp_path, x, y)["services"] == ["Blue Stone guesthouse"]


@pytest.mark.parametrize("lang", ["el", "bg"])
def test_the_listing_form_fits_a_phone_with_its_checkbox_by_its_label_and_buttons_apart(
        new_page, live_server, lang):
    """On a 390 px phone the listing form stays within the screen, the "every year" box
    sits under its label (not alone in the middle of the form), and the two send buttons
    and Cancel do not touch."""
    from tests.actors.conftest import make_actor
    from tests.browser.actor_cycle import signed_in
    from tests.browser.conftest import PHONE

    actor = make_actor("phone@example.org")
    page = signed_in(new_page, live_server, actor.user, viewport=PHONE, is_mobile=True,
                     has_touch=True)
    page.goto(f"{live_server.url}/actors/submissions/new/?lang={lang}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    label = page.locator("label[for=id_yearly]").bounding_box()
    box = page.locator("#id_yearly").bounding_box()
    # Stretched across the column, the box is drawn in the middle of its wide frame.
    assert box["x"] - label["x"] < 8 and box["width"] < 40, (label, box)
    boxes = [page.locator(s).bounding_box() for s in (
        "#listing-form button[name=save]", "#listing-form button[name=send]",
        "#listing-form .actions a")]
    for a, b in pairwise(boxes):
        apart = (b["y"] - (a["y"] + a["height"]) >= 8) or (b["x"] - (a["x"] + a["width"]) >= 8)
        assert apart, (a, b)
    assert not page.console_errors, page.console_errors
