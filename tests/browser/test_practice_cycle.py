"""A good practice's whole way in a browser: a Sliven member writes it, tied to an
attraction and a trail picked on the form's list; Drôme's moderator asks for a change;
the member changes it and submits it again; the moderator publishes it; a visitor finds
it on /practices/ and as a layer to switch on in the explorer."""

from __future__ import annotations

import pytest
from django.test import Client

from exchange.models import GoodPractice
from exchange.vocabulary import Status
from tests.browser.explorer import OVERVIEW
from tests.factories import make_partner, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(new_page, live_server, user):
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def act(page, action: str, comment: str = "") -> None:
    if comment:
        page.fill("#act-comment", comment)
    page.click(f"button[name=action][value={action}]")
    page.wait_for_load_state()


def test_write_review_change_publish_and_find_it(new_page, live_server, region):
    _sz, sliven = region
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.3), name_en="Drôme", country="FR")
    author = make_person(sliven, "members")
    reviewer = make_person(drome, "moderators")

    page = signed_in(new_page, live_server, author)
    page.goto(f"{live_server.url}/practices/new/?lang=en")
    page.fill("#id_title_en", "Guided walks to the Blue Rocks")
    page.fill("#id_summary_en", "Volunteers guide weekend walks from the town.")
    page.check("input[name=themes][value=nature_outdoors]")
    page.fill("#place-filter", "Blue")
    page.click("button[aria-label='Add: Blue Rocks']")
    page.fill("#place-filter", "Cycle")
    page.click("button[aria-label='Add: Cycle way']")
    assert page.locator("#chosen-places li").all_inner_texts()[0].startswith("Blue Rocks")
    page.click("button[type=submit]:has-text('Save the draft')")
    page.wait_for_selector("h1:has-text('Guided walks to the Blue Rocks')")
    practice = GoodPractice.objects.get()
    assert practice.places.count() == 2
    act(page, "submit")
    assert GoodPractice.objects.get().status == Status.SUBMITTED

    review = signed_in(new_page, live_server, reviewer)
    review.goto(f"{live_server.url}/practices/review/?lang=en")
    review.click("text=Guided walks to the Blue Rocks")
    act(review, "changes", "How many walkers came each weekend?")
    assert GoodPractice.objects.get().status == Status.CHANGES_REQUESTED

    page.goto(f"{live_server.url}/practices/{practice.uid}/?lang=en")
    assert page.is_visible("text=How many walkers came each weekend?")
    page.click("a:has-text('Edit')")
    page.fill("#id_evidence_en", "About 40 walkers each weekend in 2024.")
    page.click("button[type=submit]:has-text('Save the draft')")
    page.wait_for_selector("h1:has-text('Guided walks to the Blue Rocks')")
    act(page, "submit")

    review.goto(f"{live_server.url}/practices/{practice.uid}/?lang=en")
    act(review, "publish")
    assert GoodPractice.objects.get().status == Status.PUBLISHED

    visitor = new_page()
    visitor.goto(f"{live_server.url}/practices/?lang=en")
    assert visitor.is_visible(".practice-card h2:has-text('Guided walks to the Blue Rocks')")
    visitor.wait_for_selector("path.atlas-practice")
    visitor.goto(f"{live_server.url}/?{OVERVIEW}&lang=en")
    visitor.wait_for_selector("[data-ready=true]", timeout=15_000)
    assert visitor.locator("path.atlas-practice").count() == 0  # a layer to switch on
    visitor.check("#atlas-kind-practice")
    visitor.wait_for_selector("path.atlas-practice")


def test_a_pilot_route_of_the_partner_is_picked_as_a_place_on_the_form(
        new_page, live_server, region):
    """The issue's places are attractions, trails, routes and sub-areas: the form's list
    offers the partner's pilot routes beside its attractions and trails. It failed first
    (no route in the list)."""
    from routes.models import PilotRoute
    from routes.vocabulary import RouteStatus

    _sz, sliven = region
    route = PilotRoute.objects.create(slug="sliven-rocks-loop", status=RouteStatus.PUBLISHED,
                                      title_en="Rocks loop", title_bg="Около скалите")
    route.partners.add(sliven)
    page = signed_in(new_page, live_server, make_person(sliven, "members"))
    page.goto(f"{live_server.url}/practices/new/?lang=en")
    page.fill("#id_title_en", "Weekend buses to the rocks")
    page.fill("#place-filter", "Rocks")
    page.click("button[aria-label='Add: Rocks loop']")
    assert page.locator("#chosen-places li").all_inner_texts()[0].startswith("Rocks loop")
    page.click("button[type=submit]:has-text('Save the draft')")
    page.wait_for_selector("h1:has-text('Weekend buses to the rocks')")
    place = GoodPractice.objects.get().places.get()
    assert place.route == route
    assert page.locator(f".places a[href='/routes/{route.slug}/']").inner_text() == "Rocks loop"
