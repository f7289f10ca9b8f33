""""How to get there" on an attraction's and a trail's page, as on a route's: the stops
near it, their lines and departures on the chosen day, and what a day there allows."""

from __future__ import annotations

from django.contrib.gis.geos import LineString, MultiLineString

from geo.crs import WGS84
from layers.models import Trail
from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer
from tests.transit.conftest import next_weekday


def block(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="how-to-get-there"' in html, url
    return html[html.index('id="how-to-get-there"'):html.index("</section>",
                                                                html.index("how-to-get-there"))]


def test_an_attractions_page_says_how_to_get_there_and_back(client, sliven_feed):
    place = make_attraction(make_layer(sliven_feed.partner), 26.3570, 42.6590,
                            name_en="Karandila viewpoint")
    monday = next_weekday(0).isoformat()
    html = block(client, f"/attractions/{place.uid}/?date={monday}")
    assert "Karandila</strong> · 1 min on foot" in html
    assert '<span class="tag">12</span>' in html
    assert '<span class="time" title="Centre">17:00</span>' in html
    assert ("There and back by the timetable: arrive at 08:25 at the earliest, leave at "
            "17:00 at the latest.") in html
    assert "of this place, in a straight line" in html
    assert "Timetable city-buses (CC BY 4.0), valid from" in html
    french = block(client, f"/attractions/{place.uid}/?date={monday}",
                   HTTP_ACCEPT_LANGUAGE="fr")
    assert "Comment s’y rendre" in french and "1 min à pied" in french


def test_a_trails_page_counts_its_walking_time_from_its_start(client, sliven_feed):
    layer = make_layer(sliven_feed.partner, LayerKind.TRAILS)
    # From by the Karandila stop, 47 km along the ridge: longer than the buses' day.
    line = LineString([(26.3570, 42.6590), (26.70, 42.66), (26.75, 42.70), (26.90, 42.72)],
                      srid=WGS84)
    trail = Trail.objects.create(layer=layer, activity="hiking", name_en="Long ridge",
                                 geom=MultiLineString(line, srid=WGS84))
    trail.refresh_from_db()
    assert trail.duration_min > 9 * 60
    monday = next_weekday(0).isoformat()
    html = block(client, f"/trails/{trail.uid}/?date={monday}")
    assert "Karandila</strong> · 1 min on foot" in html
    assert "leaves too little time for the trail." in html
    assert "of the start, in a straight line" in html


def test_no_block_where_no_timetable_serves_the_place(client, sliven_feed):
    place = make_attraction(make_layer(sliven_feed.partner), 26.0, 42.9, name_en="Far")
    html = client.get(f"/attractions/{place.uid}/").content.decode()
    assert 'id="how-to-get-there"' not in html


def test_a_bad_date_on_a_place_page_is_a_400_naming_it(client, sliven_feed):
    place = make_attraction(make_layer(sliven_feed.partner), 26.3570, 42.6590)
    response = client.get(f"/attractions/{place.uid}/?date=tomorrow")
    assert response.status_code == 400 and "date" in response.content.decode()
