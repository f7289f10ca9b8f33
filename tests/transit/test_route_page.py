"""The "How to get there" block of a route's page, and its route= form in the API."""

from __future__ import annotations

import pytest

from routes.models import PilotRoute, RouteStop
from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer
from tests.transit.conftest import next_weekday


@pytest.fixture
def route(sliven_feed):
    layer = make_layer(sliven_feed.partner)
    start = make_attraction(layer, 26.3570, 42.6590, name_en="Karandila viewpoint")
    route = PilotRoute.objects.create(slug="karandila", status=RouteStatus.PUBLISHED,
                                      title_en="Karandila")
    route.partners.add(sliven_feed.partner)
    RouteStop.objects.create(route=route, order=1, attraction=start)
    PilotRoute.objects.filter(pk=route.pk).update(duration_min=240)
    return route


def test_route_page_shows_the_stop_its_lines_and_a_same_day_return(client, route):
    monday = next_weekday(0).isoformat()
    html = client.get(f"/routes/karandila/?date={monday}").content.decode()
    block = html[html.index('id="how-to-get-there"'):]
    assert "Karandila</strong> · 1 min on foot" in block
    assert '<span class="tag">12</span>' in block
    assert '<span class="time" title="Centre">17:00</span>' in block
    assert "A same-day return fits: arrive at 08:25, leave at 17:00." in block
    assert "Timetable city-buses (CC BY 4.0), valid from" in block


def test_route_page_in_french(client, route):
    monday = next_weekday(0).isoformat()
    html = client.get(f"/routes/karandila/?date={monday}",
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Comment s’y rendre" in html
    assert "1 min à pied" in html


def test_no_block_where_no_feed_serves_the_start(client, route):
    RouteStop.objects.filter(route=route).update(
        attraction=make_attraction(route.stops.get().attraction.layer, 26.0, 42.9))
    html = client.get("/routes/karandila/").content.decode()
    assert 'id="how-to-get-there"' not in html


def test_a_bad_date_on_the_page_is_a_400_naming_it(client, route):
    response = client.get("/routes/karandila/?date=tomorrow")
    assert response.status_code == 400
    assert "date" in response.content.decode()


def test_access_api_for_a_route_uses_its_start_and_its_time(client, route):
    body = client.get("/api/transit/access/", {"route": "karandila",
                                               "date": next_weekday(0).isoformat()}).json()
    assert body["stay_min"] == 240
    assert body["stops"][0]["stop_id"] == "S2"
    assert body["same_day_return"] is True
