"""The explorer's "open on" filter for listings, in a real Chromium: a day chosen shows
only the listings open that day (hours with the country's public holidays, event dates),
or on a day of a period, and a listing's popup says its hours that day."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.explorer import OVERVIEW, open_explorer
from tests.browser.test_service_pages import SERVICE_MARKERS, listings_region  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_open_on_shows_the_listings_open_that_day(page, live_server, listings_region):  # noqa: F811
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    assert page.locator(SERVICE_MARKERS).count() == 4
    # 1 May 2027: Labour Day in Bulgaria (the guesthouse says "PH off"), the festival's
    # first day, and the tavern opens every day.
    page.fill("#atlas-open-on", "2027-05-01")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 2")
    titles = sorted(m.get_attribute("title") for m in page.locator(SERVICE_MARKERS).all())
    assert titles == ["Wine festival", "Zagore tavern"]
    assert "open_on=2027-05-01" in page.url
    # A popup says how the listing is open on the day chosen.
    page.locator(f"{SERVICE_MARKERS}[title='Zagore tavern']").click()
    page.wait_for_selector(".atlas-popup[data-hours=ready]", timeout=10_000)
    assert page.locator(".atlas-popup-on").inner_text() == "Open on Saturday 1 May: 11:00–23:00"
    # Until the Tuesday: the guesthouse opens again on the 4th; the guide (no hours) stays
    # off the map, not known to be open.
    page.fill("#atlas-open-until", "2027-05-04")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 3")
    assert "open_on=2027-05-01%2F2027-05-04" in page.url
    screenshot(page, "test-explorer-open-on-a-period")
    page.fill("#atlas-open-on", "")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 4")
    assert page.console_errors == []


def test_the_until_field_offers_at_most_the_period_the_api_accepts(page, live_server,
                                                                  listings_region):  # noqa: F811
    open_explorer(page, live_server, f"lang=fr&{OVERVIEW}")
    page.fill("#atlas-open-on", "2027-05-01")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 2")
    until = page.locator("#atlas-open-until")
    # 92 days from 1 May, both included: /api/services/?open_on= refuses a day more.
    assert (until.get_attribute("min"), until.get_attribute("max")) == ("2027-05-01",
                                                                        "2027-07-31")
    assert page.locator("#atlas-open-on").get_attribute("max") == "2999-12-31"
    page.fill("#atlas-open-until", "2027-07-31")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 3")
    assert page.locator("#atlas-open-on-status").is_hidden()
    # A day typed past the field's limit: the API refuses the period, the panel says why
    # in the reader's language, and the map shows every listing, not a filtered few.
    page.fill("#atlas-open-until", "2027-08-15")
    status = page.locator("#atlas-open-on-status")
    status.wait_for(state="visible", timeout=5_000)
    assert status.inner_text() == ("open_on: une période d’au plus 92 jours\n"
                                   "La carte montre toutes les fiches : ce choix a été refusé.")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 4")
    assert page.locator("[data-open-on=refused]").count() == 1
    assert until.get_attribute("aria-invalid") == "true"
    screenshot(page, "test-explorer-open-on-refused")
    # A period the API accepts again: the filter holds and the message goes.
    page.fill("#atlas-open-until", "2027-05-04")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 3")
    assert status.is_hidden()
    assert until.get_attribute("aria-invalid") is None
    assert page.locator("[data-open-on=refused]").count() == 0


def test_a_refused_period_in_the_address_is_said_in_bulgarian(page, live_server,
                                                              listings_region):  # noqa: F811
    open_explorer(page, live_server,
                  f"lang=bg&{OVERVIEW}&open_on=2027-05-01%2F2027-09-01", ready="")
    status = page.locator("#atlas-open-on-status")
    status.wait_for(state="visible", timeout=10_000)
    assert status.inner_text() == ("open_on: период от най-много 92 дни\n"
                                   "Картата показва всички обяви: този избор беше отказан.")
    page.wait_for_function(f"() => document.querySelectorAll('{SERVICE_MARKERS}').length == 4")
    assert page.locator("#atlas-open-on").get_attribute("aria-invalid") == "true"
