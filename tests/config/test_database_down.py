"""A database that refuses connections is a 503 with Retry-After in every client's shape,
not a 500 (Trust D17, D23): the site as deployed (gunicorn with config/gunicorn.conf.py)
pointed at a port where no database listens."""

from __future__ import annotations

import json

import pytest

from tests.config.servers import free_port, get, gunicorn


@pytest.fixture(scope="module")
def server_without_database():
    """gunicorn whose database is a closed port: nothing listens there."""
    closed = free_port()
    with gunicorn(DATABASE_URL=f"postgis://atlas_app:pw@127.0.0.1:{closed}/atlas",
                  ATLAS_MIGRATE_DATABASE_URL="", ATLAS_DB_POOL_TIMEOUT="1") as port:
        yield port


def test_a_page_says_to_come_back(server_without_database):
    status, headers, body = get(server_without_database, "/layers/?lang=fr")
    assert status == 503 and headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("text/html")
    assert "Temporairement indisponible" in body  # the site's page, in the reader's language


def test_a_signed_in_visitor_gets_the_page_too(server_without_database):
    """The admin reads the session, and then the user, before anything else."""
    status, headers, body = get(server_without_database, "/admin/",
                                 Cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
    assert status == 503 and headers["Retry-After"] == "30"
    assert "503" in body


def test_the_api_answers_json(server_without_database):
    status, headers, body = get(server_without_database, "/api/layers/")
    assert status == 503 and headers["Retry-After"] == "30"
    assert json.loads(body) == {
        "error": "The database is unavailable; please try again in a minute."}


def test_the_ogc_api_answers_an_ogc_exception(server_without_database):
    status, headers, body = get(server_without_database, "/ogc/collections")
    assert status == 503 and headers["Retry-After"] == "30"
    assert json.loads(body)["code"] == "ServiceUnavailable"
