"""A small world for the campaigns' tests: two partners, an attraction, a route of two
stops, a featured practice, and a person in each role."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from campaigns import services
from exchange.models import GoodPractice
from exchange.vocabulary import Status as PracticeStatus
from routes.models import PilotRoute
from routes.services import StopSpec, route_compose
from tests.factories import make_attraction, make_layer, make_partner, make_person

TODAY = "2026-06-15T12:00:00+00:00"


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ATLAS_NOW = TODAY
    sliven = make_partner("sliven", bbox=(25.9, 42.4, 26.6, 42.9), name_en="Sliven",
                          name_bg="Сливен")
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.3), name_en="Drôme",
                         country="FR", languages=["fr", "en"])
    layer = make_layer(sliven)
    rocks = make_attraction(layer, 26.32, 42.68, name_en="Blue Rocks", name_bg="Сините камъни")
    museum = make_attraction(layer, 26.33, 42.70, name_en="Sliven Museum")
    route = PilotRoute.objects.create(slug="blue-rocks-walk", status="published",
                                      title_en="To the Blue Rocks",
                                      title_bg="Към Сините камъни",
                                      summary_en="A walk to the rocks above Sliven.")
    route.partners.add(sliven)
    route_compose(route=route, stops=[StopSpec(museum), StopSpec(rocks)], modes=["car"])
    draft_route = PilotRoute.objects.create(slug="secret-draft", status="draft",
                                            title_en="Draft route")
    draft_route.partners.add(sliven)
    practice = GoodPractice.objects.create(partner=sliven, title_en="Night at the museum",
                                           status=PracticeStatus.FEATURED)
    root = make_person(None, username="root", superuser=True, staff=True)
    return SimpleNamespace(
        sliven=sliven, drome=drome, rocks=rocks, museum=museum, route=route,
        draft_route=draft_route, practice=practice, root=root,
        sl_member=make_person(sliven, "members"),
        sl_editor=make_person(sliven, "editors"),
        sl_moderator=make_person(sliven, "moderators"),
        dr_editor=make_person(drome, "editors"),
        dr_moderator=make_person(drome, "moderators"))


def announce(world, *, title="Rock festival", published=True, starts=dt.date(2026, 6, 1),
             ends=dt.date(2026, 6, 30), **values):
    a = services.announcement_create(
        user=world.sl_editor, partner=world.sliven,
        values={"title_en": title, "text_en": "Music at the Blue Rocks.\n\nBring a coat.",
                "starts_on": starts, "ends_on": ends, **values})
    if published:
        services.announcement_publish(user=world.sl_moderator, announcement=a)
    return a
