"""The development server that `make demo` runs does not hold database connections."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
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


def _get(port: int) -> http.client.HTTPConnection:
    for _ in range(100):
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


@pytest.mark.django_db
def test_idle_browser_connections_hold_no_database_connection():
    """A browser keeps its HTTP connections open, and runserver gives each its own thread:
    with persistent database connections, every idle one held a database connection for
    ten minutes, until the cluster refused new ones."""
    db = settings.DATABASES["default"]
    # The server uses the database the project is configured with, not the test one.
    name = db["NAME"].removeprefix("test_")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env={**os.environ, "PGAPPNAME": APP}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        open_http = [_get(port) for _ in range(5)]
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                             password=db.get("PASSWORD") or None, dbname=name,
                             autocommit=True) as watch:
            # A request's connection closes just after its response is sent: on a busy
            # machine, a moment later. Held connections would stay for ten minutes.
            for _ in range(50):
                held = watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    [APP]).fetchone()[0]
                if held == 0:
                    break
                time.sleep(0.1)
        assert len(open_http) == 5
        assert held == 0, f"{held} database connections held by idle HTTP connections"
    finally:
        server.terminate()
        server.wait(timeout=10)
