"""Who may do what to routes, as a matrix: every role tries every write through the real
admin and the real API, and then the public reads every answer about the route touched.
Each role's run counts the writes that happened but should not have (and those refused
that should have happened), the answers of 500 or more, and every public answer showing
something of Sliven's unpublished data. All are zero.

Roles: a visitor, Stara Zagora's editor (A), Sliven's editor (B), a member of Stara
Zagora's editors group who is not staff (write access follows membership *and* staff
status), a superuser. The world is ``two_partners`` (tests/routes/conftest.py) with three
published routes: Stara Zagora's, Sliven's and one they share.

Routes are created, described (texts, season, status: publication) and deleted in the
admin, on the site's pages (/routes/new/, /routes/<slug>/settings/ and delete/) and by the
API (POST /api/routes/, PATCH and DELETE /api/routes/<slug>/); their stops and legs are
replaced by the composition API (``PUT .../composition/``). The matrix tries them all;
a moderator who is not an editor writes none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.test import Client

from routes.models import PilotRoute
from routes.services import StopSpec, route_compose
from routes.vocabulary import LegSource, Mode
from tests.routes.conftest import admin_route_form, leaks, make_route

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "editor_a", "editor_b", "member_a", "moderator_a", "superuser")
PUBLIC_READS = ("/api/routes/{slug}/", "/api/routes/{slug}/profile/",
                "/api/routes/{slug}/export/?format=gpx", "/api/routes/{slug}/export/?format=kml",
                "/api/routes/{slug}/export/?format=geojson", "/routes/{slug}/",
                "/embed/routes/{slug}/")


@dataclass
class Action:
    """A write a role tries: ``run`` does it through a view and answers with the response's
    status; ``wrote`` says afterwards whether it changed what it aimed at; ``route`` is the
    slug of the route whose public answers are then read."""

    run: Callable[[Client, dict], int]
    wrote: Callable[[dict], bool]
    allowed: frozenset[str]
    route: str


def _admin_post(url: str, data_of: Callable[[dict], dict]) -> Callable[[Client, dict], int]:
    return lambda client, w: client.post(url.format(**w["pks"]), data_of(w)).status_code


def _compose(slug: str, stops: tuple[str, ...]) -> Callable[[Client, dict], int]:
    def run(client: Client, w: dict) -> int:
        body = {"stops": [{"id": str(w[s].uid)} for s in stops],
                "modes": [Mode.WALK] * (len(stops) - 1)}
        return client.put(f"/api/routes/{slug}/composition/", body,
                          content_type="application/json").status_code
    return run


def _stops(slug: str) -> list[str]:
    return list(PilotRoute.objects.get(slug=slug).stops.order_by("order")
                .values_list("attraction__name_en", flat=True))


def _route(slug: str) -> PilotRoute | None:
    return PilotRoute.objects.filter(slug=slug).first()


def _described(w: dict, slug: str, **changes: object) -> dict:
    """The site's route form for route ``slug`` as it is, with ``changes``."""
    route = PilotRoute.objects.get(slug=slug)
    data = {"title_en": route.title_en or slug, "duration_days": route.duration_days,
            "status": route.status, "themes": list(route.themes),
            "months": list(route.months),
            "partners": [p.slug for p in route.partners.all()], **changes}
    return data


def _page_post(url: str, data_of: Callable[[dict], dict]) -> Callable[[Client, dict], int]:
    return lambda client, w: client.post(url, data_of(w)).status_code


def _api(method: str, url: str, body: Callable[[dict], dict] | None = None
         ) -> Callable[[Client, dict], int]:
    def run(client: Client, w: dict) -> int:
        return getattr(client, method)(url, body(w) if body else None,
                                       content_type="application/json").status_code
    return run


def _status(slug: str) -> str | None:
    route = _route(slug)
    return route.status if route else None


NEW_B = {"slug": "new-b", "title_en": "Blue Stones by bike", "duration_days": 1,
         "status": "draft", "partners": ["sliven"], "months": [5, 6]}

ACTIONS: dict[str, Action] = {
    "page: create a route of Sliven": Action(
        _page_post("/routes/new/", lambda w: NEW_B),
        lambda w: _route("new-b") is not None,
        frozenset({"editor_b", "superuser"}), "new-b"),
    "API: create a route of Sliven": Action(
        _api("post", "/api/routes/", lambda w: NEW_B),
        lambda w: _route("new-b") is not None,
        frozenset({"editor_b", "superuser"}), "new-b"),
    "page: describe Sliven's route": Action(
        _page_post("/routes/route-b/settings/", lambda w: _described(
            w, "route-b", title_en="Changed", description_en="Through the old town")),
        lambda w: _route("route-b").title_en == "Changed",
        frozenset({"editor_b", "superuser"}), "route-b"),
    "API: describe Sliven's route": Action(
        _api("patch", "/api/routes/route-b/", lambda w: {"title_en": "Changed"}),
        lambda w: _route("route-b").title_en == "Changed",
        frozenset({"editor_b", "superuser"}), "route-b"),
    "page: set the season of the shared route": Action(
        _page_post("/routes/shared/settings/", lambda w: _described(
            w, "shared", months=[9, 10], partners=(
                ["stara-zagora"] if w["role"] == "editor_a" else ["sliven"]
                if w["role"] == "editor_b" else ["stara-zagora", "sliven"]))),
        lambda w: _route("shared").months == [9, 10]
        and _route("shared").partners.count() == 2,
        frozenset({"editor_a", "editor_b", "superuser"}), "shared"),
    "API: set Stara Zagora's route to pilot": Action(
        _api("patch", "/api/routes/route-a/", lambda w: {"status": "pilot"}),
        lambda w: _status("route-a") == "pilot",
        frozenset({"editor_a", "superuser"}), "route-a"),
    "page: publish Sliven's draft": Action(
        _page_post("/routes/draft-b/settings/", lambda w: _described(
            w, "draft-b", status="published")),
        lambda w: _status("draft-b") == "published",
        frozenset({"editor_b", "superuser"}), "draft-b"),
    "API: publish Sliven's draft": Action(
        _api("patch", "/api/routes/draft-b/", lambda w: {"status": "published"}),
        lambda w: _status("draft-b") == "published",
        frozenset({"editor_b", "superuser"}), "draft-b"),
    "page: delete Sliven's route": Action(
        _page_post("/routes/route-b/delete/", lambda w: {}),
        lambda w: _route("route-b") is None,
        frozenset({"editor_b", "superuser"}), "route-b"),
    "API: delete Sliven's route": Action(
        _api("delete", "/api/routes/route-b/"),
        lambda w: _route("route-b") is None,
        frozenset({"editor_b", "superuser"}), "route-b"),
    "page: delete the shared route": Action(
        _page_post("/routes/shared/delete/", lambda w: {}),
        lambda w: _route("shared") is None,
        frozenset({"superuser"}), "shared"),
    "API: delete the shared route": Action(
        _api("delete", "/api/routes/shared/"),
        lambda w: _route("shared") is None,
        frozenset({"superuser"}), "shared"),
    "API: compose Sliven's draft": Action(
        _compose("draft-b", ("b1", "a1")),
        lambda w: _stops("draft-b") == ["Clock tower", "Augusta forum"],
        frozenset({"editor_b", "superuser"}), "draft-b"),
    "admin: add a route of Stara Zagora": Action(
        _admin_post("/admin/routes/pilotroute/add/", lambda w: admin_route_form(
            slug="new-a", partners=[w["a"]], title_en="New", status="published",
            new_stops=[(1, w["a1"]), (2, w["a2"])],
            new_legs=[(1, Mode.WALK, LegSource.ROUTED, None)])),
        lambda w: _route("new-a") is not None,
        frozenset({"editor_a", "superuser"}), "new-a"),
    "admin: change Stara Zagora's route": Action(
        _admin_post("/admin/routes/pilotroute/{route_a}/change/", lambda w: admin_route_form(
            w["route_a"], partners=[w["a"]], title_en="Changed")),
        lambda w: _route("route-a").title_en == "Changed",
        frozenset({"editor_a", "superuser"}), "route-a"),
    "admin: change the shared route": Action(
        _admin_post("/admin/routes/pilotroute/{shared}/change/", lambda w: admin_route_form(
            w["shared"], partners=[w["a"]] if w["role"] == "editor_a" else [w["b"]]
            if w["role"] == "editor_b" else [w["a"], w["b"]], title_en="Changed")),
        lambda w: _route("shared").title_en == "Changed",
        frozenset({"editor_a", "editor_b", "superuser"}), "shared"),
    "admin: delete Stara Zagora's route": Action(
        _admin_post("/admin/routes/pilotroute/{route_a}/delete/", lambda w: {"post": "yes"}),
        lambda w: _route("route-a") is None,
        frozenset({"editor_a", "superuser"}), "route-a"),
    "admin: delete the shared route": Action(
        _admin_post("/admin/routes/pilotroute/{shared}/delete/", lambda w: {"post": "yes"}),
        lambda w: _route("shared") is None,
        frozenset({"superuser"}), "shared"),
    "admin: delete Stara Zagora's and the shared route from the list": Action(
        _admin_post("/admin/routes/pilotroute/", lambda w: {
            "action": "delete_selected", "post": "yes",
            "_selected_action": [w["pks"]["route_a"], w["pks"]["shared"]]}),
        lambda w: _route("route-a") is None or _route("shared") is None,
        frozenset({"superuser"}), "shared"),
    "admin: a stop at Sliven's partners-only winery": Action(
        _admin_post("/admin/routes/pilotroute/{route_a}/change/", lambda w: admin_route_form(
            w["route_a"], partners=[w["a"]], new_stops=[(3, w["secret"])],
            new_legs=[(2, Mode.WALK, LegSource.STRAIGHT, None)])),
        lambda w: "Secret winery" in _stops("route-a"),
        frozenset({"superuser"}), "route-a"),
    "admin: a leg along Sliven's private path": Action(
        _admin_post("/admin/routes/pilotroute/{route_a}/change/", lambda w: {
            **admin_route_form(w["route_a"], partners=[w["a"]]),
            "legs-0-source": LegSource.TRAIL, "legs-0-trail": w["smugglers"].pk}),
        lambda w: _route("route-a").legs.get().trail_id == w["smugglers"].pk,
        frozenset({"superuser"}), "route-a"),
    "API: compose Stara Zagora's route": Action(
        _compose("route-a", ("a2", "a1")),
        lambda w: _stops("route-a") == ["North spring", "Augusta forum"],
        frozenset({"editor_a", "superuser"}), "route-a"),
    "API: compose Stara Zagora's route with Sliven's winery": Action(
        _compose("route-a", ("a1", "secret", "a2")),
        lambda w: "Secret winery" in _stops("route-a"),
        frozenset({"superuser"}), "route-a"),
    "API: compose the shared route with Sliven's winery": Action(
        _compose("shared", ("a1", "secret", "b1")),
        lambda w: "Secret winery" in _stops("shared"),
        frozenset({"editor_b", "superuser"}), "shared"),
    "API: compose Sliven's route": Action(
        _compose("route-b", ("b1", "a1")),
        lambda w: _stops("route-b") == ["Clock tower", "Augusta forum"],
        frozenset({"editor_b", "superuser"}), "route-b"),
    "API: preview a composition through Sliven's winery": Action(
        lambda client, w: client.post("/api/routes/preview/", {
            "stops": [{"id": str(w[s].uid)} for s in ("a1", "secret")], "modes": ["walk"]},
            content_type="application/json").status_code,
        lambda w: w["last_status"] == 200,  # the answer draws the line to the winery
        frozenset({"editor_b", "superuser"}), "route-a"),
}


def _user(role: str, w: dict) -> User | AnonymousUser:
    if role == "visitor":
        return AnonymousUser()
    if role == "superuser":
        return User.objects.create_superuser("root", password="x")
    partner = w["a"] if role in ("editor_a", "member_a", "moderator_a") else w["b"]
    if role == "moderator_a":
        # A moderator reviews and publishes layers; routes are the editors' to write.
        user = User.objects.create_user(role, password="x")
        user.groups.add(partner.moderators)
        return user
    user = User.objects.create_user(role, password="x", is_staff=role != "member_a")
    user.groups.add(partner.editors)
    return user


@pytest.fixture
def world(two_partners):
    w = dict(two_partners)

    def route(slug: str, partners: tuple[str, ...], stops: tuple[str, str]) -> PilotRoute:
        r = make_route(w[partners[0]], slug=slug)
        r.partners.add(*(w[p] for p in partners))
        return route_compose(route=r, stops=[StopSpec(w[s]) for s in stops],
                             modes=[Mode.WALK])

    w["route_a"] = route("route-a", ("a",), ("a1", "a2"))
    w["route_b"] = route("route-b", ("b",), ("b1", "a2"))
    w["shared"] = route("shared", ("a", "b"), ("a1", "b1"))
    w["draft_b"] = route("draft-b", ("b",), ("b1", "a2"))
    PilotRoute.objects.filter(slug="draft-b").update(status="draft")
    w["pks"] = {k: w[k].pk for k in ("route_a", "route_b", "shared")}
    return w


class Rollback(Exception):
    pass


@pytest.mark.parametrize("role", ROLES)
def test_no_role_writes_what_it_may_not_and_the_public_never_sees_unpublished_data(
        role, world, django_capture_on_commit_callbacks):
    client, public = Client(), Client()
    user = _user(role, world)
    if user.is_authenticated:
        client.force_login(user)
    world["role"] = role
    forbidden, refused, errors, leaked = [], [], [], []
    for name, action in ACTIONS.items():
        try:
            with transaction.atomic():
                with django_capture_on_commit_callbacks(execute=True):
                    status = action.run(client, world)
                world["last_status"] = status
                if status >= 500:
                    errors.append(f"{name}: {status}")
                wrote = action.wrote(world)
                if wrote and role not in action.allowed:
                    forbidden.append(name)
                if not wrote and role in action.allowed:
                    refused.append(f"{name}: {status}")
                if _route(action.route) is not None:
                    for url in PUBLIC_READS:
                        response = public.get(url.format(slug=action.route))
                        if found := leaks(response.content.decode(), world):
                            leaked.append(f"after {name}, {url}: {found}")
                raise Rollback
        except Rollback:
            pass
    assert (forbidden, refused, errors, leaked) == ([], [], [], [])


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_unpublished_data_in_public_route_answers(
        role, world, django_capture_on_commit_callbacks):
    """Routes that hold Sliven's winery (the shared one) and path (Sliven's), put there
    before the checks existed or by a superuser, read by each role: the public answers
    are the same for all, and none shows them."""
    with django_capture_on_commit_callbacks(execute=True):
        route_compose(route=world["shared"], modes=[Mode.WALK, Mode.WALK],
                      stops=[StopSpec(world[s]) for s in ("a1", "secret", "b1")])
        leg = world["route_b"].legs.get()
        leg.source, leg.trail = LegSource.TRAIL, world["smugglers"]
        leg.save()
    assert leaks(world["route_b"].legs.get().geom.json, world)  # the leg follows the path
    client = Client()
    user = _user(role, world)
    if user.is_authenticated:
        client.force_login(user)
    urls = [url.format(slug=slug) for slug in ("shared", "route-b") for url in PUBLIC_READS]
    leaked = []
    for url in (*urls, "/api/routes/", "/routes/", "/ogc/collections/all-routes/items"):
        response = client.get(url)
        assert response.status_code == 200, url
        if found := leaks(response.content.decode(), world):
            leaked.append(f"{url}: {found}")
    assert leaked == []
