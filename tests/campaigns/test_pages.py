"""Announcements as visitors meet them: the home panel of the map at "/", the list, an
announcement's page with its OpenGraph and Twitter tags, the Atom feed and the sitemap;
shown only within their period, in the reader's language with the fallback chain."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

from PIL import Image

from campaigns import services
from campaigns.forms import link_specs
from campaigns.models import Announcement
from tests.campaigns.conftest import announce

ATOM = "{http://www.w3.org/2005/Atom}"


def meta(html: str, name: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)


def png(colour=(200, 30, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 500), colour).save(out, "PNG")
    return out.getvalue()


def test_the_home_shows_current_announcements_featured_routes_and_practices(world, client):
    announce(world, title="Rock festival")
    announce(world, title="Old news", starts=dt.date(2026, 5, 1), ends=dt.date(2026, 5, 31))
    announce(world, title="Unpublished idea", published=False)
    services.route_feature(user=world.sl_moderator, route=world.route)
    html = client.get("/?lang=en").content.decode()
    panel = html[html.index('id="home-panel"'):]
    assert "Rock festival" in panel
    assert "Old news" not in html and "Unpublished idea" not in html
    assert "To the Blue Rocks" in panel and "/routes/blue-rocks-walk/" in panel
    assert "Night at the museum" in panel
    # The map is still the page: its script and its title are there.
    assert "AtlasExplorer.attach" in html


def test_the_map_has_no_home_panel_when_nothing_is_on(db, client):
    from lxml import html

    page = html.fromstring(client.get("/").content)
    # (The explorer's tour names the panel; it leaves out a step whose element is absent.)
    assert not page.cssselect("#home-panel, .map-area")


def test_a_title_falls_back_to_another_language(world, client):
    announce(world, title="Rock festival", title_bg="Рок фестивал")
    assert "Рок фестивал" in client.get("/announcements/?lang=bg").content.decode()
    assert "Rock festival" in client.get("/announcements/?lang=el").content.decode()


def test_the_text_is_escaped_with_its_paragraphs_and_links(world, client):
    a = announce(world, text_en="<script>alert(1)</script> Tickets: https://example.org/t"
                                "\n\nSecond paragraph")
    html = client.get(f"/announcements/{a.uid}/?lang=en").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://example.org/t" rel="nofollow">https://example.org/t</a>' in html
    assert "<p>Second paragraph</p>" in html


def test_the_page_carries_opengraph_and_twitter_tags_in_its_language(world, client):
    a = announce(world, title="Rock festival", title_bg="Рок фестивал",
                 text_bg="Музика при Сините камъни.")
    services.announcement_image_set(user=world.sl_moderator, announcement=a, data=png(),
                                    declared_type="image/png", author="Ana", licence="CC-BY-4.0")
    page = client.get(f"/announcements/{a.uid}/?lang=bg").content.decode()
    assert meta(page, "og:title") == ["Рок фестивал"]
    assert meta(page, "og:description") == ["Музика при Сините камъни."]
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "og:locale") == ["bg_BG"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    image = meta(page, "og:image")[0]
    assert re.fullmatch(r"http://testserver/media/[0-9a-f-]{36}/1200", image)
    assert meta(page, "twitter:image") == [image]
    assert client.get(image.removeprefix("http://testserver")).status_code == 200
    english = client.get(f"/announcements/{a.uid}/?lang=en").content.decode()
    assert meta(english, "og:title") == ["Rock festival"]
    assert meta(english, "og:description") == ["Music at the Blue Rocks."]


def test_outside_its_period_an_announcement_and_its_image_are_not_public(world, client,
                                                                          settings):
    a = announce(world, starts=dt.date(2026, 7, 1), ends=dt.date(2026, 7, 10))
    services.announcement_image_set(user=world.sl_moderator, announcement=a, data=png(),
                                    declared_type="image/png", author="Ana", licence="CC0-1.0")
    image = a.images.get()
    assert client.get(f"/announcements/{a.uid}/").status_code == 404
    assert client.get(f"/media/{image.uid}/480").status_code == 404
    settings.ATLAS_NOW = "2026-07-10T23:00:00+00:00"  # the last day is shown
    assert client.get(f"/announcements/{a.uid}/").status_code == 200
    assert client.get(f"/media/{image.uid}/480").status_code == 200
    settings.ATLAS_NOW = "2026-07-11T00:30:00+00:00"
    assert client.get(f"/announcements/{a.uid}/").status_code == 404
    # Its partner's people still see it, marked as not shown today.
    client.force_login(world.sl_editor)
    assert "not today" in client.get(f"/announcements/{a.uid}/?lang=en").content.decode()


def test_the_feed_lists_current_announcements_in_the_readers_language(world, client):
    announce(world, title="Rock festival", title_fr="Festival du rocher")
    announce(world, title="Draft", published=False)
    response = client.get("/announcements/feed.atom?lang=fr")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Festival du rocher"]
    link = next(root.iter(f"{ATOM}entry")).find(f"{ATOM}link").get("href")
    assert re.fullmatch(r"http://testserver/announcements/[0-9a-f-]{36}/", link)


def test_the_sitemap_lists_each_current_announcement_in_every_language(world, client):
    shown = announce(world)
    hidden = announce(world, title="Draft", published=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-announcements.xml" in index
    body = client.get("/sitemap-announcements.xml").content.decode()
    for lang in ("bg", "el", "fr", "en"):
        assert f"/announcements/{shown.uid}/?lang={lang}</loc>" in body
    assert str(hidden.uid) not in body


def test_links_lead_only_to_what_visitors_may_open(world, client):
    a = announce(world, published=False)
    services.announcement_update(
        user=world.sl_editor, announcement=a, values={},
        links=link_specs(f"http://x.example/routes/blue-rocks-walk/?lang=bg\n"
                         f"/attractions/{world.rocks.uid}/\n/practices/{world.practice.uid}/"))
    services.announcement_publish(user=world.sl_moderator, announcement=a)
    html = client.get(f"/announcements/{a.uid}/?lang=en").content.decode()
    for text in ("To the Blue Rocks", "Blue Rocks", "Night at the museum"):
        assert text in html
    try:
        link_specs("/routes/secret-draft/")
        services.announcement_update(user=world.sl_moderator, announcement=a, values={},
                                     links=link_specs("/routes/secret-draft/"))
    except Exception as exc:  # noqa: BLE001 - the refusal names the field
        assert getattr(exc, "fields", {}).get("links")
    else:
        raise AssertionError("a link to a draft route was kept")


def test_a_moderator_writes_and_publishes_through_the_pages(world, client):
    client.force_login(world.sl_moderator)
    response = client.post("/announcements/new/?lang=en", {
        "partner": "sliven", "title_en": "Wine weekend", "text_en": "Cellars open.",
        "starts_on": "2026-06-10", "ends_on": "2026-06-20",
        "links": "/routes/blue-rocks-walk/", "image": _upload(),
        "image_author": "Ana", "image_licence": "CC-BY-4.0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Announcement.objects.get(title_en="Wine weekend")
    assert a.images.count() == 1 and a.status == "draft"
    client.post(f"/announcements/{a.uid}/act/", {"action": "publish"})
    a.refresh_from_db()
    assert a.status == "published"
    client.logout()
    assert "Wine weekend" in client.get("/?lang=en").content.decode()


def test_the_form_refuses_an_end_before_the_start_naming_the_field(world, client):
    client.force_login(world.sl_editor)
    response = client.post("/announcements/new/?lang=fr", {
        "partner": "sliven", "title_en": "X", "starts_on": "2026-06-10",
        "ends_on": "2026-06-01"})
    assert response.status_code == 400
    assert "ends_on" in response.content.decode()
    assert "La fin précède le début." in response.content.decode()


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("poster.png", png(), content_type="image/png")


def test_writes_through_the_pages_are_in_the_audit_history_with_who_made_them(world, client):
    client.force_login(world.sl_moderator)
    client.post("/announcements/new/", {"partner": "sliven", "title_en": "Audited",
                                        "starts_on": "2026-06-01", "ends_on": "2026-06-02",
                                        "links": "/routes/blue-rocks-walk/"})
    a = Announcement.objects.get(title_en="Audited")
    client.post(f"/announcements/{a.uid}/act/", {"action": "publish"})
    events = list(a.events.order_by("pgh_id").values_list("pgh_label", "status",
                                                           "pgh_context"))
    assert [(label, status) for label, status, _ctx in events] == [
        ("insert", "draft"), ("update", "published")]
    assert all(ctx["user"] == world.sl_moderator.pk for _l, _s, ctx in events)
    link_events = a.links.model.pgh_event_model.objects.filter(announcement_id=a.pk)
    assert list(link_events.values_list("pgh_label", flat=True)) == ["insert"]


def test_a_text_sent_with_crlf_line_ends_keeps_its_first_paragraph_as_summary(world, client):
    """The browser test found it: a textarea's CR LF hid the paragraph break, and the
    summary (og:description) ran on into the second paragraph."""
    a = announce(world, text_en="First paragraph.\r\n\r\nSecond one.")
    page = client.get(f"/announcements/{a.uid}/?lang=en").content.decode()
    assert meta(page, "og:description") == ["First paragraph."]
    assert "<p>Second one.</p>" in page


def test_a_refused_action_answers_the_sites_page_in_the_readers_language(world, client):
    a = announce(world, published=False)
    client.force_login(world.sl_editor)
    refused = client.post(f"/announcements/{a.uid}/act/?lang=fr", {"action": "publish"})
    assert refused.status_code == 403
    assert '<html lang="fr">' in refused.content.decode()
    unknown = client.post(f"/announcements/{a.uid}/act/?lang=fr", {"action": "shout"})
    assert unknown.status_code == 400
    assert "action" in unknown.content.decode()
    assert "Publier, retirer ou supprimer." in unknown.content.decode()


def test_a_card_writes_its_month_as_a_sentence_does_in_bg_and_el(world, client):
    # Bulgarian writes months in lower case; Greek puts a day's month in the genitive.
    announce(world, title="Rock festival", ends=dt.date(2026, 6, 30))
    bg = client.get("/announcements/?lang=bg").content.decode()
    assert "30 юни 2026" in bg and "Юни" not in bg
    el = client.get("/announcements/?lang=el").content.decode()
    assert "30 Ιουνίου 2026" in el
