"""The issue's whole cycle in one browser run over the demo's partners and places, each
partner in its own language: a Sliven member writes a practice tied to two attractions in
Bulgarian and submits it; Drôme's moderator, in French, requests a change; the member
changes it and the moderator publishes it; a Larissa member, in Greek, asks a question,
endorses it and opens a transfer that is refused *transferred* until evidence measured in
Larissa is added, then reaches it; Sliven's strategy page lists the practice and the
transfer, the planner's comparison links to it (a partner that lacks its category is told
"Sliven has 1 practice on …"), and a visitor finds it in the explorer's practice layer and
in /api/practices/."""

from __future__ import annotations

import pytest
from django.utils import translation

from exchange.models import Endorsement, GoodPractice, Question, Transfer
from exchange.vocabulary import Status
from layers.models import Attraction, Partner
from planner.params import CoverageQuery
from planner.selectors import analyse
from tests.browser.conftest import screenshot
from tests.browser.explorer import OVERVIEW
from tests.browser.test_practice_cycle import act, signed_in
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Доброволци пазят пътеките на Сините камъни"


def category_others_lack() -> tuple[str, str]:
    """A category Sliven has attractions of and another partner has none of, and that
    partner's slug (the planner's comparison then points it to Sliven's practices)."""
    coverage = analyse(CoverageQuery(), "en")
    sliven = set(Attraction.objects.filter(layer__partner__slug="sliven", retired_at=None)
                 .values_list("category", flat=True))
    for row in coverage.partners:
        if row.key != "sliven":
            for category in row.missing_categories:
                if category in sliven:
                    return category, row.key
    pytest.fail("the demo has no category that Sliven has and another partner lacks")


def test_the_whole_exchange_in_four_languages(new_page, live_server, demo):
    category, lacking = category_others_lack()
    sliven, drome, larissa = (Partner.objects.get(slug=s) for s in ("sliven", "drome",
                                                                     "larissa"))
    author, reviewer = make_person(sliven, "members"), make_person(drome, "moderators")
    taker = make_person(larissa, "members")
    first = Attraction.objects.filter(layer__partner=sliven, category=category).first()
    second = (Attraction.objects.filter(layer__partner=sliven, layer__kind="attractions")
              .exclude(pk=first.pk).first())
    with translation.override("bg"):
        names = [str(first.name), str(second.name)]

    # A Sliven member writes it, in Bulgarian, tied to two attractions, and submits it.
    page = signed_in(new_page, live_server, author)
    page.goto(f"{live_server.url}/practices/new/?lang=bg")
    page.fill("#id_title_bg", TITLE)
    page.fill("#id_summary_bg", "Доброволци проверяват пътеките всяка седмица.")
    page.check("input[name=themes][value=nature_outdoors]")
    page.select_option("#id_categories", [category])
    for name in names:
        page.fill("#place-filter", name)
        page.click(f"button[aria-label='Добави: {name}']")
    page.click("#practice-form button[type=submit]")
    page.wait_for_selector(f"h1:has-text('{TITLE}')")
    practice = GoodPractice.objects.get(title_bg=TITLE)
    assert practice.places.count() == 2 and practice.categories == [category]
    act(page, "submit")
    assert GoodPractice.objects.get(pk=practice.pk).status == Status.SUBMITTED

    # Drôme's moderator, in French, asks for a change.
    review = signed_in(new_page, live_server, reviewer)
    review.goto(f"{live_server.url}/practices/review/?lang=fr")
    review.click(f"text={TITLE}")
    act(review, "changes", "Combien de bénévoles ?")
    assert GoodPractice.objects.get(pk=practice.pk).status == Status.CHANGES_REQUESTED

    # The member sees the question, answers it in the text, submits again; it is published.
    page.goto(f"{live_server.url}/practices/{practice.uid}/?lang=bg")
    assert page.is_visible("text=Combien de bénévoles ?")
    page.click(f"a[href='/practices/{practice.uid}/edit/']")
    page.fill("#id_evidence_bg", "Двадесет доброволци през 2024 г.")
    page.click("#practice-form button[type=submit]")
    page.wait_for_selector(f"h1:has-text('{TITLE}')")
    act(page, "submit")
    review.goto(f"{live_server.url}/practices/{practice.uid}/?lang=fr")
    act(review, "publish")
    assert GoodPractice.objects.get(pk=practice.pk).status == Status.PUBLISHED

    # A Larissa member, in Greek, asks, endorses and opens a transfer.
    greek = signed_in(new_page, live_server, taker)
    greek.goto(f"{live_server.url}/practices/{practice.uid}/?lang=el")
    greek.fill("#ask-text", "Πόσες ώρες την εβδομάδα;")
    greek.click("#questions button[type=submit]")
    greek.wait_for_selector("text=Πόσες ώρες την εβδομάδα;")
    assert Question.objects.get(practice=practice).partner == larissa
    greek.click("#endorsements form:has(input[value=useful]) button")
    greek.wait_for_selector("#endorsements button[aria-pressed=true]")
    assert Endorsement.objects.get(practice=practice).partner == larissa
    greek.fill("#t-plan", "Εθελοντές του ορειβατικού συλλόγου στο μονοπάτι του Πηνειού.")
    greek.click("#transfer-form button[type=submit]")
    greek.wait_for_selector("#transfer-status")
    transfer = Transfer.objects.get(practice=practice)
    assert transfer.partner == larissa

    # *Transferred* is refused, in Greek, until there is evidence measured in Larissa.
    greek.select_option("#m-status", "transferred")
    greek.click("#status-form button[type=submit]")
    greek.wait_for_selector("[role=alert]")
    assert "μόνο με τεκμήρια μετρημένα" in greek.inner_text("[role=alert]")
    assert Transfer.objects.get(pk=transfer.pk).status == "exploring"
    greek.fill("#e-name", "Βλάβες μονοπατιών που επισκευάστηκαν")
    greek.select_option("#e-territory", "larissa")
    greek.fill("#e-before", "6")
    greek.fill("#e-date-before", "2024-10-31")
    greek.fill("#e-after", "31")
    greek.fill("#e-date-after", "2025-08-31")
    greek.click("#evidence-form button[type=submit]")
    greek.wait_for_selector("#evidence table.indicators")
    greek.select_option("#m-status", "transferred")
    greek.click("#status-form button[type=submit]")
    greek.wait_for_selector("#transfer-status:has-text('Μεταφέρθηκε')")
    assert Transfer.objects.get(pk=transfer.pk).status == "transferred"
    screenshot(greek, "exchange-cycle-transfer-el")

    # Sliven's strategy page lists the practice and the transfer out.
    visitor = new_page()
    visitor.goto(f"{live_server.url}/strategy/sliven/?lang=bg")
    visitor.wait_for_selector("#answers")
    assert visitor.locator(f"#practices a[href^='/practices/{practice.uid}/']").count() == 1
    assert visitor.locator(f"#transfers a[href^='/practices/transfers/{transfer.uid}/']"
                           ).count() == 1
    screenshot(visitor, "exchange-cycle-strategy-bg")

    # The planner's comparison, in English, points the partner that lacks the category to
    # Sliven's practice.
    visitor.goto(f"{live_server.url}/planner/?lang=en")
    link = visitor.locator(f"tr[data-category={category}] a.practice-link"
                           "[href*='partner=sliven']")
    link.first.wait_for(timeout=30_000)
    assert "Sliven has 1 practice" in link.first.inner_text()
    assert lacking != "sliven"
    link.first.click()
    visitor.wait_for_selector(f".practice-card h2:has-text('{TITLE}')")

    # The explorer's practice layer and the API show it.
    visitor.goto(f"{live_server.url}/?{OVERVIEW}&lang=en")
    visitor.wait_for_selector("[data-ready=true]", timeout=20_000)
    visitor.check("#atlas-kind-practice")
    visitor.wait_for_selector("path.atlas-practice")
    body = visitor.request.get(f"{live_server.url}/api/practices/?f=json&partner=sliven"
                               "&lang=bg").json()
    assert [r["title"] for r in body["results"] if r["id"] == str(practice.uid)] == [TITLE]
    assert not visitor.console_errors


def test_an_evidence_row_takes_the_planner_s_values_from_the_form(new_page, live_server,
                                                                  region):
    from datetime import date

    from planner.models import IndicatorSnapshot

    _sz, sliven = region
    for day, km in ((date(2024, 1, 1), 40.0), (date(2025, 4, 1), 58.0)):
        IndicatorSnapshot.objects.create(
            partner=sliven, taken_on=day, radius_km=5.0, area_km2=1000.0, attractions=20,
            attractions_per_100km2=2.0, trail_km=km, trail_km_per_100km2=1.0,
            published_routes=1, covered_share=0.4, gap_km2=600.0, gaps=3)
    page = signed_in(new_page, live_server, make_person(sliven, "members"))
    page.goto(f"{live_server.url}/practices/new/?lang=fr")
    page.fill("#id_title_fr", "Sentiers entretenus")
    page.click("[data-add-indicator]")
    row = page.locator("#indicator-table tbody tr").first
    row.locator("[data-key=name]").fill("Kilomètres de sentiers")
    row.locator("[data-key=value_before]").fill("1")
    row.locator("select[data-key=measure]").select_option("trail_km")
    assert row.locator("[data-key=value_before]").is_disabled()
    assert row.locator("[data-key=source]").is_disabled()
    row.locator("[data-key=date_before]").fill("2024-02-01")
    row.locator("[data-key=date_after]").fill("2025-05-01")
    page.click("#practice-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Sentiers entretenus')")
    (indicator,) = GoodPractice.objects.get().indicators.all()
    assert (indicator.measure, indicator.value_before, indicator.value_after) == (
        "trail_km", 40.0, 58.0)
    text = page.inner_text("table.indicators")
    assert "Le planificateur de l’atlas" in text and "1 avril 2025" in text
    assert not page.console_errors
