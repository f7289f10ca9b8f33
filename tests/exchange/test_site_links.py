"""The exchange's pages are found from the rest of the site: the strategy pages from the
header, the practices, transfers, visits and strategy pages in sitemap.xml, and the help
button of each leads to its task in the planner's or the editor's guide, in the page's
language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree, html

from exchange.vocabulary import Status
from tests.exchange.conftest import publish, write_practice
from tests.factories import make_partner

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_header_links_the_strategy_pages_in_the_page_s_language(client, db):
    page = html.fromstring(client.get("/practices/?lang=bg").content)
    links = {a.get("href"): a.text_content().strip()
             for a in page.xpath("//header//nav[contains(@class,'sections')]//a")}
    assert links.get("/strategy/") == "Стратегия"
    page = html.fromstring(client.get("/strategy/?lang=fr").content)
    (current,) = page.xpath("//header//nav[contains(@class,'sections')]//a[@aria-current]")
    assert current.get("href") == "/strategy/" and current.get("aria-current") == "page"


def sitemap(client) -> set[str]:
    index = etree.fromstring(client.get("/sitemap.xml").content)
    found = set()
    for section in index.xpath("//s:sitemap/s:loc/text()", namespaces=NS):
        doc = etree.fromstring(client.get(section.removeprefix("http://testserver")).content)
        found |= {loc.removeprefix("http://testserver")
                  for loc in doc.xpath("//s:url/s:loc/text()", namespaces=NS)}
    return found


def test_the_sitemap_lists_the_exchange_s_public_pages_only(client, world):
    published = publish(world, write_practice(world))
    draft = write_practice(world, title="Still a draft")
    assert draft.status == Status.DRAFT
    make_partner("sandbox", bbox=(24.0, 42.0, 24.1, 42.1), name_en="Sandbox", sandbox=True)
    found = sitemap(client)
    for path in ("/practices/", "/practices/transfers/", "/practices/visits/", "/strategy/",
                 "/strategy/sliven/", "/strategy/drome/", f"/practices/{published.uid}/"):
        for lang in ("bg", "el", "fr", "en"):
            assert f"{path}?lang={lang}" in found, path
    assert not [u for u in found if str(draft.uid) in u or "sandbox" in u]


@pytest.mark.parametrize(("path", "topic"), [
    ("/strategy/", "guides/planner/#strategy"),
    ("/strategy/sliven/", "guides/planner/#strategy"),
    ("/practices/transfers/", "guides/editor/#transfer"),
    ("/practices/visits/", "guides/editor/#visits"),
])
@pytest.mark.parametrize("lang", ["en", "el"])
def test_the_help_button_opens_the_guide_s_task(client, world, path, topic, lang):
    page = html.fromstring(client.get(f"{path}?lang={lang}").content)
    (button,) = page.xpath("//header//a[@data-help-button]")
    prefix = "" if lang == "en" else f"{lang}/"
    assert button.get("href") == f"/help/{prefix}{topic}"
    address, _, anchor = button.get("href").partition("#")
    built = Path(settings.ATLAS_HELP_ROOT) / address.removeprefix("/help/") / "index.html"
    guide = html.fromstring(built.read_bytes())
    assert guide.get("lang") == lang and guide.xpath(f"//*[@id='{anchor}']")
