"""Study visits: recorded by the members of the host or a visiting partner, with linked
places (the practices' place picker), practices seen and notes; pages and API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from exchange.models import StudyVisit
from exchange.places import PlaceSpec
from exchange.visits import VisitSpec, visit_create, visit_update
from geo.errors import Forbidden, InvalidFields
from tests.exchange.conftest import publish, write_practice
from tests.factories import make_partner, make_person


def spec(world, **kw):
    values = {"title": "Drôme in Sliven", "host": "sliven", "visitors": ["drome"],
              "start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 3),
              "notes": "Saw the late openings.",
              "places": [PlaceSpec(attraction=str(world.museum.uid)),
                         PlaceSpec(trail=str(world.trail.uid))], **kw}
    return VisitSpec(**values)


def test_a_visit_keeps_its_places_and_practices(world):
    practice = publish(world, write_practice(world))
    visit = visit_create(user=world.dr_member, spec=spec(world, practices=[str(practice.uid)]))
    body = Client().get(f"/api/practices/visits/{visit.uid}/?lang=en").json()
    assert [p["name"] for p in body["places"]] == ["Sliven Museum", "Blue Stones"]
    assert body["places"][1]["geometry"]["type"] in ("LineString", "MultiLineString")
    assert [p["id"] for p in body["practices"]] == [str(practice.uid)]
    assert [v["slug"] for v in body["visitors"]] == ["drome"]
    page = Client().get(f"/practices/visits/{visit.uid}/?lang=en").content.decode()
    assert "Sliven Museum" in page and "Night at the museum" in page


@pytest.mark.parametrize("change, field", [
    ({"end": dt.date(2025, 2, 1)}, "end"), ({"visitors": ["sliven"]}, "visitors"),
    ({"visitors": []}, "visitors"), ({"title": " "}, "title"), ({"host": "atlantis"}, "host"),
    ({"practices": ["00000000-0000-0000-0000-000000000000"]}, "practices")])
def test_a_wrong_visit_is_refused_naming_the_field(world, change, field):
    with pytest.raises(InvalidFields) as refused:
        visit_create(user=world.dr_member, spec=spec(world, **change))
    assert field in refused.value.fields
    assert not StudyVisit.objects.exists()


def test_a_draft_practice_is_not_named_as_seen(world):
    draft = write_practice(world)
    with pytest.raises(InvalidFields):
        visit_create(user=world.sl_member, spec=spec(world, practices=[str(draft.uid)]))


def test_only_its_partners_record_and_change_it(world):
    with pytest.raises(Forbidden):
        visit_create(user=world.outsider, spec=spec(world))
    visit = visit_create(user=world.sl_member, spec=spec(world))

    larissa = make_partner("larissa", bbox=(21.8, 39.2, 22.9, 40.1), name_en="Larissa")
    with pytest.raises(Forbidden):
        visit_update(user=make_person(larissa), visit=visit, spec=spec(world, title="X"))
    visit_update(user=world.dr_moderator, visit=visit, spec=spec(world, title="Renamed"))
    assert StudyVisit.objects.get().title == "Renamed"


def test_the_visit_list_filters_and_refuses_unknown_parameters(world):
    visit_create(user=world.sl_member, spec=spec(world))
    client = Client()
    assert client.get("/api/practices/visits/?host=sliven").json()["count"] == 1
    assert client.get("/api/practices/visits/?visitor=sliven").json()["count"] == 0
    refused = client.get("/api/practices/visits/?year=2025")
    assert refused.status_code == 400 and refused.json()["parameter"] == "year"
    page = client.get("/practices/visits/?lang=en").content.decode()
    assert "Drôme in Sliven" in page


def test_the_visit_form_saves_places_from_the_picker(world):
    client = Client()
    client.force_login(world.dr_member)
    assert client.get("/practices/visits/new/?lang=en").status_code == 200
    response = client.post("/practices/visits/new/", {
        "title": "Museums of Sliven", "host": "sliven", "visitors": ["drome"],
        "start": "2025-05-01", "end": "2025-05-02", "notes": "Good",
        "places": json.dumps([{"attraction": str(world.museum.uid)},
                              {"geometry": {"type": "Point", "coordinates": [26.3, 42.7]}}])})
    assert response.status_code == 302
    visit = StudyVisit.objects.get()
    assert visit.places.count() == 2 and visit.created_by == world.dr_member
    bad = client.post("/practices/visits/new/", {"title": "X", "host": "sliven",
                                                 "start": "2025-05-02", "end": "2025-05-01"})
    assert bad.status_code == 400 and "The end comes before the start." in bad.content.decode()


def test_the_visits_partners_are_told_and_the_list_pages(world):
    from notices.models import Notice

    visit_create(user=world.dr_member, spec=spec(world))
    visit_create(user=world.dr_member, spec=spec(world, title="Second visit"))
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert {"sliven-members", "drome-moderators"} <= told and "drome-members" not in told
    with translation.override("fr"):
        assert Notice.objects.filter(user=world.sl_member).first().text().startswith(
            "Une visite d'étude a été enregistrée")
    first = Client().get("/api/practices/visits/?limit=1").json()
    assert first["count"] == 2 and first["previous"] is None
    assert "offset=1" in first["next"]
