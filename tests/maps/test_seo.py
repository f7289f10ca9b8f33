"""What search engines and social networks read: robots.txt, the sitemap (every public
page in every language, nothing that is not public) and each page's OpenGraph and
Twitter card tags in the page's language."""

from __future__ import annotations

import pytest
from lxml import etree, html

from layers.vocabulary import Visibility
from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def world(db):
    partner = make_partner("sliven", name_en="Sliven", name_bg="Сливен")
    public = make_layer(partner, slug="sliven-sights")
    private = make_layer(partner, slug="sliven-secrets", visibility=Visibility.PRIVATE)
    trails = make_layer(partner, kind="trails", slug="sliven-trails")
    return {
        "sight": make_attraction(public, 26.3, 42.68, name_en="Blue Rocks",
                                 name_bg="Сините камъни"),
        "secret": make_attraction(private, 26.31, 42.69, name_en="Secret cave"),
        "trail": make_trail(trails, [(26.1, 42.6), (26.2, 42.65)], name_en="Cycle way"),
        "route": make_route(partner, slug="blue-rocks-walk", status=RouteStatus.PUBLISHED,
                            title_bg="Към Сините камъни"),
        "draft": make_route(partner, slug="draft-walk", status=RouteStatus.DRAFT),
    }


def sitemap_locations(client) -> set[str]:
    index = etree.fromstring(client.get("/sitemap.xml").content)
    found = set()
    for section in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS):
        answer = client.get(section.removeprefix("http://testserver"))
        assert answer.status_code == 200
        doc = etree.fromstring(answer.content)
        for url in doc.xpath("//s:url", namespaces=NS):
            (loc,) = url.xpath("s:loc/text()", namespaces=NS)
            alternates = url.xpath("x:link/@hreflang", namespaces=NS)
            assert set(alternates) >= {"bg", "el", "fr", "en"}, loc
            found.add(loc.removeprefix("http://testserver"))
    return found


def test_the_sitemap_lists_every_public_page_in_every_language_and_nothing_private(client,
                                                                                    world):
    found = sitemap_locations(client)
    pages = ["/", "/routes/", "/planner/", "/layers/", "/layers/sliven-sights/",
             "/layers/sliven-trails/", "/routes/blue-rocks-walk/",
             f"/attractions/{world['sight'].uid}/", f"/trails/{world['trail'].uid}/"]
    for page in pages:
        for lang in ("bg", "el", "fr", "en"):
            assert f"{page}?lang={lang}" in found
    assert not [u for u in found if "secret" in u or "draft" in u
                or str(world["secret"].uid) in u]
    # Every address of the sitemap answers.
    for url in found:
        assert client.get(url).status_code == 200, url


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_forms_and_data(client):
    answer = client.get("/robots.txt")
    assert answer["Content-Type"].startswith("text/plain")
    lines = answer.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/help/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /import/", "Disallow: /api/"} <= set(lines)
    assert "Disallow: /" not in lines


def meta(page, name: str) -> list[str]:
    return page.xpath(f"//head/meta[@property='{name}' or @name='{name}']/@content")


@pytest.mark.parametrize("address", ["/", "/routes/", "/planner/", "/layers/",
                                     "/layers/sliven-sights/", "/routes/blue-rocks-walk/",
                                     "sight", "/help-missing/"])
def test_every_page_carries_opengraph_and_twitter_card_tags(client, world, address):
    if address == "sight":
        address = f"/attractions/{world['sight'].uid}/"
    page = html.fromstring(client.get(address).content)
    for name in ("og:title", "og:description", "og:url", "og:image", "og:locale",
                 "og:site_name", "twitter:card", "twitter:title", "twitter:description"):
        assert len(meta(page, name)) == 1 and meta(page, name)[0].strip(), (address, name)
    assert meta(page, "og:image")[0].startswith("http://testserver/static/")


def test_a_route_s_tags_give_its_name_and_summary_in_the_page_s_language(client, world):
    route = world["route"]
    route.summary_bg = "Разходка до скалите над Сливен."
    route.save()
    page = html.fromstring(client.get("/routes/blue-rocks-walk/?lang=bg").content)
    assert meta(page, "og:title") == ["Към Сините камъни"]
    assert meta(page, "og:description") == ["Разходка до скалите над Сливен."]
    assert meta(page, "og:url") == ["http://testserver/routes/blue-rocks-walk/?lang=bg"]
    assert meta(page, "og:locale") == ["bg_BG"]
    assert set(meta(page, "og:locale:alternate")) == {"el_GR", "fr_FR", "en_GB"}
    french = html.fromstring(client.get("/?lang=fr").content)
    assert meta(french, "og:description") == [
        "Une carte régionale des sites touristiques, sentiers et itinéraires pilotes, en "
        "bulgare, grec, français et anglais."]
