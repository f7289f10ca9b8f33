"""Generated requests to every URL of the site: none gets a server error.

Every URL pattern the site answers (pages, the REST API, OGC API, tiles, the admin) is
requested with generated path values, query strings and bodies, as a visitor, a partner
editor and a superuser. Values mix the site's own (existing slugs and ids, to reach past
the lookups) with hostile ones: NUL and other control characters, huge and non-finite
numbers, long and deeply nested JSON. The run is derandomised (the same examples every
time); ``make fuzz`` runs many more (``ATLAS_FUZZ_EXAMPLES``) with a random seed.

The OpenAPI-described parts are also fuzzed from their own documents by schemathesis,
``tests/layers/test_api_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.routes.conftest import make_route

EXAMPLES = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "250"))
RANDOM = os.environ.get("ATLAS_FUZZ_RANDOM") == "1"  # make fuzz: new examples each run

# Parameter names the site reads somewhere (geo/params.py and the views), and a few it
# does not: a request may carry any of them to any URL.
PARAMETERS = [
    "bbox", "bbox-crs", "crs", "datetime", "lang", "limit", "offset", "page", "page_size",
    "q", "kind", "partner", "partners", "category", "categories", "layer", "f", "format",
    "radius", "radius_km", "mode", "activity", "status", "season", "sub_areas", "geometry",
    "include", "fields", "sort", "sortby", "ids", "id", "stops", "when", "since", "simplify",
    "zoom", "z", "x", "y", "srs", "encoding", "undo", "next", "o", "p", "_changelist_filters",
]

HOSTILE_TEXT = ["", "\x00", "a\x00b", "%00", "-1", "0", "1e309", "-1e309", "NaN", "inf",
                "9" * 400, "1,2,3", "1,2,3,4", "-180,-90,180,90", "1e308,1e308,-1e308,2",
                "181,91,182,92", "2026-13-45", "2026-01-01T00:00:00+99:00", "../../etc/passwd",
                "<script>alert(1)</script>", "' OR 1=1 --", "é" * 300, "\ud7ff", "bg", "xx",
                "EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/2100", "json", "html",
                "gpx", "kml", "shp", "gpkg", "geojson", "true", "false", "null", "[]", "{}"]


def _text(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTILE_TEXT),
                     st.text(max_size=max_size),
                     st.floats(allow_nan=True, allow_infinity=True).map(repr),
                     st.integers(min_value=-2**70, max_value=2**70).map(str))


def _json_value() -> st.SearchStrategy[object]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _text(20))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_text(10), inner, max_size=4)),
        max_leaves=12)


@dataclass(frozen=True)
class Pattern:
    route: str  # as Django writes it: "api/routes/<slug:slug>/"
    converters: tuple[tuple[str, str], ...]  # (name, converter) of each <...>


def _patterns(patterns=None, prefix: str = "") -> Iterator[Pattern]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith("^") or "(?P" in route:  # a regex route: the admin's few
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", route).strip("^$")
                route = route.replace("\\", "")
            yield Pattern(route, tuple((name, conv or "str") for conv, name in re.findall(
                r"<(?:(\w+):)?(\w+)>", route)))


@pytest.fixture
def site(db):
    """A little of everything, so that lookups by real values reach the views' bodies."""
    sz = make_partner("stara-zagora")
    places = make_layer(sz)
    a = make_attraction(places, 25.6264, 42.4271, name_bg="Античен форум")
    trail = make_trail(make_layer(sz, kind=LayerKind.TRAILS),
                       [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0)])
    route = make_route(sz, slug="a-route")
    editor = User.objects.create_user("ivana", password="pw", is_staff=True)
    editor.groups.add(sz.editors)
    root = User.objects.create_superuser("root", password="pw")
    return {
        "slug": [sz.slug, places.slug, route.slug, trail.layer.slug],
        "uuid": [str(a.uid), str(trail.uid)],
        "int": [a.pk, trail.pk, route.pk, places.pk, sz.pk, 1],
        "str": ["attractions", "trails", "routes", "regional", str(a.uid), str(a.pk),
                "layers/attraction", "layers/trail", "routes/pilotroute"],
        "path": [str(a.pk), f"{a.pk}/change", "layers/attraction"],
        "users": [None, editor, root],
    }


def _value(real: list, converter: str) -> st.SearchStrategy[str]:
    hostile = {
        "int": st.integers(min_value=0, max_value=2**70).map(str),
        "uuid": st.uuids().map(str),
        "slug": st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"),
    }.get(converter, _text().filter(lambda s: "/" not in s and s not in (".", "..")))
    return st.one_of(st.sampled_from([str(v) for v in real]), hostile)


@st.composite
def requests(draw, site: dict, patterns: list[Pattern]):
    pattern = draw(st.sampled_from(patterns))
    path = pattern.route
    for name, converter in pattern.converters:
        value = draw(_value(site.get(converter, site["str"]), converter))
        path = re.sub(rf"<(?:\w+:)?{name}>", quote(value, safe=""), path, count=1)
    query = draw(st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETERS), _text(12)),
                                    _text()), max_size=5))
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "OPTIONS", "POST"]))
    body: object = None
    if method == "POST":
        body = draw(st.one_of(
            st.dictionaries(st.sampled_from(PARAMETERS), _text(), max_size=5),  # a form
            _json_value().map(json.dumps),
            st.just("[" * 5000 + "]" * 5000),  # D17: deep JSON
            st.just('{"name": "a\\u0000b"}')))
    user = draw(st.sampled_from(site["users"]))
    return method, "/" + path, urlencode(query), body, user


@pytest.mark.django_db
def test_no_generated_request_to_any_url_gets_a_server_error(site):
    patterns = list(_patterns())
    assert len(patterns) > 100  # every app's URLs, the admin's included
    clients = {}
    for user in site["users"]:
        # The test client skips CSRF checks unless asked: writes reach the views.
        clients[user] = Client(raise_request_exception=False)
        if user is not None:
            clients[user].force_login(user)

    @settings(max_examples=EXAMPLES, derandomize=not RANDOM, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests(site, patterns))
    def one(request) -> None:
        method, path, query, body, user = request
        client = clients[user]
        url = f"{path}?{query}" if query else path
        kwargs = {}
        if isinstance(body, dict):
            kwargs = {"data": body}
        elif isinstance(body, str):
            kwargs = {"data": body, "content_type": "application/json"}
        response = getattr(client, method.lower())(url, **kwargs)
        # Failing here lets hypothesis shrink the request to the simplest that fails.
        assert response.status_code < 500, (
            f"{method} {url} as {user or 'visitor'} → {response.status_code}")

    one()
