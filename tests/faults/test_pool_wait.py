"""A database that is down costs a request one wait for the connection pool, not two
(Trust §6: a 503 with Retry-After when the database is down).

Before the fix, a request waited for the pool twice before its 503: first in the rate
limit's count (accounts.throttles.hit, which let the failure pass so that the request
would go on), then in the view's first query. With the deployed 5 s timeout, 10 s.

The database here is down for real: this test's requests run in a thread of their own,
whose connection comes from a pool Django makes from the settings, pointed at a port
where nothing listens (the suite's cluster and this test's own connection are left
alone). The pool's own statistics count the waits that ended without a connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

TIMEOUT_S = 0.5
URLS = ["/layers/", "/api/partners/", "/ogc/collections", "/practices/"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again as the block ends: nothing listens


@contextmanager
def database_down() -> Iterator[dict]:
    """The default database's settings pointed at a closed port, with a pool of its own
    (``TIMEOUT_S``); all put back afterwards."""
    pools = type(connections[connection.alias])._connection_pools
    kept_pool = pools.pop(connection.alias, None)
    settings_dict = connection.settings_dict
    kept = (settings_dict["HOST"], settings_dict["PORT"], settings_dict["OPTIONS"]["pool"])
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", _closed_port()
    settings_dict["OPTIONS"]["pool"] = {**kept[2], "timeout": TIMEOUT_S, "min_size": 0}
    try:
        yield pools
    finally:
        down = pools.pop(connection.alias, None)
        if down is not None:
            down.close()
        settings_dict["HOST"], settings_dict["PORT"], settings_dict["OPTIONS"]["pool"] = kept
        if kept_pool is not None:
            pools[connection.alias] = kept_pool


def _get_in_a_thread(url: str) -> tuple[int, str | None, float]:
    """(status, Retry-After, seconds) of a GET served by a thread of its own: a thread has
    its own connection, which asks the pool."""
    out: dict = {}

    def ask() -> None:
        started = time.monotonic()
        response = Client(raise_request_exception=False).get(url)
        out["answer"] = (response.status_code, response.get("Retry-After"),
                         time.monotonic() - started)
        connections.close_all()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join(30)
    return out["answer"]


@pytest.mark.parametrize("url", URLS)
def test_a_request_waits_for_the_pool_once_then_answers_503(url):
    # Once up, so that the time measured is the outage's: a process's first request
    # imports the views and reads the templates.
    assert Client().get(url).status_code == 200
    with database_down() as pools:
        status, retry_after, seconds = _get_in_a_thread(url)
        waits = pools[connection.alias].get_stats()["requests_errors"]
    assert (status, retry_after) == (503, "30")
    assert waits == 1, f"{waits} waits for the pool"
    assert seconds < 2 * TIMEOUT_S, f"answered in {seconds:.2f} s"
