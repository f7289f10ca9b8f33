"""The routes API on the demo routes: lists and filters, detail, profile, errors."""

from __future__ import annotations

import pytest

from fixtures.demo_layers import DEMO_DIR
from fixtures.demo_routes import load_demo_routes
from routes.models import PilotRoute
from routes.vocabulary import RouteStatus

pytestmark = pytest.mark.django_db


def slugs(client, query: str = "") -> list[str]:
    response = client.get(f"/api/routes/?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return [f["properties"]["slug"] for f in response.json()["features"]]


def test_every_partner_has_a_published_route_and_one_crosses_partners(demo):
    published = PilotRoute.objects.filter(status=RouteStatus.PUBLISHED)
    for partner in ("stara-zagora", "sliven", "larissa", "drome"):
        assert published.filter(partners__slug=partner).exists(), partner
    crossing = [r for r in published if r.partners.count() > 1]
    assert [r.slug for r in crossing] == ["thracian-heritage-kazanlak-to-sliven"]
    for route in published:
        assert route.length_m > 1000 and route.duration_min > 60 and route.difficulty


def test_loading_the_demo_routes_twice_keeps_their_ids(demo):
    before = dict(PilotRoute.objects.values_list("slug", "uid"))
    load_demo_routes(DEMO_DIR)
    assert dict(PilotRoute.objects.values_list("slug", "uid")) == before


def test_filters(client, demo):
    assert slugs(client, "partner=larissa") == ["tempi-valley-along-the-pineios"]
    assert "thracian-heritage-kazanlak-to-sliven" in slugs(client, "partner=sliven")
    assert set(slugs(client, "theme=religious_heritage")) == {"tempi-valley-along-the-pineios"}
    assert slugs(client, "days=2") == ["thracian-heritage-kazanlak-to-sliven"]
    # All-year routes (no months) are found in any season.
    winter = slugs(client, "season=winter")
    assert winter == ["thracian-heritage-kazanlak-to-sliven"]
    assert "tempi-valley-along-the-pineios" in slugs(client, "season=3")
    assert slugs(client, "mode=car") == ["tempi-valley-along-the-pineios",
                                         "thracian-heritage-kazanlak-to-sliven",
                                         "valley-of-the-thracian-kings-and-shipka"]
    for slug in slugs(client, "difficulty=hard"):
        assert PilotRoute.objects.get(slug=slug).difficulty == "hard"
    for slug in slugs(client, "max_hours=4"):
        assert PilotRoute.objects.get(slug=slug).duration_min <= 240


def test_search_finds_routes_across_scripts(client, demo):
    assert slugs(client, "q=Тракийско") == ["thracian-heritage-kazanlak-to-sliven"]
    assert "thracian-heritage-kazanlak-to-sliven" in slugs(client, "q=Trakiysko")
    assert slugs(client, "q=Τέμπη") == slugs(client, "q=Tempi") == [
        "tempi-valley-along-the-pineios"]


def test_near_orders_by_distance_and_says_it(client, demo):
    body = client.get("/api/routes/?near=25.3218,42.74833&radius=20000").json()
    first = body["features"][0]["properties"]
    assert first["slug"] == "valley-of-the-thracian-kings-and-shipka"
    assert first["distance_m"] < 50  # the Freedom Monument is one of its stops
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances)


def test_drafts_are_not_public_and_pilots_are(client, demo):
    route = PilotRoute.objects.get(slug="sliven-tuida-and-the-blue-rocks")
    route.status = RouteStatus.DRAFT
    route.save()
    assert route.slug not in slugs(client)
    assert client.get(f"/api/routes/{route.slug}/").status_code == 404
    route.status = RouteStatus.PILOT
    route.save()
    assert route.slug in slugs(client)
    assert route.slug in slugs(client, "status=pilot")
    # The regional layer shows published routes only.
    regional = client.get("/api/regional-layer/?limit=1000").json()["features"]
    shown = {f["properties"].get("slug") for f in regional if f["properties"]["kind"] == "route"}
    assert route.slug not in shown and "foret-de-saou-and-the-trois-becs" in shown


def test_detail_in_the_asked_language_with_stops_legs_and_reason(client, demo):
    body = client.get("/api/routes/foret-de-saou-and-the-trois-becs/?lang=fr").json()
    p = body["properties"]
    assert p["name"] == "La forêt de Saoû et les Trois Becs"
    assert [s["order"] for s in p["stops"]] == [1, 2, 3]
    assert p["stops"][0]["name"] == "Défilé du Pertuis"
    assert len(p["legs"]) == 2 and all(leg["source"] == "routed" for leg in p["legs"])
    assert p["legs"][0]["trail"]["name"]
    assert p["difficulty"] == "hard"
    assert "9,6 km" in p["difficulty_reason"]  # French decimals
    assert p["length_m"] == round(PilotRoute.objects.get(slug=p["slug"]).length_m)
    assert p["links"]["gpx"].endswith("/export/?format=gpx")
    assert len(body["geometry"]["coordinates"]) == 2  # one line per leg
    assert len(body["geometry"]["coordinates"][0][0]) == 3  # with elevation


def test_profile_runs_from_zero_to_the_route_length(client, demo):
    body = client.get("/api/routes/foret-de-saou-and-the-trois-becs/profile/").json()
    points = body["points"]
    assert points[0][0] == 0
    assert points[-1][0] == pytest.approx(body["length_m"], abs=1)
    distances = [p[0] for p in points]
    assert distances == sorted(distances)
    elevations = [p[1] for p in points]
    assert min(elevations) == pytest.approx(body["min_elevation_m"], abs=0.1)
    assert max(elevations) == pytest.approx(body["max_elevation_m"], abs=0.1)


@pytest.mark.parametrize("query, parameter", [
    ("season=13", "season"), ("theme=skiing", "theme"), ("mode=plane", "mode"),
    ("days=two", "days"), ("max_hours=-1", "max_hours"), ("bbox=1,2,3", "bbox"),
    ("lang=de", "lang"), ("status=draft", "status"), ("limit=0", "limit"),
])
def test_bad_parameters_are_named(client, demo, query, parameter):
    response = client.get(f"/api/routes/?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_unknown_export_format_is_refused(client, demo):
    response = client.get("/api/routes/foret-de-saou-and-the-trois-becs/export/?format=shp")
    assert response.status_code == 400 and response.json()["parameter"] == "format"


def test_a_cql2_filter_as_an_independent_filter_of_the_whole_list_gives(client, demo):
    everything = client.get("/api/routes/?limit=100").json()["features"]
    longest = max(f["properties"]["length_m"] for f in everything)
    assert slugs(client, f"filter=length_m >= {longest}") == [
        f["properties"]["slug"] for f in everything if f["properties"]["length_m"] >= longest]
    long_ones = {f["properties"]["slug"] for f in everything
                 if f["properties"]["length_m"] > 20000}
    assert set(slugs(client, "filter=length_m > 20000")) == long_ones
    assert 0 < len(long_ones) < len(everything)
    # In the Drôme's box: its routes only, joined with the list's own filters by AND.
    drome = slugs(client, "filter=S_INTERSECTS(geometry, BBOX(4.6, 44.1, 5.9, 45.4))")
    assert drome and set(drome) == set(slugs(client, "partner=drome"))
    assert slugs(client, "partner=larissa&filter=S_INTERSECTS(geometry, "
                         "BBOX(4.6, 44.1, 5.9, 45.4))") == []


def test_a_bad_cql2_filter_is_a_400_naming_it(client, demo):
    response = client.get("/api/routes/?filter=colour = 'red'")
    assert response.status_code == 400 and response.json()["parameter"] == "filter"
