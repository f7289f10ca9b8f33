"""Deleted objects come back from the audit trail (Trust, section 7: "restore this
version"). Before, only an object that still existed could be restored: a deleted
attraction, layer or route had no page, and its history no button — a wrong click in the
admin lost it for good, though the trail kept every value.

Each admin list now has a "Deleted" page: the objects of its kind that were deleted, that
the user may bring back (their own partners' only), each restored as it was, with its id
and public id; a layer with the features deleted with it, a route with its stops, legs and
partners. The restore is recorded like any write.
"""

from __future__ import annotations

import pytest

from layers.models import Attraction, Layer, Partner, Trail
from routes.models import PilotRoute, RouteLeg, RouteStop
from routes.services import StopSpec, route_compose
from tests.factories import make_attraction, make_layer, make_partner, make_trail

pytestmark = pytest.mark.django_db


def _delete(client, url: str) -> None:
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


def _restore_button(page: str) -> str:
    return page.split('<form method="post" action="', 1)[1].split('"', 1)[0]


def test_an_editor_brings_back_an_attraction_they_deleted(client, world):
    forum = make_attraction(make_layer(world["a"]), 25.6, 42.4, name_en="Forum",
                            category="ruins")
    uid, pk = forum.uid, forum.pk
    client.force_login(world["ivana"])
    _delete(client, f"/admin/layers/attraction/{pk}/delete/")
    assert not Attraction.objects.filter(pk=pk).exists()

    listing = client.get("/admin/layers/attraction/").content.decode()
    assert 'href="/admin/layers/attraction/deleted/"' in listing
    page = client.get("/admin/layers/attraction/deleted/").content.decode()
    assert "Forum" in page and "ivana" in page
    response = client.post(_restore_button(page))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/layers/attraction/{pk}/change/"
    back = Attraction.objects.get(pk=pk)
    assert (back.uid, back.name_en, back.category) == (uid, "Forum", "ruins")
    assert back.location.coords == pytest.approx((25.6, 42.4))
    assert any(f["properties"]["name"] == "Forum"
               for f in client.get("/api/attractions/").json()["features"])
    history = client.get(f"/admin/layers/attraction/{pk}/history/").content.decode()
    assert "restored from version" in history
    # Nothing is left to restore.
    assert "Forum" not in client.get("/admin/layers/attraction/deleted/").content.decode()


def test_another_partners_deleted_objects_are_neither_listed_nor_restored(client, world):
    forum = make_attraction(make_layer(world["a"]), 25.6, 42.4, name_en="Forum")
    client.force_login(world["ivana"])
    _delete(client, f"/admin/layers/attraction/{forum.pk}/delete/")
    client.force_login(world["root"])
    button = _restore_button(client.get("/admin/layers/attraction/deleted/").content.decode())

    client.force_login(world["petar"])  # Sliven's editor
    assert "Forum" not in client.get("/admin/layers/attraction/deleted/").content.decode()
    assert client.post(button).status_code == 404
    assert not Attraction.objects.exists()


def test_a_layer_comes_back_with_the_features_deleted_with_it(client, world):
    layer = make_layer(world["a"], slug="sz-sites")
    for i, name in enumerate(("Forum", "Spring")):
        make_attraction(layer, 25.6 + i / 100, 42.4, name_en=name)
    trails = make_layer(world["a"], kind="trails", slug="sz-trails")
    walk = make_trail(trails, [(25.60, 42.40), (25.62, 42.41)], name_en="Walk")
    length = walk.length_m
    client.force_login(world["ivana"])
    _delete(client, f"/admin/layers/layer/{layer.pk}/delete/")
    _delete(client, f"/admin/layers/layer/{trails.pk}/delete/")
    assert not Attraction.objects.exists() and not Trail.objects.exists()

    page = client.get("/admin/layers/layer/deleted/").content.decode()
    buttons = [part.split('"', 1)[0] for part in page.split('<form method="post" action="')[1:]]
    assert len(buttons) == 2
    for button in buttons:
        assert client.post(button).status_code == 302
    assert set(Layer.objects.values_list("slug", flat=True)) == {"sz-sites", "sz-trails"}
    assert sorted(Attraction.objects.values_list("name_en", flat=True)) == ["Forum", "Spring"]
    # A trail's metrics are the platform's to compute: computed again, the same.
    assert Trail.objects.get().length_m == pytest.approx(length)


def test_a_route_comes_back_with_its_stops_legs_and_partners(client, world):
    layer = make_layer(world["a"])
    stops = [make_attraction(layer, 25.60 + i / 100, 42.40, name_en=f"Stop {i}")
             for i in range(3)]
    route = PilotRoute.objects.create(slug="sz-walk", title_en="Walk")
    route.partners.add(world["a"])
    route_compose(route=route, stops=[StopSpec(attraction=a) for a in stops],
                  modes=["walk", "walk"])
    pk = route.pk
    client.force_login(world["ivana"])
    _delete(client, f"/admin/routes/pilotroute/{pk}/delete/")
    assert not RouteStop.objects.exists()

    client.force_login(world["petar"])  # Sliven's editor: not a route of theirs
    listed = client.get("/admin/routes/pilotroute/deleted/").content.decode()
    assert "Nothing of this kind that you may restore has been deleted." in listed

    client.force_login(world["ivana"])
    page = client.get("/admin/routes/pilotroute/deleted/").content.decode()
    assert "Walk" in page
    client.post(_restore_button(page))
    route = PilotRoute.objects.get(pk=pk)
    assert list(route.partners.all()) == [world["a"]]
    assert [s.attraction.name_en for s in route.stops.order_by("order")] == [
        "Stop 0", "Stop 1", "Stop 2"]
    assert RouteLeg.objects.filter(route=route).count() == 2


def test_a_feature_whose_layer_is_gone_waits_for_its_layer(client, world):
    layer = make_layer(world["a"], slug="sz-sites")
    forum = make_attraction(layer, 25.6, 42.4, name_en="Forum")
    client.force_login(world["root"])
    _delete(client, f"/admin/layers/attraction/{forum.pk}/delete/")
    _delete(client, f"/admin/layers/layer/{layer.pk}/delete/")
    client.force_login(world["ivana"])  # not listed: what it belonged to comes back first
    listed = client.get("/admin/layers/attraction/deleted/").content.decode()
    assert "Nothing of this kind that you may restore has been deleted." in listed
    client.force_login(world["root"])
    page = client.get("/admin/layers/attraction/deleted/").content.decode()
    response = client.post(_restore_button(page), follow=True)
    assert "This version cannot be restored" in response.content.decode()
    assert not Attraction.objects.exists()


def test_a_deleted_partner_comes_back_with_new_role_groups(client, world):
    gone = make_partner("drome", bbox=(4.6, 44.1, 5.8, 45.4))
    pk = gone.pk
    client.force_login(world["root"])
    _delete(client, f"/admin/layers/partner/{pk}/delete/")
    page = client.get("/admin/layers/partner/deleted/").content.decode()
    button = _restore_button(page)

    client.force_login(world["ivana"])  # partners are the superusers' to restore
    listed = client.get("/admin/layers/partner/deleted/").content.decode()
    assert "Nothing of this kind that you may restore has been deleted." in listed
    assert client.post(button).status_code == 404 and not Partner.objects.filter(pk=pk).exists()

    client.force_login(world["root"])
    client.post(button)
    back = Partner.objects.get(pk=pk)
    assert back.slug == "drome" and back.editors is not None and back.moderators is not None
