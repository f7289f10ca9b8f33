"""The explorer's search in a real Chromium: names in either script, partners, and
results and a placeholder that can be read whole."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE
from tests.browser.explorer import OVERVIEW, open_explorer
from tests.factories import make_attraction, make_layer

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("text", ["Стара", "Stara"])
def test_search_finds_stara_zagora_in_either_script(page, live_server, region, text):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.fill("#atlas-search-input", text)
    page.wait_for_selector(".atlas-result", timeout=5_000)
    names = page.locator(".atlas-result-name").all_inner_texts()
    assert "Stara Zagora" in names  # the partner territory
    assert "Stara Zagora Regional History Museum" in names
    assert "Blue Rocks" not in names
    page.locator(".atlas-result", has_text="Regional History Museum").click()
    popup = page.locator(".leaflet-popup-content .atlas-popup-name")
    popup.wait_for(timeout=5_000)
    assert popup.inner_text() == "Stara Zagora Regional History Museum"


def test_search_result_for_a_partner_shows_its_territory(page, live_server, region):
    open_explorer(page, live_server, f"lang=bg&{OVERVIEW}")
    page.fill("#atlas-search-input", "Sliven")
    page.locator(".atlas-result", has_text="Сливен").first.click()
    # Waited for, not read once: under load the zoom can report its end before the
    # animated move has finished.
    page.wait_for_function("""() => {
        const m = window.atlasMap, c = m.getCenter();
        return m.getZoom() >= 9 && Math.abs(c.lat - 42.7) < 0.1 && Math.abs(c.lng - 26.3) < 0.1;
    }""", timeout=10_000)


# Relative luminance and contrast ratio as WCAG 2 defines them.
CONTRAST = """(el) => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => {
        const [r, g, b] = c.map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    let bg = el, colour = 'rgba(0, 0, 0, 0)';
    while (bg && (colour = getComputedStyle(bg).backgroundColor).endsWith(', 0)')) {
        bg = bg.parentElement; }
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(colour));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize(("lang", "text", "size"), [
    ("en", "Stara", "desktop"), ("bg", "Стара", "desktop"), ("fr", "Stara", "phone"),
    ("el", "Стара", "phone")])
def test_search_results_names_can_be_read(new_page, live_server, region, lang, text, size):
    page = new_page(PHONE, is_mobile=True, has_touch=True) if size == "phone" else new_page()
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    page.fill("#atlas-search-input", text)
    page.wait_for_selector(".atlas-result-name", timeout=5_000)
    for name in page.locator(".atlas-result-name").all():
        assert name.evaluate(CONTRAST) >= 4.5, "a result's name contrasts with its background"
    for kind in page.locator(".atlas-result-kind").all():
        assert kind.evaluate(CONTRAST) >= 4.5


@pytest.mark.django_db(transaction=True)
def test_search_results_sit_above_the_legend(page, live_server, region):
    """Ten results run down past the top of the open legend: none of them is hidden."""
    sz, _sliven = region
    sights = make_layer(sz, slug="more-sights")
    for i in range(9):
        make_attraction(sights, 25.5 + i / 100, 42.35, name_en=f"Stara Zagora sight {i}",
                        category="monument")
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator("#atlas-legend-body").is_visible()
    page.fill("#atlas-search-input", "Stara")
    page.wait_for_function(
        "() => document.querySelectorAll('.atlas-result').length >= 10", timeout=5_000)
    legend = page.locator(".atlas-legend").bounding_box()
    results = page.locator(".atlas-result").all()
    assert results[-1].bounding_box()["y"] > legend["y"], "the list reaches the legend"
    for result in results:
        result.scroll_into_view_if_needed()
        on_top = result.evaluate("""b => { const r = b.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return b.contains(hit); }""")
        assert on_top, f"{result.inner_text()!r} is covered"
    page.locator(".atlas-result", has_text="sight 8").click()
    page.locator(".atlas-popup-name", has_text="Stara Zagora sight 8").wait_for(timeout=5_000)


# The placeholder's text against the room the field gives it.
PLACEHOLDER_FITS = """(i) => {
    const s = getComputedStyle(i), ctx = document.createElement('canvas').getContext('2d');
    ctx.font = s.font;
    const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return [ctx.measureText(i.placeholder).width, room];
}"""


@pytest.mark.parametrize("lang", ["bg", "el", "fr", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_search_placeholder_is_not_cut_off(new_page, live_server, region, lang, size):
    page = new_page(PHONE, is_mobile=True, has_touch=True) if size == "phone" else new_page()
    open_explorer(page, live_server, f"lang={lang}&{OVERVIEW}")
    text, room = page.locator("#atlas-search-input").evaluate(PLACEHOLDER_FITS)
    assert text <= room, f"the placeholder needs {text:.0f} px, the field gives {room:.0f}"
    search = page.locator(".atlas-search").bounding_box()
    assert search["x"] >= 0 and search["x"] + search["width"] <= page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= \
        page.viewport_size["width"]
