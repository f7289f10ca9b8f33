"""A partner's unpublished data stays theirs in routes (Trust D3, D13), a shared route keeps
its partners (D4), and partner editors compose routes in the admin (D24).

The world is ``two_partners`` (tests/routes/conftest.py): Stara Zagora (A) publishes its
places and a trail; Sliven (B) keeps a partners-only winery and a private path.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.gis.geos import MultiLineString

from geo.crs import WGS84
from layers.vocabulary import LayerKind, Visibility
from routes.models import PilotRoute, RouteStop
from routes.services import StopSpec, route_compose
from routes.vocabulary import LegSource, Mode
from tests.factories import make_layer
from tests.routes.conftest import admin_route_form, leaks, make_route, trail

pytestmark = pytest.mark.django_db

PUBLIC_READS = ("/api/routes/{slug}/", "/api/routes/{slug}/profile/",
                "/api/routes/{slug}/export/?format=gpx", "/api/routes/{slug}/export/?format=kml",
                "/api/routes/{slug}/export/?format=geojson", "/routes/{slug}/",
                "/embed/routes/{slug}/", "/api/routes/")


def public_leaks(client, world, slug: str) -> dict[str, list[str]]:
    """Each public answer about the route that shows something of B's unpublished data."""
    client.logout()
    out = {}
    for url in PUBLIC_READS:
        response = client.get(url.format(slug=slug))
        assert response.status_code == 200, url
        text = response.content.decode()
        if found := leaks(text, world):
            out[url] = found
    return out


def editor(partner, name: str, *, route_permissions: bool = False) -> User:
    """A staff member of the partner's editors group. ``route_permissions``: also given
    the routes' permissions by hand, as an operator did before editors had them (D24), to
    show what they then opened."""
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(partner.editors)
    if route_permissions:
        partner.editors.permissions.add(*Permission.objects.filter(content_type__app_label="routes"))
    return user


def composed(world, slug="forum-walk", partners=("a",), stops=("a1", "a2"),
             modes=(Mode.WALK,)) -> PilotRoute:
    route = make_route(world[partners[0]], slug=slug)
    route.partners.add(*(world[p] for p in partners))
    return route_compose(route=route, stops=[StopSpec(world[s]) for s in stops],
                         modes=list(modes))


# D3: another partner's partners-only attraction put into a route


def test_an_editor_cannot_put_another_partners_unpublished_attraction_in_a_route_in_the_admin(
        client, two_partners):
    w = two_partners
    route = composed(w)
    client.force_login(editor(w["a"], "ivana", route_permissions=True))
    response = client.post(f"/admin/routes/pilotroute/{route.pk}/change/", admin_route_form(
        route, new_stops=[(3, w["secret"])], new_legs=[(2, Mode.WALK, LegSource.STRAIGHT, None)]))
    assert response.status_code == 200  # the form again, with the row's error
    assert "Select a valid choice" in response.content.decode()
    assert not RouteStop.objects.filter(attraction=w["secret"]).exists()
    assert public_leaks(client, w, route.slug) == {}


def test_an_editor_cannot_make_a_leg_follow_another_partners_private_trail_in_the_admin(
        client, two_partners):
    w = two_partners
    route = composed(w)
    leg = route.legs.get()
    client.force_login(editor(w["a"], "ivana", route_permissions=True))
    data = admin_route_form(route)
    data.update({"legs-0-source": LegSource.TRAIL, "legs-0-trail": w["smugglers"].pk})
    response = client.post(f"/admin/routes/pilotroute/{route.pk}/change/", data)
    assert response.status_code == 200
    leg.refresh_from_db()
    assert leg.trail_id != w["smugglers"].pk
    assert public_leaks(client, w, route.slug) == {}


def test_the_composition_api_refuses_another_partners_unpublished_attraction_in_english_or_french(
        client, two_partners):
    w = two_partners
    route = composed(w)
    client.force_login(editor(w["a"], "ivana"))
    body = {"stops": [{"id": str(w["a1"].uid)}, {"id": str(w["secret"].uid)}],
            "modes": [Mode.WALK]}
    response = client.put(f"/api/routes/{route.slug}/composition/", body,
                          content_type="application/json")
    assert response.status_code == 400
    # The same answer as for an id that does not exist: it confirms nothing of B's.
    assert response.json() == {
        "parameter": "stops", "error": f"stops: stop 2: no attraction with id '{w['secret'].uid}'"}
    french = client.put(f"/api/routes/{route.slug}/composition/?lang=fr", body,
                        content_type="application/json")
    assert french.json()["error"] == ("stops: étape 2 : aucun site d’identifiant "
                                      f"'{w['secret'].uid}'")
    assert list(route.stops.values_list("attraction__name_en", flat=True)) == [
        "Augusta forum", "North spring"]


def test_the_public_never_sees_another_partners_unpublished_attraction_put_in_a_route(
        client, two_partners):
    """Put there before these checks (or by a superuser, who may): the public route, its
    page, profile and downloads leave out the stop and the legs that reach it."""
    w = two_partners
    route = composed(w, stops=("a1", "secret", "a2"), modes=(Mode.WALK, Mode.WALK))
    assert public_leaks(client, w, route.slug) == {}
    stops = client.get(f"/api/routes/{route.slug}/").json()["properties"]["stops"]
    assert [s["name"] for s in stops] == ["Augusta forum", "North spring"]


# D13: another partner's private trail in the route line


def test_the_public_never_sees_another_partners_private_trail_a_leg_follows(client,
                                                                            two_partners):
    w = two_partners
    route = composed(w)
    leg = route.legs.get()
    leg.source, leg.trail = LegSource.TRAIL, w["smugglers"]
    leg.save()  # as the admin saved it before D13 was closed
    assert public_leaks(client, w, route.slug) == {}
    detail = client.get(f"/api/routes/{route.slug}/").json()
    assert detail["properties"]["legs"] == []


def test_routing_never_follows_another_partners_private_trail(two_partners):
    """The private path is the shorter way, and the route is shared with its partner."""
    w = two_partners
    route = composed(w, partners=("a", "b"))
    assert route.legs.get().trail_id == w["t"].pk
    assert not leaks(route.geom.json, w)


def test_a_trail_made_private_after_a_route_was_routed_along_it_leaves_the_route_line(
        client, two_partners, django_capture_on_commit_callbacks):
    w = two_partners
    b_trails = make_layer(w["b"], LayerKind.TRAILS)
    shortcut = trail(b_trails, [(0, 0), (350, 650), (1000, 1000)], name_en="Smugglers path")
    route = composed(w, partners=("a", "b"))
    assert route.legs.get().trail_id == shortcut.pk  # public then: the shorter way
    b_trails.visibility = Visibility.PRIVATE
    with django_capture_on_commit_callbacks(execute=True):
        b_trails.save()
    route.refresh_from_db()
    assert route.legs.get().trail_id == w["t"].pk
    assert public_leaks(client, w, route.slug) == {}


def test_an_attraction_made_partners_only_after_it_was_put_in_a_route_leaves_the_public_route(
        client, two_partners, django_capture_on_commit_callbacks):
    w = two_partners
    w["secret"].layer = w["b_places"]
    w["secret"].save()
    route = composed(w, stops=("a1", "secret", "a2"), modes=(Mode.WALK, Mode.WALK))
    assert "Secret winery" in client.get(f"/api/routes/{route.slug}/").content.decode()
    w["b_places"].visibility = Visibility.PARTNERS
    with django_capture_on_commit_callbacks(execute=True):
        w["b_places"].save()
    assert public_leaks(client, w, route.slug) == {}
    # The regional layer's copy of the route line (tiles, OGC API) is recomputed too: both
    # legs reach the winery, so none is left.
    route.refresh_from_db()
    assert route.geom is None


# D4: a shared route keeps the partners its editor does not edit


def test_saving_a_shared_route_in_the_admin_keeps_the_partners_the_editor_does_not_edit(
        client, two_partners):
    w = two_partners
    route = composed(w, partners=("a", "b"))
    client.force_login(editor(w["a"], "ivana", route_permissions=True))
    page = client.get(f"/admin/routes/pilotroute/{route.pk}/change/").content.decode()
    partners = re.search(r'<select name="partners".*?</select>', page, re.S).group(0)
    assert "Sliven" not in partners  # not hers to choose or remove
    response = client.post(f"/admin/routes/pilotroute/{route.pk}/change/",
                           admin_route_form(route, partners=[w["a"]], title_en="Forum walk"))
    assert response.status_code == 302, response.content.decode()[:3000]
    route.refresh_from_db()
    assert route.title_en == "Forum walk"
    assert set(route.partners.values_list("slug", flat=True)) == {"stara-zagora", "sliven"}


# D24: partner editors compose routes in the admin


def test_a_partner_editor_creates_and_composes_a_route_in_the_admin(
        client, two_partners, django_capture_on_commit_callbacks):
    w = two_partners
    client.force_login(editor(w["a"], "ivana"))
    assert client.get("/admin/routes/pilotroute/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/routes/pilotroute/add/", admin_route_form(
            slug="forum-and-spring", partners=[w["a"]], title_en="Forum and spring",
            new_stops=[(1, w["a1"]), (2, w["a2"])],
            new_legs=[(1, Mode.WALK, LegSource.ROUTED, None)]))
    assert response.status_code == 302, response.content.decode()[:3000]
    route = PilotRoute.objects.get(slug="forum-and-spring")
    assert list(route.partners.values_list("slug", flat=True)) == ["stara-zagora"]
    assert route.legs.get().trail_id == w["t"].pk  # routed along A's trail
    assert 2000 < route.length_m < 2100


def test_an_editor_deletes_their_route_but_not_a_route_shared_with_another_partner(
        client, two_partners):
    w = two_partners
    own, shared = composed(w, slug="own"), composed(w, slug="shared", partners=("a", "b"))
    client.force_login(editor(w["a"], "ivana"))
    client.post(f"/admin/routes/pilotroute/{shared.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/routes/pilotroute/{own.pk}/delete/", {"post": "yes"})
    assert list(PilotRoute.objects.values_list("slug", flat=True)) == ["shared"]


def test_existing_editors_groups_get_the_route_permissions(two_partners):
    """The migration that gives the groups made before D24 the routes' permissions."""
    from importlib import import_module

    from django.apps import apps

    group = two_partners["a"].editors
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="routes"))
    migration = import_module("routes.migrations.0004_editors_route_permissions")
    migration.grant_editors_route_permissions(apps, None)
    assert {"add_pilotroute", "change_pilotroute", "delete_pilotroute", "view_pilotroute",
            "add_routestop", "change_routeleg"} <= set(
        group.permissions.values_list("codename", flat=True))


def test_a_shared_routes_own_stops_are_not_refused_for_the_editor_of_the_other_partner(
        client, two_partners):
    """B's editor put B's partners-only winery in the route A and B share; A's editor
    still saves the route (the row is kept as it is), and the public does not see it."""
    w = two_partners
    route = composed(w, partners=("a", "b"), stops=("a1", "secret", "a2"),
                     modes=(Mode.WALK, Mode.WALK))
    client.force_login(editor(w["a"], "ivana", route_permissions=True))
    response = client.post(f"/admin/routes/pilotroute/{route.pk}/change/",
                           admin_route_form(route, partners=[w["a"]], title_en="Forum walk"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert route.stops.filter(attraction=w["secret"]).exists()
    assert public_leaks(client, w, route.slug) == {}



def test_routes_saved_before_the_fix_lose_the_unpublished_legs_from_their_stored_line(
        two_partners):
    """The migration that redraws, without them, the stored lines (tiles, OGC API) of the
    routes that reached unpublished features before D3 and D13 were closed."""
    from importlib import import_module

    from django.db import connection

    w = two_partners
    route = composed(w, stops=("a1", "a2", "secret"), modes=(Mode.WALK, Mode.CAR))
    full = MultiLineString(*(leg.geom for leg in route.legs.order_by("order")), srid=WGS84)
    type(route).objects.filter(pk=route.pk).update(geom=full)  # as routes saved then were
    assert leaks(type(route).objects.get(pk=route.pk).geom.json, w)
    migration = import_module("routes.migrations.0003_route_lines_without_unpublished")
    with connection.cursor() as cursor:
        cursor.execute(migration.SQL)
    route.refresh_from_db()
    assert not leaks(route.geom.json, w)
    assert route.geom.length == pytest.approx(route.legs.get(order=1).geom.length)


def test_the_admin_tells_the_editor_what_the_public_does_not_see(client, two_partners):
    w = two_partners
    route = composed(w, partners=("a", "b"), stops=("a1", "secret", "a2"),
                     modes=(Mode.WALK, Mode.WALK))
    client.force_login(editor(w["a"], "ivana", route_permissions=True))
    page = client.get(f"/admin/routes/pilotroute/{route.pk}/change/?lang=fr")
    assert "étapes 2 et tronçons 1, 2 : un site ou un sentier qu’ils utilisent n’est pas " \
           "public" in page.content.decode()
