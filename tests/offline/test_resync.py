"""A saved route knows when it changed: the version a device keeps with its copy (and the
pack's key) changes with the route, its corridor's features and the timetable's feeds,
and not with a write elsewhere in the region (tests/browser/test_offline.py drives the
update in Chromium)."""

from __future__ import annotations

from datetime import date

import pytest

from layers.models import Attraction
from offline.pack import PackSpec, kept_pack, route_pack_build
from tests.factories import make_attraction

SITE = "http://testserver/"
VERSION = "/api/offline/routes/karandila-walk/version/"


def version(client, **query) -> str:
    response = client.get(VERSION, {"lang": "en", "date": date.today().isoformat(), **query})
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-cache"
    return response.json()["version"]


def test_the_plan_gives_the_version_the_device_asks_for_again(client, walk):
    day = date.today().isoformat()
    plan = client.get("/api/offline/routes/karandila-walk/", {"lang": "en", "date": day}).json()
    assert plan["version"] == version(client)
    assert plan["version_url"] == f"{VERSION}?lang=en&date={day}"
    # Where a device's background re-sync asks for the plan again (static/offline/sync.js).
    assert plan["plan_url"] == "/api/offline/routes/karandila-walk/"
    assert version(client) == version(client)  # stable while nothing changes
    assert version(client, lang="bg") != version(client)  # the copy in another language


def test_a_write_elsewhere_in_the_region_changes_nothing(client, walk):
    before = version(client)
    path_before, _key = kept_pack(PackSpec("karandila-walk", (date.today(),)))
    # 40 km away, in the same partner's layer: not on the saved map.
    far = make_attraction(walk["layer"], 26.80, 42.90, name_en="Far monastery")
    Attraction.objects.filter(pk=far.pk).update(name_en="Far monastery (renamed)")
    assert version(client) == before
    assert kept_pack(PackSpec("karandila-walk", (date.today(),)))[0] == path_before


@pytest.mark.parametrize("change", ["a stop renamed", "a place on the corridor",
                                    "the timetable"])
def test_a_change_to_what_the_copy_holds_changes_its_version_and_pack(client, walk, change,
                                                                       tmp_path):
    spec = PackSpec("karandila-walk", (date.today(),))
    before, first = version(client), route_pack_build(spec, site_url=SITE)
    if change == "a stop renamed":
        stop = walk["stops"][1]
        stop.name_en = "Old stone bridge"
        stop.save()
    elif change == "a place on the corridor":  # 300 m off the line: on the saved map
        make_attraction(walk["layer"], 26.3650, 42.6687, name_en="Spring")
    else:
        from tests.transit.conftest import WITH_RETURN, make_zip
        from transit.services import feed_import

        feed_import(partner=walk["partner"], path=make_zip(tmp_path / "more.zip", WITH_RETURN),
                    name="more-buses", licence="CC BY 4.0")
    assert version(client) != before
    assert route_pack_build(spec, site_url=SITE) != first


@pytest.mark.parametrize(("query", "parameter"), [({"date": "tomorrow"}, "date"),
                                                  ({"lang": "xx"}, "lang"),
                                                  ({"colour": "red"}, "colour")])
def test_bad_parameters_are_named(client, walk, query, parameter):
    response = client.get(VERSION, query)
    assert response.status_code == 400 and parameter in response.content.decode()


def test_a_route_withdrawn_since_is_a_404(client, walk):
    walk["route"].status = "draft"
    walk["route"].save()
    assert client.get(VERSION).status_code == 404
