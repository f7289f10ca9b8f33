"""Rate limits (Trust D7), counted in PostgreSQL as in production.

Before the fix nothing was limited: 100 wrong tokens in 0.3 s gave 100 × 401, and any
client could ask for anything as often as it liked.

The suite raises every limit (tests/conftest.py); these tests put back the production
limits of config/settings.py, or one small limit where the production one would take
hundreds of requests to reach.
"""

from __future__ import annotations

import pytest

from accounts.models import RateCount
from config import settings as project
from importers.models import ImportRun
from tests.accounts.conftest import auth, import_form

pytestmark = pytest.mark.django_db

PRODUCTION = dict(project.ATLAS_THROTTLE_RATES)
ELSEWHERE = {"REMOTE_ADDR": "192.0.2.7"}  # another client's address (TEST-NET-1)


def limit(scope: str) -> int:
    return int(PRODUCTION[scope].split("/")[0])


@pytest.fixture
def rates(settings):
    """The production rates, with some scopes made smaller: ``rates(tiles="3/min")``."""

    def use(**smaller: str) -> None:
        settings.ATLAS_THROTTLE_RATES = {**PRODUCTION, **smaller}

    use()
    return use


def test_a_visitor_over_the_production_limit_gets_429_in_each_clients_shape(client, rates):
    codes = {client.get("/ogc/conformance").status_code for _ in range(limit("anon"))}
    assert codes == {200}, "a visitor is served up to the limit"
    ogc = client.get("/ogc/conformance")
    assert ogc.status_code == 429
    assert 1 <= int(ogc["Retry-After"]) <= 60
    assert ogc.json()["code"] == "TooManyRequests"
    # The same budget for the API, the OGC API and pages.
    api = client.get("/api/partners/")
    assert api.status_code == 429 and int(api["Retry-After"]) >= 1
    assert set(api.json()) == {"error", "retry_after"}
    page = client.get("/layers/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert "Trop de requêtes" in page.content.decode()
    # Another client is not concerned, nor are this one's tiles (a budget of their own).
    assert client.get("/ogc/conformance", **ELSEWHERE).status_code == 200
    assert client.get("/tiles/regional-layer/8/145/94.mvt").status_code == 200


@pytest.mark.django_db(transaction=True)  # the threads' connections commit their counts
def test_every_request_is_counted_even_when_they_arrive_together(rates):
    """The count is one atomic statement in PostgreSQL: requests served at the same time
    by different workers (here threads, each with its own connection) are all counted,
    up to the limit and not one beyond, whether counted one by one or in leases."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    rates(anon="40/min")

    def ask(_):
        try:
            return Client().get("/ogc/conformance").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(ask, range(40)))
    assert codes == [200] * 40
    assert ask(0) == 429
    assert RateCount.objects.get(key="anon:ip-127.0.0.1").hits >= 40


@pytest.mark.django_db(transaction=True)  # the other process counts in its own connection
def test_a_lease_taken_far_from_the_limit_saves_round_trips_and_never_serves_beyond_it(
        rates):
    """Counting was a write on every tile and page (issue 20, item 7): far from the
    limit, one statement counts a lease of requests; near it, one request a statement.
    Another process (another gunicorn worker) shares the count."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts import throttles

    client = Client()
    rates(tiles="2000/min")
    with CaptureQueriesContext(connection) as queries:
        assert {client.get(f"/tiles/regional-layer/8/145/{y}.mvt").status_code
                for y in range(100)} == {200}
    assert len([q for q in queries.captured_queries if "accounts_ratecount" in q["sql"]]) <= 10
    rates(tiles="200/min")
    RateCount.objects.all().delete()
    other = throttles.hit("tiles:ip-127.0.0.1", 60, 40)  # another worker served 40
    assert other[0] == 40
    with CaptureQueriesContext(connection) as queries:
        codes = [client.get(f"/tiles/regional-layer/8/145/{y}.mvt").status_code
                 for y in range(200)]
    assert codes == [200] * 160 + [429] * 40
    counts = [q for q in queries.captured_queries if "accounts_ratecount" in q["sql"]]
    assert len(counts) < 100, len(counts)


def test_a_browsers_tiles_at_a_few_zooms_stay_under_the_production_limit(client, rates):
    """What a GIS client or a vector map asks for over the region while one browses:
    every tile of the partners' area from zoom 6 to 10, about 5 map views a zoom."""
    asked = 0
    for z, (x0, x1), (y0, y1) in [(6, (35, 36), (23, 24)), (7, (71, 73), (46, 48)),
                                  (8, (143, 147), (93, 96)), (9, (287, 293), (187, 192)),
                                  (10, (575, 586), (375, 384))]:
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                assert client.get(f"/tiles/regional-layer/{z}/{x}/{y}.mvt").status_code == 200
                asked += 1
    assert 150 < asked < limit("tiles")


def test_tiles_over_their_limit_get_the_apis_429(client, rates):
    rates(tiles="3/min")
    codes = [client.get(f"/tiles/regional-layer/8/145/{y}.mvt").status_code for y in range(4)]
    assert codes == [200, 200, 200, 429]
    last = client.get("/tiles/regional-layer/8/145/94.mvt")
    assert last.json()["retry_after"] == int(last["Retry-After"])


def test_exports_are_limited_more_strictly_than_the_rest_of_the_api(client, rates):
    rates(exports="2/min")
    assert [client.get("/api/regional-layer/export/").status_code for _ in range(3)] == \
        [200, 200, 429]
    assert client.get("/api/layers/").status_code == 200


def test_imports_are_limited_per_editor(client, world, rates):
    rates(imports="1/min")
    token = auth(world["tokens"]["editor of A"])
    assert client.post("/api/imports/", import_form(world["a"]), **token).status_code == 202
    again = client.post("/api/imports/", import_form(world["a"], layer="other"), **token)
    assert again.status_code == 429
    assert ImportRun.objects.count() == 1
    # Another editor's budget is their own.
    root = auth(world["tokens"]["superuser"])
    assert client.post("/api/imports/", import_form(world["a"], layer="third"),
                       **root).status_code == 202


def test_a_signed_in_client_is_counted_by_account_with_a_budget_of_its_own(client, world,
                                                                          rates):
    rates(user="3/min", anon="2/min")
    token = auth(world["tokens"]["member"])
    assert [client.get("/api/layers/", **token).status_code for _ in range(4)] == \
        [200, 200, 200, 429]
    # From another address, the same account: the same budget, spent.
    assert client.get("/api/layers/", **token, **ELSEWHERE).status_code == 429
    # Signed out, from the first address: the visitors' budget, untouched.
    assert client.get("/api/layers/").status_code == 200


def test_wrong_tokens_are_refused_after_ten_even_the_right_one_from_that_address(
        client, world, rates):
    """Trust D7: 100 wrong tokens were 100 × 401."""
    codes = [client.get("/api/layers/", HTTP_AUTHORIZATION=f"Token {i:064x}").status_code
             for i in range(100)]
    assert codes == [401] * limit("token_failures") + [429] * (100 - limit("token_failures"))
    right = auth(world["tokens"]["editor of A"])
    refused = client.get("/api/layers/", **right)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert client.get("/api/layers/", **right, **ELSEWHERE).status_code == 200
    # Signed out, the address still reads the public API.
    assert client.get("/api/layers/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_counting_a_request_is_one_statement_outside_a_transaction(rates):
    """Every counted request (pages, the OGC API, tiles) paid a BEGIN and a COMMIT around
    its one atomic statement: two round trips of a tile's eight (issue 20, item 7)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.throttles import hit

    with CaptureQueriesContext(connection) as queries:
        assert hit("tiles:ip-192.0.2.9", 60)[0] == 1
        assert hit("tiles:ip-192.0.2.9", 60)[0] == 2
    statements = [q["sql"] for q in queries.captured_queries if "DELETE" not in q["sql"]]
    assert len(statements) == 2, statements
