"""Issue 16 (Exchange): a practice's place may be a drawn line or area, not only a point.
The form drew points only (lines and areas went through the API alone); this test failed
first (no "Draw an area" button)."""

from __future__ import annotations

import pytest

from exchange.models import GoodPractice
from tests.browser.test_practice_cycle import signed_in
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draw_edit_and_save_an_area(new_page, live_server, region):
    _sz, sliven = region
    author = make_person(sliven, "members")
    page = signed_in(new_page, live_server, author)
    page.goto(f"{live_server.url}/practices/new/?lang=en")
    page.fill("#id_title_en", "A quiet zone around the rocks")
    page.locator(".practice-map").scroll_into_view_if_needed()
    box = page.locator(".practice-map .leaflet-container").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click("button:has-text('Draw an area')")
    corners = [(x - 60, y - 40), (x + 60, y - 40), (x + 60, y + 40), (x - 60, y + 40)]
    for cx, cy in corners:
        page.mouse.click(cx, cy)
    page.mouse.click(*corners[0])  # the first corner again closes the area
    chosen = page.locator("#chosen-places li")
    assert chosen.count() == 1
    assert chosen.first.inner_text().startswith("Area drawn on the map")

    # Editing moves a corner: the place keeps the moved shape, still one area.
    before = page.input_value("#f-places")
    chosen.first.locator("[data-edit-shape]").click()
    page.mouse.move(x + 60, y + 40)
    page.mouse.down()
    page.mouse.move(x + 90, y + 70, steps=5)
    page.mouse.up()
    assert page.input_value("#f-places") != before
    chosen.first.locator("[data-edit-shape]").click()

    page.click("button[type=submit]:has-text('Save the draft')")
    page.wait_for_selector("h1:has-text('A quiet zone around the rocks')")
    practice = GoodPractice.objects.get()
    place = practice.places.get()
    assert place.drawn.geom_type == "Polygon"
    assert len(place.drawn.coords[0]) == 5  # four corners, closed
    page.goto(f"{live_server.url}/api/practices/{practice.uid}/")
    geometries = [p.get("geometry") for p in
                  page.evaluate("JSON.parse(document.body.innerText)")["properties"]["places"]]
    assert [g["type"] for g in geometries if g] == ["Polygon"]


def test_draw_a_line_then_clear_it(new_page, live_server, region):
    _sz, sliven = region
    page = signed_in(new_page, live_server, make_person(sliven, "members"))
    page.goto(f"{live_server.url}/practices/new/?lang=fr")
    page.locator(".practice-map").scroll_into_view_if_needed()
    box = page.locator(".practice-map .leaflet-container").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click("button:has-text('Tracer une ligne')")
    for cx, cy in [(x - 80, y), (x, y - 30), (x + 80, y)]:
        page.mouse.click(cx, cy)
    page.mouse.click(x + 80, y)  # the last corner again ends the line
    chosen = page.locator("#chosen-places li")
    assert chosen.first.inner_text().startswith("Ligne tracée sur la carte")
    assert '"LineString"' in page.input_value("#f-places")
    chosen.first.locator("button:has-text('Retirer')").click()
    assert page.input_value("#f-places") == "[]"
