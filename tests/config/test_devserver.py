"""The development server that `make demo` runs keeps its database connections bounded."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APP = "atlas-runserver-under-test"  # the server's connections, told from any other


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, server: subprocess.Popen | None = None) -> http.client.HTTPConnection:
    # Django's start takes seconds on a loaded machine (CI runs two test processes on two
    # cores): waited for until the server answers or dies, within a minute.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise AssertionError(f"runserver exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/layers/")
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            return conn
        except ConnectionRefusedError:
            time.sleep(0.1)
    raise AssertionError("runserver did not start")


POOL = 2  # the server's pool, smaller than the requests sent at once


def _held(watch: psycopg.Connection) -> int:
    return watch.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                         [APP]).fetchone()[0]


@pytest.mark.django_db
def test_concurrent_browser_connections_share_a_bounded_pool():
    """runserver (make demo) gives each browser connection its own thread: every thread
    opened a database connection of its own, and 64 at once ran the cluster out of them
    (36 of 1,293 answers were 500 "too many clients"). The threads now share a pool, and
    wait for a connection rather than open one more; idle HTTP connections hold none."""
    db = settings.DATABASES["default"]
    # The server uses the database the project is configured with, not the test one,
    # as the application's role, as make demo does.
    # (pytest-django names the test database test_<name>, and test_<name>_gw<n> in each
    # process of a parallel run.)
    name = re.sub(r"_gw\d+$", "", db["NAME"].removeprefix("test_"))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env={**os.environ, "PGAPPNAME": APP, "ATLAS_DB_ROLE": "app",
                       "ATLAS_DB_POOL_SIZE": str(POOL)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _get(port, server).close()  # started
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                             password=db.get("PASSWORD") or None, dbname=name,
                             autocommit=True) as watch:
            peak = 0
            with ThreadPoolExecutor(max_workers=16) as browsers:
                sent = [browsers.submit(_get, port) for _ in range(16)]
                while not all(f.done() for f in sent):
                    peak = max(peak, _held(watch))
                open_http = [f.result() for f in sent]  # each asserted a 200
            held = _held(watch)
        assert len(open_http) == 16
        assert peak <= POOL, f"{peak} database connections for 16 requests at once"
        assert held <= POOL, f"{held} database connections held by idle HTTP connections"
    finally:
        server.terminate()
        server.wait(timeout=10)
