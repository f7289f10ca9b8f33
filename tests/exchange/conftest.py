"""A small world for the exchange's tests: two partners with an attraction and a trail
each, and a person in each role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from exchange import services
from exchange.places import PlaceSpec
from layers.vocabulary import LayerKind
from planner.models import IndicatorSnapshot
from tests.factories import make_attraction, make_layer, make_partner, make_person, make_trail


@pytest.fixture
def world(db, settings):
    # Nine accounts a test: the production hasher's deliberate slowness would be most of
    # the test's time, and these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sliven = make_partner("sliven", bbox=(25.9, 42.4, 26.6, 42.9), name_en="Sliven",
                          name_bg="Сливен")
    drome = make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.3), name_en="Drôme",
                         country="FR", languages=["fr", "en"])
    sl_layer = make_layer(sliven)
    museum = make_attraction(sl_layer, 26.32, 42.68, name_en="Sliven Museum",
                             name_bg="Музей Сливен")
    karandila = make_attraction(sl_layer, 26.36, 42.72, name_en="Karandila",
                                category="viewpoint")
    trail = make_trail(make_layer(sliven, LayerKind.TRAILS),
                       [(26.30, 42.70), (26.35, 42.72), (26.38, 42.75)], name_en="Blue Stones")
    dr_museum = make_attraction(make_layer(drome), 5.05, 44.93, name_en="Musée de Valence")
    curators = Group.objects.create(name=settings.ATLAS_CURATORS_GROUP)
    curator = make_person(None, username="curator")
    curator.groups.add(curators)
    return SimpleNamespace(
        sliven=sliven, drome=drome, museum=museum, karandila=karandila, trail=trail,
        dr_museum=dr_museum, curator=curator,
        sl_member=make_person(sliven, "members"), sl_moderator=make_person(sliven, "moderators"),
        sl_editor=make_person(sliven, "editors"),
        dr_member=make_person(drome, "members"), dr_moderator=make_person(drome, "moderators"),
        outsider=make_person(None, username="outsider"),
        root=make_person(None, username="root", superuser=True, staff=True))


def write_practice(world, *, author=None, title="Night at the museum", **values):
    author = author or world.sl_member
    return services.practice_create(
        user=author, partner=world.sliven,
        values={"title_en": title, "summary_en": "Late openings bring young visitors.",
                "title_bg": "Нощ в музея", "themes": ["cultural_heritage"],
                "categories": ["museum"], "contact_name": "Ivana Petrova",
                "contact_email": "ivana@example.org", **values},
        places=[PlaceSpec(attraction=str(world.museum.uid)),
                PlaceSpec(trail=str(world.trail.uid))])


def publish(world, practice):
    services.practice_submit(user=world.sl_member, practice=practice)
    return services.practice_review(user=world.dr_moderator, practice=practice,
                                    decision="publish")


@pytest.fixture
def media_root(settings, tmp_path):
    """Attachments go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def snapshot(partner, day, *, per_100=2.0, share=0.4, trail_km=10.0, routes=1):
    """An analysis snapshot of ``partner``'s measured indicators on ``day``."""
    return IndicatorSnapshot.objects.create(
        partner=partner, taken_on=day, radius_km=5.0, area_km2=1000.0, attractions=20,
        attractions_per_100km2=per_100, trail_km=trail_km, trail_km_per_100km2=1.0,
        published_routes=routes, covered_share=share, gap_km2=600.0, gaps=3)
