"""A guesthouse's whole way in a browser, shared by the test of the cycle (in English and
Bulgarian) and the screenshots of the actors' pages: sign-up, the verification mail read
from a real SMTP server, a listing with hours and a photo, the Sliven moderator's request
for a change then approval, the listing on /api/services/ and its page, and a change of
hours that the moderator sees as a diff."""

from __future__ import annotations

import json
import re

from django.test import Client

from actors.models import Listing, Submission
from actors.vocabulary import ListingStatus, SubmissionState
from tests.browser.conftest import PHONE, screenshot
from tests.factories import make_person
from tests.media.images import jpeg


def signed_in(new_page, live_server, user, **options):
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    return page


def decide(page, action: str, comment: str = "") -> None:
    if comment:
        page.fill("#f-comment", comment)
    page.click(f"#decide button[name=action][value={action}]")
    page.wait_for_load_state()


def send(page) -> None:
    """Send the listing form; it must land on the submission's page, waiting for a
    moderator (a refusal fails the test with the page's messages)."""
    page.click("button[name=send]")
    page.wait_for_selector("#submission-state[data-state=pending], .error[role=alert]")
    assert not page.locator(".error").count(), page.inner_text("main")[:2000]


def guesthouse_cycle(new_page, live_server, sliven, inbox, lang: str,
                     shots: bool = False) -> None:
    moderator = make_person(sliven, "moderators", username="sliven-moderator")
    page = new_page()
    page.goto(f"{live_server.url}/?lang={lang}")
    page.click("[data-actor-link]")
    page.wait_for_selector("#sign-up")
    page.fill("#id_email", "stay@example.org")
    page.fill("#id_password1", "Blue rocks 2027!")
    page.fill("#id_password2", "Blue rocks 2027!")
    page.fill("#id_organisation", "Blue Stone")
    page.select_option("#id_kind", "business")
    page.fill("#id_languages", "bg,en")
    page.fill("#id_description_bg", "Семейна къща за гости под Сините камъни.")
    if shots:
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"actors-sign-up-{lang}")
    page.click("#sign-up button[type=submit]")
    page.wait_for_selector("#verify-first")

    [(to, mail)] = inbox.messages
    assert to == ["stay@example.org"]
    link = re.search(r"https?://\S+?(/actors/verify/\S+/)", mail.get_content()).group(1)
    page.goto(live_server.url + link + f"?lang={lang}")
    page.click("main a.button")
    page.click("a[href='/actors/submissions/new/']")
    page.fill("#id_name_en", "Blue Stone guesthouse")
    page.fill("#id_name_bg", "Къща за гости „Синия камък“")
    page.fill("#id_description_en", "Six rooms under the Blue Rocks.")
    # A click on the small map fills the point's fields; typed values move its marker.
    page.click("#point-map .folium-map", position={"x": 200, "y": 150})
    assert page.input_value("#id_lon") and page.input_value("#id_lat")
    page.fill("#id_lon", "26.33")
    page.fill("#id_lat", "42.70")
    page.select_option("#id_type", "accommodation")
    page.fill("#id_opening_hours", "Mo-Su 8 to 22")  # not OSM syntax: refused with a hint
    page.fill("#id_price_from", "40")
    page.select_option("#id_currency", "BGN")
    page.set_input_files("#f-photo", files=[{"name": "room.jpg", "mimeType": "image/jpeg",
                                             "buffer": jpeg()}])
    page.fill("#f-photo-author", "M. Petrova")
    page.click("button[name=send]")
    page.wait_for_selector(".error[role=alert]")
    beside = page.inner_text(".field:has(#id_opening_hours) p.error")
    assert "OpenStreetMap" in beside and "Mo-Fr 09:00-17:00" in beside
    assert not Submission.objects.exists()
    page.fill("#id_opening_hours", "Mo-Su 08:00-22:00")
    page.set_input_files("#f-photo", files=[{"name": "room.jpg", "mimeType": "image/jpeg",
                                             "buffer": jpeg()}])
    if shots:
        page.locator("#id_opening_hours").scroll_into_view_if_needed()
        screenshot(page, f"actors-listing-form-{lang}")
    send(page)
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.PENDING and submission.photos.count() == 1
    page.goto(f"{live_server.url}/actors/?lang={lang}")
    assert page.get_attribute("#my-submissions [data-state]", "data-state") == "pending"

    review = signed_in(new_page, live_server, moderator)
    review.goto(f"{live_server.url}/actors/moderation/?lang={lang}")
    review.click(f"#actor-queue a[href='/actors/submissions/{submission.pk}/']")
    assert review.inner_text("tr[data-field=opening_hours] ins") == "Mo-Su 08:00-22:00"
    assert review.locator("ul.photos img").count() == 1
    decide(review, "changes", "Please say whether you open on public holidays.")
    assert Submission.objects.get().state == SubmissionState.CHANGES

    page.goto(f"{live_server.url}/actors/submissions/{submission.pk}/?lang={lang}")
    assert page.is_visible("text=Please say whether you open on public holidays.")
    page.click(f"a[href='/actors/submissions/{submission.pk}/edit/']")
    page.fill("#id_opening_hours", "Mo-Su 08:00-22:00; PH 10:00-18:00")
    send(page)

    review.goto(f"{live_server.url}/actors/submissions/{submission.pk}/?lang={lang}")
    decide(review, "approve")
    listing = Listing.objects.get()
    assert listing.status == ListingStatus.PUBLISHED

    visitor = new_page()
    visitor.goto(f"{live_server.url}/api/services/?lang=en")
    features = json.loads(visitor.inner_text("body"))["features"]
    assert [(f["properties"]["name"], f["properties"]["opening_hours"]) for f in features] == [
        ("Blue Stone guesthouse", "Mo-Su 08:00-22:00; PH 10:00-18:00")]
    visitor.goto(f"{live_server.url}/services/{listing.uid}/?lang={lang}")
    expected = "Къща за гости „Синия камък“" if lang == "bg" else "Blue Stone guesthouse"
    assert visitor.inner_text("h1") == expected
    assert visitor.locator("img[src^='/media/']").count() >= 1

    page.goto(f"{live_server.url}/actors/?lang={lang}")
    page.click(f"a[href='/actors/listings/{listing.uid}/change/']")
    page.fill("#id_opening_hours", "Mo-Sa 08:00-22:00; Su,PH 10:00-18:00")
    send(page)
    change = Submission.objects.get(kind="change")
    review.goto(f"{live_server.url}/actors/moderation/?lang={lang}")
    row = review.locator("#actor-queue tr[data-field=opening_hours]")
    assert row.locator("del").inner_text() == "Mo-Su 08:00-22:00; PH 10:00-18:00"
    assert row.locator("ins").inner_text() == "Mo-Sa 08:00-22:00; Su,PH 10:00-18:00"
    review.goto(f"{live_server.url}/actors/submissions/{change.pk}/?lang={lang}")
    if shots:
        screenshot(review, f"actors-moderation-diff-{lang}")
    if shots and lang == "bg":  # the phone's layout, once
        phone = signed_in(new_page, live_server, moderator, viewport=PHONE, is_mobile=True,
                          has_touch=True)
        phone.goto(f"{live_server.url}/actors/submissions/{change.pk}/?lang={lang}")
        screenshot(phone, f"actors-moderation-diff-phone-{lang}")
