"""Who was trained (training app, maps/pages/training.py): a signed-in user's guide pages
read and tours completed are kept once each; the report per partner counts people by
role, kind and month, as a page and as CSV, for the partner's moderators and superusers
only (the permission matrix below). Visitors who are not signed in are counted, not named:
one count per tour and month for the whole platform."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from lxml import html

from tests.factories import make_partner, make_person
from training.models import Kind, TrainingRecord, VisitorCount

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    own = make_partner("stara-zagora")
    other = make_partner("larissa", bbox=(21.9, 39.2, 22.9, 40.1))
    return {
        "anonymous": None,
        "member": make_person(own, "members"),
        "editor": make_person(own, "editors"),
        "moderator": make_person(own, "moderators"),
        "other moderator": make_person(other, "moderators"),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }


def test_a_signed_in_reader_s_guide_pages_are_kept_once_in_any_language(client, people):
    client.get("/help/guides/tourist/")
    assert not TrainingRecord.objects.exists(), "an anonymous reader is nobody's record"
    client.force_login(people["editor"])
    for path in ("/help/bg/guides/editor/", "/help/guides/editor/", "/help/fr/guides/editor/",
                 "/help/el/", "/help/search/search_index.json"):
        answer = client.get(path)
        assert answer.status_code == 200, path
    items = sorted(TrainingRecord.objects.filter(user=people["editor"], kind=Kind.GUIDE)
                   .values_list("item", flat=True))
    assert items == ["/", "guides/editor/"]
    # A signed-in reader's page is not for shared caches (the next reader must reach us).
    assert "private" in client.get("/help/guides/editor/")["Cache-Control"]


def test_a_completed_tour_is_kept_for_the_signed_in_user_only(client, people):
    assert client.post("/training/tours/explorer/done/").status_code == 403
    client.force_login(people["member"])
    assert client.get("/training/tours/explorer/done/").status_code == 405
    assert client.post("/training/tours/no-such-tour/done/").status_code == 404
    for _twice in range(2):
        answer = client.post("/training/tours/explorer/done/")
        assert answer.status_code == 200 and answer.json() == {"tour": "explorer",
                                                               "recorded": True}
    assert list(TrainingRecord.objects.values_list("user", "kind", "item")) == [
        (people["member"].pk, "tour", "explorer")]


def test_the_tour_hands_a_token_to_signed_in_users_and_a_visitor_s_address_to_others(
        client, people):
    import json

    answer = client.get("/")
    tour = json.loads(html.fromstring(answer.content).get_element_by_id("atlas-tour").text)
    assert tour["record"] == "/training/tours/explorer/done-by-visitor/" and tour["visitor"]
    assert "token" not in tour
    assert "csrftoken" not in answer.cookies, "a visitor's first page sets no cookie"
    client.force_login(people["member"])
    tour = json.loads(html.fromstring(client.get("/").content).get_element_by_id(
        "atlas-tour").text)
    assert tour["record"] == "/training/tours/explorer/done/" and tour["token"]
    assert "visitor" not in tour


def test_a_visitor_s_completed_tour_is_counted_by_month_without_a_name(client, people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)  # a visitor's page carries no token
    for _twice in range(2):
        answer = strict.post("/training/tours/explorer/done-by-visitor/")
        assert answer.status_code == 200 and answer.json() == {"tour": "explorer",
                                                               "recorded": True}
    assert strict.post("/training/tours/imports:upload/done-by-visitor/").status_code == 200
    assert strict.post("/training/tours/no-such-tour/done-by-visitor/").status_code == 404
    assert strict.get("/training/tours/explorer/done-by-visitor/").status_code == 405
    counts = {(c.kind, c.item): c.count for c in VisitorCount.objects.all()}
    assert counts == {("tour", "explorer"): 2, ("tour", "imports:upload"): 1}
    assert not TrainingRecord.objects.exists()
    # Signed in, a tour is counted by name on the other address, never here.
    client.force_login(people["member"])
    assert client.post("/training/tours/explorer/done-by-visitor/").status_code == 403
    assert VisitorCount.objects.get(item="explorer").count == 2


def test_the_report_of_all_partners_shows_the_visitors_counts(client, people):
    from datetime import date

    VisitorCount.objects.create(month=date(2026, 11, 1), kind="tour", item="explorer",
                                count=7)
    client.force_login(people["moderator"])
    rows = _csv(client.get("/training/report.csv"))
    assert [(r["partner"], r["month"], r["role"], r["item"], r["people"]) for r in rows
            if r["role"] == "visitor"] == [("", "2026-11", "visitor", "explorer", "7")]
    # A single partner's report is that partner's people only.
    assert not [r for r in _csv(client.get("/training/report.csv",
                                           {"partner": "stara-zagora"}))
                if r["role"] == "visitor"]
    page = html.fromstring(client.get("/training/", {"lang": "bg"}).content)
    section = page.get_element_by_id("training-visitors")
    assert section.xpath(".//h2")[0].text_content() == "Посетители, които не са влезли"
    assert [td.text_content() for td in section.xpath(".//tbody/tr[1]/td")] == [
        "2026-11", "Завършена обиколка", "explorer", "7"]


def _csv(answer) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(answer.content.decode())))


def test_the_report_counts_people_of_each_role_by_month_and_kind(client, people):
    may = datetime(2026, 5, 3, tzinfo=UTC)
    june = datetime(2026, 6, 9, tzinfo=UTC)
    TrainingRecord.objects.bulk_create([
        TrainingRecord(user=people["member"], kind=Kind.TOUR, item="explorer", at=may),
        TrainingRecord(user=people["editor"], kind=Kind.TOUR, item="explorer", at=may),
        TrainingRecord(user=people["editor"], kind=Kind.TOUR, item="imports:upload", at=june),
        TrainingRecord(user=people["editor"], kind=Kind.GUIDE, item="guides/editor/", at=june),
        TrainingRecord(user=people["other moderator"], kind=Kind.TOUR, item="explorer",
                       at=may),
    ])
    client.force_login(people["moderator"])
    rows = _csv(client.get("/training/report.csv"))
    assert [(r["month"], r["role"], r["kind"], r["item"], r["people"]) for r in rows] == [
        ("2026-06", "editor", "guide", "guides/editor/", "1"),
        ("2026-06", "editor", "tour", "imports:upload", "1"),
        ("2026-05", "editor", "tour", "explorer", "1"),
        ("2026-05", "member", "tour", "explorer", "1"),
    ]
    assert {r["partner"] for r in rows} == {"stara-zagora"}
    page = html.fromstring(client.get("/training/", {"lang": "fr"}).content)
    (section,) = page.xpath("//section[@data-partner]")
    assert section.get("data-partner") == "stara-zagora"
    cells = [td.text_content() for td in section.xpath(".//tbody/tr[1]/td")]
    assert cells == ["2026-06", "Éditeurs", "Guide lu", "guides/editor/", "1"]
    # A superuser reads every partner's, or one asked by name; an unknown name is a 400.
    client.force_login(people["superuser"])
    assert {r["partner"] for r in _csv(client.get("/training/report.csv"))} == {
        "larissa", "stara-zagora"}
    assert {r["partner"] for r in _csv(client.get("/training/report.csv",
                                                  {"partner": "larissa"}))} == {"larissa"}
    bad = client.get("/training/report.csv", {"partner": "atlantis"})
    assert bad.status_code == 400 and b"partner" in bad.content


# role -> (report of its own partner, the other partner's): what each answers.
MATRIX = {
    "anonymous": (302, 302),
    "member": (403, 403),
    "editor": (403, 403),
    "moderator": (200, 403),
    "other moderator": (403, 200),
    "superuser": (200, 200),
}


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("path", ["/training/", "/training/report.csv"])
def test_who_may_read_which_partner_s_report(client, people, who, path):
    if people[who] is not None:
        client.force_login(people[who])
    own, other = MATRIX[who]
    assert client.get(path, {"partner": "stara-zagora"}).status_code == own
    assert client.get(path, {"partner": "larissa"}).status_code == other
    if own == 302:
        assert client.get(path)["Location"].startswith("/sign-in/")
    if path.endswith(".csv") and own == 200:
        assert client.get(path, {"partner": "stara-zagora"})["Content-Type"].startswith(
            "text/csv")


def test_the_admin_says_so_to_a_sandbox_account_only(client, people):
    from django.contrib.auth.models import User

    from fixtures.sandbox import training_accounts

    editor = User.objects.get(username=training_accounts(1)[0].username)
    client.force_login(editor)
    page = html.fromstring(client.get("/admin/", {"lang": "fr"}).content.decode())
    (banner,) = page.xpath("//*[@data-sandbox-banner]")
    assert banner.text_content().startswith("Bac à sable de formation")
    client.force_login(people["editor"])
    assert b"data-sandbox-banner" not in client.get("/admin/").content
