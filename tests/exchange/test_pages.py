"""The practice pages: the list with filters, a practice's page, the forms, the queue and
the feed, as their readers see them."""

from __future__ import annotations

import json

from exchange.models import GoodPractice
from exchange.vocabulary import Status
from tests.exchange.conftest import publish, write_practice

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_list_shows_published_practices_and_filters(world, client):
    publish(world, write_practice(world))
    write_practice(world, title="A draft nobody outside sees")
    page = client.get("/practices/?lang=en").content.decode()
    assert "Night at the museum" in page and "A draft nobody outside sees" not in page
    assert "Night at the museum" not in client.get("/practices/?theme=events").content.decode()
    assert "Night at the museum" in client.get("/practices/?q=нощ").content.decode()


def test_a_practice_page_in_bulgarian_with_its_places(world, client):
    practice = publish(world, write_practice(world))
    page = client.get(f"/practices/{practice.uid}/?lang=bg").content.decode()
    assert "Нощ в музея" in page and "Музей Сливен" in page
    assert "ivana@example.org" not in page
    client.force_login(world.dr_member)
    page = client.get(f"/practices/{practice.uid}/").content.decode()
    assert "ivana@example.org" in page


def test_scripts_in_texts_are_shown_as_text_never_run(world, client):
    practice = publish(world, write_practice(world, title=SCRIPT[:100],
                                             summary_en=SCRIPT, lessons_en=SCRIPT))
    for url in (f"/practices/{practice.uid}/", "/practices/", "/practices/feed.atom"):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert" in body or "&amp;lt;script" in body, url
    api = client.get(f"/api/practices/{practice.uid}/")
    assert api["Content-Type"].startswith("application/geo+json")
    assert api.json()["properties"]["summary"] == SCRIPT  # data, for clients to escape


def test_writing_a_practice_in_the_form(world, client):
    client.force_login(world.sl_member)
    assert client.get("/practices/new/").status_code == 200
    response = client.post("/practices/new/", {
        "partner": "sliven", "title_bg": "Гроздобер", "summary_bg": "Посетители берат грозде.",
        "status_bg": "original", "themes": ["wine_gastronomy", "events"], "kind": "practice",
        "origin": "own", "places": json.dumps([{"attraction": str(world.museum.uid)}]),
        "indicators": json.dumps([{"name": "Посетители", "value_before": "10",
                                   "value_after": "40"}])})
    assert response.status_code == 302
    practice = GoodPractice.objects.get(title_bg="Гроздобер")
    assert practice.themes == ["wine_gastronomy", "events"]
    assert practice.indicators.get().value_after == 40
    assert response["Location"] == f"/practices/{practice.uid}/"


def test_the_form_names_what_is_wrong_and_keeps_the_text(world, client):
    client.force_login(world.sl_member)
    response = client.post("/practices/new/", {
        "partner": "sliven", "summary_en": "Kept text", "period_start": "2024-05-01",
        "period_end": "2023-01-01", "places": "not json"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kept text" in page and "period_end" in page
    assert not GoodPractice.objects.exists()


def test_review_on_the_page_with_a_comment_the_author_reads(world, client):
    practice = write_practice(world)
    client.force_login(world.sl_member)
    client.post(f"/practices/{practice.uid}/act/", {"action": "submit"})
    client.force_login(world.dr_moderator)
    queue = client.get("/practices/review/").content.decode()
    assert "Night at the museum" in queue
    client.post(f"/practices/{practice.uid}/act/",
                {"action": "changes", "comment": "Which months did it run?"})
    practice.refresh_from_db()
    assert practice.status == Status.CHANGES_REQUESTED
    client.force_login(world.sl_member)
    page = client.get(f"/practices/{practice.uid}/").content.decode()
    assert "Which months did it run?" in page and "Edit" in page


def test_a_review_without_the_reason_is_answered_on_the_page(world, client):
    practice = write_practice(world)
    client.force_login(world.sl_member)
    client.post(f"/practices/{practice.uid}/act/", {"action": "submit"})
    client.force_login(world.dr_moderator)
    response = client.post(f"/practices/{practice.uid}/act/", {"action": "reject"})
    assert response.status_code == 400
    assert "why it is rejected" in response.content.decode()


def test_the_atom_feed_lists_published_practices(world, client):
    publish(world, write_practice(world))
    write_practice(world, title="Draft")
    feed = client.get("/practices/feed.atom?lang=en")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert body.count("<entry>") == 1 and "Night at the museum" in body


def test_a_practice_page_writes_its_period_the_way_of_the_page_language(world, client):
    """The period read "2025-12-06 – …" on Greek and Bulgarian pages, whose other dates
    are written the language's way."""
    from datetime import date

    from django.utils import formats, translation

    practice = publish(world, write_practice(world, period_start=date(2025, 12, 6)))
    for lang in ("bg", "el"):
        page = client.get(f"/practices/{practice.uid}/?lang={lang}").content.decode()
        with translation.override(lang):
            written = formats.date_format(date(2025, 12, 6))
        assert "2025-12-06" not in page
        assert f"{written} – …" in page


def test_a_published_practice_is_said_so_in_the_feminine_of_practice(world, client):
    """Bulgarian and French shared the routes' masculine "Published" (Публикуван,
    Publié) for a practice (практика, pratique)."""
    from lxml import html

    practice = publish(world, write_practice(world))
    for lang, word in (("bg", "Публикувана"), ("fr", "Publiée"), ("el", "Δημοσιευμένη")):
        page = html.fromstring(client.get(f"/practices/{practice.uid}/?lang={lang}").content)
        assert page.xpath("string(//p[@class='facts']/span[contains(@class, 'status')])"
                          ).strip() == word, lang
