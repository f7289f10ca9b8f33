"""One small world for the whole platform's permission matrix (tests/permissions): two
real partners (A: Stara Zagora, B: Sliven) and the training sandbox, a person in each role,
and one object of each kind in each state the matrix asks about — a few dozen rows, no
demo load."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from actors.models import Actor
from actors.vocabulary import ListingStatus
from campaigns import services as campaign_services
from exchange import services as exchange_services
from exchange.models import GoodPractice
from exchange.places import PlaceSpec
from exchange.vocabulary import Status
from layers.models import Layer
from layers.vocabulary import Visibility
from media.services import attachment_add, image_add
from routes.vocabulary import RouteStatus
from tests.factories import (
    make_attraction,
    make_layer,
    make_listing,
    make_partner,
    make_person,
)
from tests.media.images import png
from tests.routes.conftest import make_route

ROLES = ("anonymous", "tourist", "actor", "member_a", "editor_a", "moderator_a", "editor_b",
         "moderator_b", "trainee", "superuser")
"""Who tries: a visitor; a signed-in tourist (no role); a tourism actor (whose draft listing
lies in A's territory); A's member, editor and moderator; B's editor and moderator; a
training account (a member of the sandbox); a superuser."""

A_PEOPLE = frozenset({"member_a", "editor_a", "moderator_a"})


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _attach(owner: object, label: str) -> str:
    """An image attached to ``owner``; its public id."""
    return str(image_add(owner=owner, data=png(40, 30), declared_type="image/png",
                         author=label, licence="CC-BY-4.0").uid)


def _document(owner: object, label: str) -> str:
    data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return str(attachment_add(owner=owner, data=data, declared_type="application/pdf",
                              filename=f"{label}.pdf", author=label,
                              licence="CC-BY-4.0").uid)


@pytest.fixture
def platform(db, settings, media_root) -> SimpleNamespace:
    # Ten accounts a test: the production hasher's slowness would be most of the time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    a = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), name_en="Stara Zagora")
    b = make_partner("sliven", bbox=(26.0, 42.5, 26.9, 43.1), name_en="Sliven")
    sandbox = make_partner("sandbox", bbox=(24.0, 41.5, 24.3, 41.8), name_en="Sandbox",
                           sandbox=True)
    places = make_layer(a, slug="sz-places")
    forum = make_attraction(places, 25.62, 42.42, name_en="Forum")
    lake = make_attraction(places, 25.70, 42.45, name_en="Lake")
    upload = make_layer(a, visibility=Visibility.PARTNERS, slug="sz-upload")
    # Ready to publish: described, licensed, sourced.
    Layer.objects.filter(pk=upload.pk).update(
        description_en="Springs surveyed in 2024", licence="CC-BY-4.0",
        source="Regional museum")
    hidden = make_attraction(upload, 25.66, 42.43, name_en="Unpublished spring")
    b_places = make_layer(b, slug="sl-places")
    clock = make_attraction(b_places, 26.32, 42.68, name_en="Clock tower")
    sb_places = make_layer(sandbox, slug="sb-places")
    sb_site = make_attraction(sb_places, 24.1, 41.6, name_en="Training hut")
    sb_spare = make_attraction(sb_places, 24.2, 41.7, name_en="Training well")

    actor_user = User.objects.create_user("actor@example.org", "actor@example.org", "pw")
    actor = Actor.objects.create(user=actor_user, organisation="Inn keepers", kind="business",
                                 verified_at=timezone.now())
    people = {
        "anonymous": None,
        "tourist": make_person(None, username="tourist"),
        "actor": actor_user,
        "member_a": make_person(a, "members"),
        "editor_a": make_person(a, "editors"),
        "moderator_a": make_person(a, "moderators"),
        "editor_b": make_person(b, "editors"),
        "moderator_b": make_person(b, "moderators"),
        "trainee": make_person(sandbox, "members", username="trainee"),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }

    def practice(partner, author, title: str, status: str, place) -> GoodPractice:
        made = exchange_services.practice_create(
            user=author, partner=partner,
            values={"title_en": title, "summary_en": "Late openings bring young visitors."},
            places=[PlaceSpec(attraction=str(place.uid))])
        GoodPractice.objects.filter(pk=made.pk).update(status=status)
        made.refresh_from_db()
        return made

    draft = practice(a, people["member_a"], "Draft practice of A", Status.DRAFT, forum)
    submitted = practice(a, people["member_a"], "Practice of A under review",
                         Status.SUBMITTED, forum)
    published = practice(a, people["member_a"], "Published practice of A", Status.PUBLISHED,
                         forum)
    sb_published = practice(sandbox, people["trainee"], "Sandbox practice", Status.PUBLISHED,
                            sb_site)
    draft_listing = make_listing(25.64, 42.44, name_en="Draft inn of the actor",
                                 status=ListingStatus.DRAFT, actor=actor)
    listing = make_listing(25.65, 42.41, name_en="Published inn")
    route = make_route(a, slug="a-route", status=RouteStatus.PUBLISHED)
    draft_route = make_route(a, slug="a-draft-route", status=RouteStatus.DRAFT)

    draft_announcement = campaign_services.announcement_create(
        user=people["editor_a"], partner=a,
        values={"title_en": "Spring fair", "starts_on": dt.date(2026, 6, 1),
                "ends_on": dt.date(2026, 6, 30)})

    media = {
        "draft practice": _attach(draft, "draft-practice"),
        "draft practice's document": _document(draft, "draft-report"),
        "published practice": _attach(published, "published-practice"),
        "sandbox practice": _attach(sb_published, "sandbox-practice"),
        "draft listing": _attach(draft_listing, "draft-listing"),
        "published listing": _attach(listing, "published-listing"),
        "public attraction": _attach(forum, "forum"),
        "unpublished attraction": _attach(hidden, "unpublished"),
        "draft announcement": _attach(draft_announcement, "draft-announcement"),
    }
    return SimpleNamespace(
        a=a, b=b, sandbox=sandbox, places=places, upload=upload, b_places=b_places,
        forum=forum, lake=lake, hidden=hidden, clock=clock, sb_site=sb_site, sb_spare=sb_spare,
        actor=actor, people=people, draft=draft, submitted=submitted, published=published,
        sb_published=sb_published, draft_listing=draft_listing, listing=listing,
        route=route, draft_route=draft_route, media=media)


def signed_in(platform: SimpleNamespace, role: str):
    """A test client signed in as ``role`` (a visitor's for "anonymous")."""
    from django.test import Client

    client = Client()
    user = platform.people[role]
    if user is not None:
        client.force_login(user)
    return client
