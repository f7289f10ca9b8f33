"""Actors' submissions through the pages: sign-up with a verification link read from a
real SMTP server, a new listing with hours and a photo, the Sliven moderators' decisions
(each recorded and told by e-mail), a change shown as a diff, claims and withdrawals."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from actors.models import Actor, Decision, Listing, Submission
from actors.vocabulary import ListingStatus, SubmissionState
from media.models import MediaItem
from notices.models import Notice
from tests.actors.conftest import make_actor
from tests.factories import make_listing, make_person
from tests.media.images import jpeg

pytestmark = pytest.mark.django_db

GUESTHOUSE = {"name_en": "Blue Stone guesthouse", "name_bg": "Къща за гости Синия камък",
              "description_en": "Six rooms under the Blue Rocks.", "lon": "26.33",
              "lat": "42.70", "type": "accommodation", "opening_hours": "Mo-Su 08:00-22:00",
              "currency": "BGN", "price_from": "40", "capacity": "12", "languages": "bg,en"}


@pytest.fixture
def sliven_moderator(territories):
    return make_person(territories["sliven"], "moderators", username="sliven-moderator")


@pytest.fixture
def actor(territories):
    return make_actor("rooms@example.org", organisation="Blue Stone")


def sign_up(client, **extra):
    data = {"email": "Stay@Example.org", "password1": "Blue rocks 2027!",
            "password2": "Blue rocks 2027!", "organisation": "Blue Stone", "kind": "business",
            "languages": "bg,en", "description_bg": "Семейна къща", **extra}
    return client.post("/actors/sign-up/?lang=en", data)


def test_a_guesthouse_signs_up_and_verifies_its_address_from_the_mail(
        client, territories, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = sign_up(client)
    assert answer.status_code == 302 and answer["Location"] == "/actors/"
    actor = Actor.objects.get(user__username="stay@example.org")
    assert actor.verified_at is None and actor.description_bg == "Семейна къща"
    # Not verified yet: the dashboard says so, and no listing may be submitted.
    assert "open it to confirm your address" in client.get("/actors/?lang=en").content.decode()
    assert client.get("/actors/submissions/new/").status_code == 403
    [(to, mail)] = smtp_inbox.messages
    assert to == ["stay@example.org"]
    assert mail["Subject"] == "Confirm your e-mail address for the Regional Tourism Atlas"
    link = re.search(r"https?://\S+(/actors/verify/\S+/)", mail.get_content()).group(1)
    assert "Your e-mail address is confirmed" in client.get(link).content.decode()
    actor.refresh_from_db()
    assert actor.verified_at is not None
    # The link works once.
    assert client.get(link).status_code == 400
    assert client.get("/actors/submissions/new/").status_code == 200


def test_sign_up_refuses_a_taken_address_and_differing_passwords(client, actor):
    answer = sign_up(client, email="rooms@example.org", password2="other")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "An account with this e-mail address exists" in page
    assert "The two passwords differ" in page
    assert User.objects.filter(username__iexact="rooms@example.org").count() == 1


def test_sign_up_page_is_in_the_readers_language(client, territories):
    page = client.get("/actors/sign-up/?lang=bg").content.decode()
    assert "Регистрация" in page


def test_the_verification_link_of_another_user_verifies_nobody(client, territories):
    from actors.accounts import verification_tokens

    one = make_actor("one@example.org", verified=False)
    two = make_actor("two@example.org", verified=False)
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    token = verification_tokens.make_token(one.user)
    assert client.get(f"/actors/verify/{urlsafe_base64_encode(force_bytes(two.user.pk))}/"
                      f"{token}/").status_code == 400
    two.refresh_from_db()
    assert two.verified_at is None


def test_hours_that_do_not_parse_are_refused_with_the_parsers_message_and_a_hint(
        client, actor):
    client.force_login(actor.user)
    answer = client.post("/actors/submissions/new/?lang=en",
                         {**GUESTHOUSE, "opening_hours": "Monday to Friday 9 to 5"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "do not follow OpenStreetMap" in page and "Mo-Fr 09:00-17:00" in page
    assert not Submission.objects.exists()


def test_a_place_outside_every_territory_is_refused(client, actor):
    client.force_login(actor.user)
    answer = client.post("/actors/submissions/new/?lang=en", {**GUESTHOUSE, "lon": "10.0",
                                                              "lat": "50.0"})
    assert answer.status_code == 400
    assert "outside every partner" in answer.content.decode()


def submit_new(client, actor, media=True, **extra):
    client.force_login(actor.user)
    data = {**GUESTHOUSE, **extra, "send": "1", "note": "We open in May."}
    if media:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data |= {"photo": SimpleUploadedFile("room.jpg", jpeg(), "image/jpeg"),
                 "photo_author": "M. Petrova", "photo_licence": "CC-BY-4.0",
                 "photo_caption": "A room"}
    answer = client.post("/actors/submissions/new/?lang=en", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    return Submission.objects.get(actor=actor)


def test_a_new_listing_goes_through_moderation_and_is_published_on_approval(
        client, actor, sliven_moderator, media_root, smtp_inbox,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_new(client, actor)
    assert submission.state == SubmissionState.PENDING
    assert submission.partner.slug == "sliven"
    assert not Listing.objects.exists()
    # The Sliven moderator is told, in the app and by mail.
    assert [to for to, _m in smtp_inbox.messages] == [["sliven-moderator@example.org"]]
    assert Notice.objects.filter(user=sliven_moderator).count() == 1
    # The photo is not public before approval: a 404 for anyone, shown to the moderator.
    photo = MediaItem.objects.get()
    assert client.get(photo.url("160")).status_code == 404

    client.force_login(sliven_moderator)
    queue = client.get("/actors/moderation/?lang=en").content.decode()
    assert "Blue Stone guesthouse" in queue and "Mo-Su 08:00-22:00" in queue
    assert client.get(f"/actors/submissions/{submission.pk}/photos/{photo.uid}/160"
                      ).status_code == 200
    # Changes asked need a comment.
    answer = client.post(f"/actors/submissions/{submission.pk}/act/?lang=en",
                         {"action": "changes"})
    assert answer.status_code == 400 and "Say why" in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/actors/submissions/{submission.pk}/act/",
                    {"action": "changes", "comment": "Add the Saturday hours."})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.CHANGES
    assert smtp_inbox.messages[-1][0] == ["rooms@example.org"]
    assert "Add the Saturday hours." in smtp_inbox.messages[-1][1].get_content()

    client.force_login(actor.user)
    answer = client.post(f"/actors/submissions/{submission.pk}/edit/",
                         {**GUESTHOUSE, "opening_hours": "Mo-Fr 08:00-22:00; Sa 09:00-20:00",
                          "send": "1"})
    assert answer.status_code == 302
    client.force_login(sliven_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/actors/submissions/{submission.pk}/act/", {"action": "approve"})
    listing = Listing.objects.get()
    assert listing.status == ListingStatus.PUBLISHED and listing.actor == actor
    assert listing.opening_hours == "Mo-Fr 08:00-22:00; Sa 09:00-20:00"
    assert listing.name_bg == "Къща за гости Синия камък" and listing.capacity == 12
    assert (listing.location.x, listing.location.y) == pytest.approx((26.33, 42.70))
    assert client.get(photo.url("160")).status_code == 200  # moved to the listing
    features = client.get("/api/services/?lang=en").json()["features"]
    assert [f["properties"]["name"] for f in features] == ["Blue Stone guesthouse"]
    assert "Blue Stone guesthouse" in client.get(f"/services/{listing.uid}/").content.decode()
    assert list(Decision.objects.filter(submission=submission).values_list(
        "action", "by__username")) == [
        ("submit", "rooms@example.org"), ("changes", "sliven-moderator"),
        ("submit", "rooms@example.org"), ("approve", "sliven-moderator")]
    assert "Your submission was approved" in smtp_inbox.messages[-1][1]["Subject"]


def test_a_change_is_kept_field_by_field_shown_as_a_diff_and_applied_on_approval(
        client, actor, sliven_moderator):
    listing = make_listing(26.31, 42.67, name_en="Old mill", opening_hours="Mo-Fr 09:00-17:00",
                           actor=actor)
    client.force_login(actor.user)
    form = client.get(f"/actors/listings/{listing.uid}/change/?lang=en").content.decode()
    assert 'value="Mo-Fr 09:00-17:00"' in form
    answer = client.post(f"/actors/listings/{listing.uid}/change/",
                         {"name_en": "Old mill", "lon": "26.31", "lat": "42.67",
                          "type": "accommodation", "currency": "EUR",
                          "opening_hours": "Mo-Sa 09:00-19:00", "name_fr": "Vieux moulin",
                          "send": "1"})
    assert answer.status_code == 302
    submission = Submission.objects.get()
    assert submission.values == {"opening_hours": "Mo-Sa 09:00-19:00",
                                 "name_fr": "Vieux moulin"}
    # An editor changes another field meanwhile: the approval keeps it.
    Listing.objects.filter(pk=listing.pk).update(phone="+359 1")
    client.force_login(sliven_moderator)
    page = client.get(f"/actors/submissions/{submission.pk}/?lang=en").content.decode()
    row = re.search(r'<tr data-field="opening_hours">(.*?)</tr>', page, re.S).group(1)
    assert "<del>Mo-Fr 09:00-17:00</del>" in row and "<ins>Mo-Sa 09:00-19:00</ins>" in row
    assert "Name (Français)" in page or "name (Français)" in page
    client.post(f"/actors/submissions/{submission.pk}/act/", {"action": "approve"})
    listing.refresh_from_db()
    assert (listing.opening_hours, listing.name_fr, listing.phone) == (
        "Mo-Sa 09:00-19:00", "Vieux moulin", "+359 1")
    submission.refresh_from_db()
    assert submission.before == {"opening_hours": "Mo-Fr 09:00-17:00", "name_fr": ""}


def test_a_claim_approved_lets_the_actor_propose_changes_and_a_withdrawal_takes_it_off(
        client, actor, sliven_moderator):
    listing = make_listing(26.31, 42.67, name_en="Town museum")
    client.force_login(actor.user)
    assert client.get(f"/actors/listings/{listing.uid}/change/").status_code == 403
    client.post("/actors/claim/", {"uid": str(listing.uid), "note": "We run it."})
    claim = Submission.objects.get(kind="claim")
    client.force_login(sliven_moderator)
    client.post(f"/actors/submissions/{claim.pk}/act/", {"action": "approve"})
    listing.refresh_from_db()
    assert listing.actor == actor
    client.force_login(actor.user)
    assert client.get(f"/actors/listings/{listing.uid}/change/").status_code == 200
    client.post(f"/actors/listings/{listing.uid}/withdraw/", {"note": "Closed for good."})
    withdrawal = Submission.objects.get(kind="withdraw")
    client.force_login(sliven_moderator)
    client.post(f"/actors/submissions/{withdrawal.pk}/act/",
                {"action": "reject", "comment": "Keep it: you reopen in spring."})
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    withdrawal.refresh_from_db()
    assert withdrawal.state == SubmissionState.REJECTED


def test_a_museum_claims_the_museum_from_its_page(client, territories, actor,
                                                 sliven_moderator):
    from tests.factories import make_attraction, make_layer

    museum = make_attraction(make_layer(territories["sliven"]), 26.32, 42.68,
                             name_en="Museum of textiles")
    client.force_login(actor.user)
    page = client.get(f"/attractions/{museum.uid}/?lang=en").content.decode()
    assert "Claim this place" in page
    client.post("/actors/claim/", {"uid": str(museum.uid), "note": "We run it."})
    claim = Submission.objects.get(kind="claim", attraction=museum)
    assert claim.partner.slug == "sliven" and claim.state == SubmissionState.PENDING
    client.force_login(sliven_moderator)
    client.post(f"/actors/submissions/{claim.pk}/act/", {"action": "approve"})
    assert list(actor.attractions.all()) == [museum]



def test_the_verification_mail_is_in_the_language_of_the_sign_up_page(
        client, territories, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/actors/sign-up/?lang=el", {
            "email": "rooms@example.gr", "password1": "Blue rocks 2027!",
            "password2": "Blue rocks 2027!", "organisation": "Ξενώνας", "kind": "business"})
    [(_to, mail)] = smtp_inbox.messages
    assert mail["Subject"].strip() == "Επιβεβαιώστε τη διεύθυνση e-mail σας για τον Περιφερειακό " \
                              "Τουριστικό Άτλαντα"
    assert "Γεια σας, Ξενώνας" in mail.get_content()


def test_an_actor_signs_in_on_the_sites_own_page_and_lands_on_the_dashboard(client, actor):
    page = client.get("/actors/sign-in/?lang=fr").content.decode()
    assert "Se connecter" in page and "/actors/sign-up/" in page
    wrong = client.post("/actors/sign-in/", {"username": "rooms@example.org",
                                             "password": "nope"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    answer = client.post("/actors/sign-in/", {"username": "rooms@example.org",
                                              "password": "pw-rooms@example.org"})
    assert answer.status_code == 302 and answer["Location"] == "/actors/"
    assert "Blue Stone" in client.get("/actors/").content.decode()


def test_a_photo_that_lies_about_its_type_is_refused_and_nothing_is_kept(
        client, actor, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.media.images import png

    client.force_login(actor.user)
    answer = client.post("/actors/submissions/new/?lang=en", {
        **GUESTHOUSE, "photo": SimpleUploadedFile("room.jpg", png(), "image/jpeg"),
        "photo_author": "M. Petrova", "photo_licence": "CC-BY-4.0"})
    assert answer.status_code == 400
    assert "its bytes are image/png" in answer.content.decode()
    assert not MediaItem.objects.exists()
    assert not Submission.objects.exists()


def test_the_admin_lists_actors_and_the_record_of_submissions(admin_client, actor):
    submission = Submission.objects.create(actor=actor, kind="new", values={"name_en": "X"})
    Decision.objects.create(submission=submission, action="submit", by=actor.user)
    assert "Blue Stone" in admin_client.get("/admin/actors/actor/").content.decode()
    page = admin_client.get(f"/admin/actors/submission/{submission.pk}/change/")
    assert page.status_code == 200 and "rooms@example.org" in page.content.decode()


def test_an_actor_edits_their_own_profile_only(client, actor, territories):
    other = make_actor("other@example.org", organisation="Other")
    client.force_login(actor.user)
    page = client.get("/actors/profile/?lang=en").content.decode()
    assert 'value="Blue Stone"' in page and "Other" not in page
    answer = client.post("/actors/profile/", {
        "organisation": "Blue Stone rooms", "kind": "business", "languages": "bg,en,de",
        "website": "bluestone.example.org", "description_fr": "Chambres d'hôtes."})
    assert answer.status_code == 302
    actor.refresh_from_db()
    other.refresh_from_db()
    assert (actor.organisation, actor.languages, actor.website, actor.description_fr) == (
        "Blue Stone rooms", ["bg", "en", "de"], "https://bluestone.example.org",
        "Chambres d'hôtes.")
    assert other.organisation == "Other"
    client.force_login(make_person(territories["sliven"], "editors"))
    assert client.get("/actors/profile/").status_code == 403


def test_an_approved_claim_of_an_attraction_lets_its_actor_propose_changes_to_it(
        client, territories, actor, sliven_moderator):
    from tests.factories import make_attraction, make_layer

    museum = make_attraction(make_layer(territories["sliven"]), 26.32, 42.68,
                             name_en="Museum of textiles", opening_hours="Tu-Su 10:00-18:00")
    other = make_actor("other@example.org")
    client.force_login(actor.user)
    assert client.get(f"/actors/attractions/{museum.uid}/change/").status_code == 403
    actor.attractions.add(museum)  # as an approved claim leaves it
    page = client.get(f"/attractions/{museum.uid}/?lang=en").content.decode()
    assert f"/actors/attractions/{museum.uid}/change/" in page
    answer = client.post(f"/actors/attractions/{museum.uid}/change/", {
        "name_en": "Museum of textiles", "opening_hours": "Tu-Su 10:00-17:00; PH off",
        "fee": "true", "wheelchair": "yes", "price_from": "3", "price_to": "6",
        "languages": "bg, en", "accessibility_en": "Lift to every floor", "send": "1"})
    assert answer.status_code == 302
    change = Submission.objects.get(attraction=museum)
    assert change.values == {"opening_hours": "Tu-Su 10:00-17:00; PH off", "fee": "true",
                             "wheelchair": "yes", "price_from": "3", "price_to": "6",
                             "languages": "bg,en", "accessibility_en": "Lift to every floor"}
    client.force_login(sliven_moderator)
    page = client.get(f"/actors/submissions/{change.pk}/?lang=en").content.decode()
    row = re.search(r'<tr data-field="opening_hours">(.*?)</tr>', page, re.S).group(1)
    assert "<del>Tu-Su 10:00-18:00</del>" in row
    client.post(f"/actors/submissions/{change.pk}/act/", {"action": "approve"})
    museum.refresh_from_db()
    assert (museum.opening_hours, museum.fee, museum.wheelchair, museum.name_en) == (
        "Tu-Su 10:00-17:00; PH off", True, "yes", "Museum of textiles")
    assert (museum.price_from, museum.price_to, museum.languages, museum.accessibility_en) == (
        3, 6, ["bg", "en"], "Lift to every floor")
    # Another actor may not, by the page nor the API.
    client.force_login(other.user)
    assert client.get(f"/actors/attractions/{museum.uid}/change/").status_code == 403
    api = client.post("/api/services/submissions/", {
        "attraction": str(museum.uid), "values": {"phone": "+359 1"}},
        content_type="application/json")
    assert api.status_code == 403
    assert Submission.objects.filter(actor=other).count() == 0


def test_an_address_too_long_for_a_user_name_is_a_form_error_not_a_500(client, territories):
    answer = sign_up(client, email="a" * 140 + "@example.org")
    assert answer.status_code == 400
    assert "at most 150 characters" in answer.content.decode()
    assert not User.objects.exists()
