"""Who was trained, in a real Chromium: a signed-in member goes through the explorer's
tour to its end, and their partner's training report counts them; a visitor who is not
signed in is counted once per browser, without a name; a sandbox account sees the sandbox
banner on every page."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.browser.explorer import OVERVIEW
from tests.factories import make_attraction, make_layer, make_partner, make_person

pytestmark = pytest.mark.browser


def _signed_in(new_page, live_server, user, **options):
    client = Client()
    client.force_login(user)
    page = new_page(first_visit=True, **options)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def _step_through(page) -> None:
    popover = page.locator(".driver-popover")
    popover.wait_for(timeout=15_000)
    while page.locator(".driver-popover-next-btn").is_visible():
        last = page.locator(".driver-popover-progress-text").inner_text()
        page.locator(".driver-popover-next-btn").click()
        current, _of, total = last.split()
        if current == total:
            break
        page.wait_for_function(
            "t => document.querySelector('.driver-popover-progress-text')?.textContent !== t",
            arg=last)
    popover.wait_for(state="hidden")


@pytest.mark.django_db(transaction=True)
def test_a_member_s_completed_explorer_tour_is_counted_in_the_partner_s_report(
        new_page, live_server):
    partner = make_partner("stara-zagora")
    make_attraction(make_layer(partner), 25.62, 42.42, name_en="Forum")
    member = make_person(partner, "members")
    page = _signed_in(new_page, live_server, member)
    page.goto(f"{live_server.url}/?lang=en&{OVERVIEW}")
    _step_through(page)
    page.wait_for_selector("html[data-tour-recorded=explorer]", timeout=10_000)
    assert not page.console_errors

    moderator = Client()
    moderator.force_login(make_person(partner, "moderators"))
    rows = list(csv.DictReader(io.StringIO(
        moderator.get("/training/report.csv").content.decode())))
    assert [(r["role"], r["kind"], r["item"], r["people"]) for r in rows] == [
        ("member", "tour", "explorer", "1")]


@pytest.mark.django_db(transaction=True)
def test_a_visitor_s_completed_tour_is_counted_once_per_browser_without_a_name(
        new_page, live_server):
    from training.models import TrainingRecord, VisitorCount

    make_partner("stara-zagora")
    page = new_page(first_visit=True)
    page.goto(f"{live_server.url}/?lang=el&{OVERVIEW}")
    _step_through(page)
    page.wait_for_selector("html[data-tour-recorded=explorer]", timeout=10_000)
    assert VisitorCount.objects.get(item="explorer").count == 1
    # Replayed to its end in the same browser, it is not counted again.
    page.reload()
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    page.locator("header.site [data-tour-replay]").click()
    _step_through(page)
    page.wait_for_timeout(500)
    assert VisitorCount.objects.get(item="explorer").count == 1
    assert not TrainingRecord.objects.exists()
    assert not page.console_errors


@pytest.mark.django_db(transaction=True)
def test_a_tour_closed_before_its_end_is_not_counted(new_page, live_server):
    partner = make_partner("stara-zagora")
    member = make_person(partner, "members")
    page = _signed_in(new_page, live_server, member)
    page.goto(f"{live_server.url}/?lang=en&{OVERVIEW}")
    page.locator(".driver-popover").wait_for(timeout=15_000)
    page.keyboard.press("Escape")
    page.locator(".driver-popover").wait_for(state="hidden")
    page.wait_for_timeout(300)
    assert page.locator("html[data-tour-recorded]").count() == 0
    from training.models import TrainingRecord
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_sandbox_account_sees_the_sandbox_banner(new_page, live_server):
    from django.contrib.auth.models import User

    from fixtures.sandbox import training_accounts

    login = training_accounts(1)[0]
    page = _signed_in(new_page, live_server, User.objects.get(username=login.username))
    for path in ("/routes/?lang=bg", "/practices/?lang=bg"):
        page.goto(f"{live_server.url}{path}")
        banner = page.locator("[data-sandbox-banner]")
        assert banner.is_visible()
        assert "Пясъчник за обучение" in banner.inner_text()
