"""Listings through the admin: the partner is the one whose territory holds the place;
a partner's editors write their partner's listings, everyone else none (role × action)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from actors.models import Listing
from geo.crs import WEB_MERCATOR, WGS84
from tests.factories import make_listing, make_person
from tests.media.images import NO_PHOTOS

pytestmark = pytest.mark.django_db

SLIVEN_POINT = (26.32, 42.68)
DROME_POINT = (5.05, 44.75)


def mercator(point: tuple[float, float]) -> str:
    """The point as the admin's map widget sends it: GeoJSON in web Mercator (EPSG:3857)."""
    x, y = Point(*point, srid=WGS84).transform(WEB_MERCATOR, clone=True).coords
    return f'{{"type": "Point", "coordinates": [{x}, {y}]}}'


def form(point=SLIVEN_POINT, **kw) -> dict:
    return {"type": "accommodation", "status": "published", "name_bg": "Къща Сините камъни",
            "name_en": "Blue Stones guesthouse", "currency": "EUR",
            "location": mercator(point),
            "opening_hours": "Mo-Su 08:00-22:00", **NO_PHOTOS, **kw}


def test_the_partner_is_the_one_whose_territory_holds_the_place(client, territories):
    client.force_login(make_person(territories["sliven"], "editors"))
    answer = client.post(reverse("admin:actors_listing_add"), form())
    assert answer.status_code == 302, answer.content.decode()[:3000]
    listing = Listing.objects.get()
    assert listing.partner == territories["sliven"]
    assert listing.name_bg == "Къща Сините камъни"


def test_a_place_outside_every_territory_is_refused_with_a_clear_message(client, territories):
    client.force_login(make_person(None, "editors", superuser=True, staff=True))
    answer = client.post(reverse("admin:actors_listing_add"), form(point=(13.4, 52.5)))
    assert answer.status_code == 200
    assert "outside every partner" in answer.content.decode()
    assert Listing.objects.count() == 0


def test_hours_that_do_not_parse_are_refused_with_a_hint(client, territories):
    client.force_login(make_person(territories["sliven"], "editors"))
    answer = client.post(reverse("admin:actors_listing_add"),
                         form(opening_hours="every day 8 to 10"))
    html = answer.content.decode()
    assert answer.status_code == 200 and "Mo-Fr 09:00-17:00" in html
    assert Listing.objects.count() == 0


def test_an_event_cannot_end_before_it_starts(client, territories):
    client.force_login(make_person(territories["sliven"], "editors"))
    answer = client.post(reverse("admin:actors_listing_add"),
                         form(type="event", starts_on="2027-06-10", ends_on="2027-06-01"))
    assert "cannot end before it starts" in answer.content.decode()
    assert Listing.objects.count() == 0


def test_an_editor_cannot_list_a_place_in_another_partners_territory(client, territories):
    client.force_login(make_person(territories["sliven"], "editors"))
    answer = client.post(reverse("admin:actors_listing_add"), form(point=DROME_POINT))
    assert answer.status_code == 200
    assert "only its editors" in answer.content.decode()
    assert Listing.objects.count() == 0


def test_an_editor_cannot_move_their_listing_into_another_territory(client, territories):
    listing = make_listing(*SLIVEN_POINT)
    client.force_login(make_person(territories["sliven"], "editors"))
    url = reverse("admin:actors_listing_change", args=[listing.pk])
    client.post(url, form(point=DROME_POINT))
    listing.refresh_from_db()
    assert listing.partner == territories["sliven"]


# Role × action: (who, may they list, change, delete Sliven's listings?)
ROLES = [
    ("sliven editor", True),
    ("drome editor", False),
    ("sliven moderator", False),
    ("sliven member", False),
    ("staff of no partner", False),
    ("anonymous", False),
]


def person(who: str, territories):
    if who == "anonymous":
        return None
    if who == "staff of no partner":
        return make_person(None, "editors", username="staff", staff=True)
    partner, role = who.split()
    return make_person(territories[partner], f"{role}s")


@pytest.mark.parametrize("who, allowed", ROLES)
def test_role_by_action(client, territories, who, allowed):
    listing = make_listing(*SLIVEN_POINT, name_en="Old name")
    user = person(who, territories)
    if user is not None:
        client.force_login(user)
    writes = 0
    # Add
    client.post(reverse("admin:actors_listing_add"), form(name_en="New one"))
    writes += Listing.objects.filter(name_en="New one").count()
    # Change
    client.post(reverse("admin:actors_listing_change", args=[listing.pk]),
                form(name_en="Changed"))
    listing.refresh_from_db()
    writes += listing.name_en == "Changed"
    # View
    page = client.get(reverse("admin:actors_listing_change", args=[listing.pk]))
    seen = page.status_code == 200
    # Delete
    client.post(reverse("admin:actors_listing_delete", args=[listing.pk]), {"post": "yes"})
    writes += not Listing.objects.filter(pk=listing.pk).exists()
    if allowed:
        assert (writes, seen) == (3, True)
    else:
        assert (writes, seen) == (0, False)
