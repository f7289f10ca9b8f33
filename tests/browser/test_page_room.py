"""Room on the pages of places and routes (the UX review of session 13): the opening
hours' heading sits by the open/closed badge, the route's practical list keeps a
distance and a state on one line on a phone, and the sticky "Follow" bar leaves the
download buttons in sight."""

from __future__ import annotations

import pytest

from actors.models import Listing
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.browser import explorer
from tests.browser.conftest import DESKTOP, PHONE, shared
from tests.factories import make_attraction, make_layer, make_listing
from tests.routes.conftest import make_route

pytestmark = [pytest.mark.browser]
SLUG = "blue-rocks-walk"
NOW = "2027-05-04T09:00:00+03:00"  # a Tuesday morning in Sliven


def room_region():
    """The explorer's region, a walk from the Blue Rocks to Karandila and, by it, a
    guesthouse with a long name and its hours."""
    _sz, sliven = explorer.region()
    layer = make_layer(sliven, slug="sliven-sights")
    rocks = make_attraction(layer, 26.325, 42.695, name_en="Blue Rocks")
    karandila = make_attraction(layer, 26.34, 42.705, name_en="Karandila")
    route_compose(route=make_route(sliven, slug=SLUG), stops=[StopSpec(rocks),
                                                              StopSpec(karandila)],
                  modes=[Mode.WALK])
    make_listing(26.326, 42.696, type="accommodation",
                 name_en="Guesthouse of the Blue Stones above the old town of Sliven",
                 name_el="Ξενώνας των Μπλε Πετρών πάνω από την παλιά πόλη της Σλίβεν",
                 opening_hours="Mo-Su 08:00-22:00")


room_region = shared(room_region)


@pytest.mark.parametrize("lang", ["bg", "el"])
def test_the_hours_heading_sits_by_the_open_state(new_page, live_server, room_region,
                                                  settings, lang):
    settings.ATLAS_NOW = NOW
    listing = Listing.objects.get()
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/services/{listing.uid}/?lang={lang}")
    heading = page.locator("section.hours h2").bounding_box()
    badge = page.locator("section.hours .open-state").bounding_box()
    assert 0 <= badge["y"] - (heading["y"] + heading["height"]) <= 12


@pytest.mark.parametrize("lang", ["bg", "el"])
def test_a_distance_and_a_state_stay_on_one_line_on_a_phone(new_page, live_server,
                                                          room_region, settings, lang):
    settings.ATLAS_NOW = NOW
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/routes/{SLUG}/?lang={lang}")
    item = page.locator(".practical-item").first
    for span in ("[data-distance]", "[data-state]"):
        lines = item.locator(span).evaluate(
            """e => { const r = document.createRange(); r.selectNodeContents(e);
                      const tops = [...r.getClientRects()].map(c => Math.round(c.top));
                      return new Set(tops).size; }""")
        assert lines == 1, (span, item.locator(span).inner_text())


@pytest.mark.parametrize("lang", ["bg", "el"])
def test_the_follow_bar_leaves_the_download_buttons_in_sight(new_page, live_server,
                                                            room_region, lang):
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/routes/{SLUG}/?lang={lang}")
    page.wait_for_selector("[data-follow]:not([hidden])")
    # The viewport ends just below the buttons: on the first screen, where the bar sits.
    bottom = page.evaluate("document.querySelector('p.downloads').getBoundingClientRect()"
                           ".bottom + window.scrollY")
    page.set_viewport_size({"width": DESKTOP["width"], "height": int(bottom) + 4})
    for button in page.locator("p.downloads .button, p.downloads button").all():
        button.evaluate("b => b.scrollIntoView({block: 'nearest'})")
        hit = button.evaluate("""b => { const r = b.getBoundingClientRect();
            return b.contains(document.elementFromPoint(r.x + r.width / 2,
                                                        r.y + r.height / 2)); }""")
        assert hit, button.inner_text()
    assert page.console_errors == []
