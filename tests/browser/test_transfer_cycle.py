"""A transfer's way in a browser, in two languages: a Larissa member opens a transfer of a
published Sliven practice from its page, is refused *transferred* while there is no
evidence measured in Larissa (the reason in the page's language), adds that evidence and
marks the practice transferred; Sliven's member sees it on the practice's page."""

from __future__ import annotations

import pytest

from exchange import services
from exchange.models import Transfer
from exchange.places import PlaceSpec
from layers.models import Attraction
from tests.browser.conftest import screenshot
from tests.browser.test_practice_cycle import signed_in
from tests.factories import make_partner, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"open": "Open a transfer to Larissa", "refused": "only with evidence measured in",
           "transferred": "Transferred"},
    "el": {"open": "Άνοιγμα μεταφοράς προς Larissa", "refused": "μόνο με τεκμήρια μετρημένα",
           "transferred": "Μεταφέρθηκε"},
}


@pytest.mark.parametrize("lang", ["en", "el"])
def test_larissa_transfers_a_sliven_practice_with_evidence(new_page, live_server, region, lang):
    _sz, sliven = region
    larissa = make_partner("larissa", bbox=(21.8, 39.2, 22.9, 40.1), name_en="Larissa",
                           country="GR", languages=["el", "en"])
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.3), name_en="Drôme", country="FR")
    author, reviewer = make_person(sliven, "members"), make_person(drome, "moderators")
    taker = make_person(larissa, "members")
    practice = services.practice_create(
        user=author, partner=sliven, values={"title_en": "Volunteer trail wardens",
                                             "title_el": "Εθελοντές φύλακες μονοπατιών",
                                             "summary_en": "Volunteers keep the paths open."},
        places=[PlaceSpec(attraction=str(Attraction.objects.get(name_en="Blue Rocks").uid))])
    services.practice_submit(user=author, practice=practice)
    services.practice_review(user=reviewer, practice=practice, decision="publish")
    words = WORDS[lang]

    page = signed_in(new_page, live_server, taker)
    page.goto(f"{live_server.url}/practices/{practice.uid}/?lang={lang}")
    page.fill("#t-plan", "Wardens from the walking club on the Pineios path.")
    page.click(f"#transfer-form button:has-text('{words['open']}')")
    page.wait_for_selector("#transfer-status")
    transfer = Transfer.objects.get()
    assert transfer.partner == larissa and transfer.status == "exploring"

    page.select_option("#m-status", "transferred")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert words["refused"] in page.inner_text("[role=alert]")
    assert Transfer.objects.get().status == "exploring"

    page.fill("#e-name", "Trail faults repaired per season")
    page.select_option("#e-territory", "larissa")
    page.fill("#e-before", "6")
    page.fill("#e-date-before", "2024-10-31")
    page.fill("#e-after", "31")
    page.fill("#e-date-after", "2025-08-31")
    page.click("#evidence-form button[type=submit]")
    page.wait_for_selector("#evidence table.indicators")
    page.select_option("#m-status", "transferred")
    page.fill("#m-comment", "The season's log shows it.")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(f"#transfer-status:has-text('{words['transferred']}')")
    assert Transfer.objects.get().status == "transferred"
    assert page.locator("#status-form").count() == 0  # closed: no more moves
    screenshot(page, f"transfer-page-{lang}")

    own = signed_in(new_page, live_server, author)
    own.goto(f"{live_server.url}/practices/{practice.uid}/?lang={lang}")
    assert own.locator("#transfers li").inner_text().startswith("Larissa")
    assert words["transferred"] in own.inner_text("#transfers")
    assert own.locator("#transfer-form").count() == 0


def test_a_drome_member_records_a_study_visit_with_the_place_picker(new_page, live_server,
                                                                    region):
    _sz, _sliven = region
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.3), name_en="Drôme", country="FR")
    visitor = make_person(drome, "members")
    page = signed_in(new_page, live_server, visitor)
    page.goto(f"{live_server.url}/practices/visits/new/?lang=fr")
    page.fill("#v-title", "La Drôme aux Roches bleues")
    page.select_option("#v-host", "sliven")
    page.check("input[name=visitors][value=drome]")
    page.fill("#v-start", "2025-04-07")
    page.fill("#v-end", "2025-04-09")
    page.fill("#place-filter", "Blue")
    page.click("button[aria-label='Ajouter: Blue Rocks']")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector("h1:has-text('La Drôme aux Roches bleues')")
    assert page.locator(".places li a").inner_text() == "Blue Rocks"
    page.wait_for_selector(".practice-map path.leaflet-interactive", timeout=15_000)
