"""The database restarts while gunicorn serves: the site answers 503 with Retry-After
while it is down (never a 500), then 200 again by itself, in the same processes (Trust
§6, D17: a database down was a 500).

On a cluster of its own: the suite's cluster holds the test database and this test's own
connection, and serves whatever else runs on the checkout (another test run, `make demo`);
stopping it would break them, and a start that failed would take the rest of the suite
down with it. The test makes a second cluster on a free port (tests/faults/cluster.py:
geo.pgcluster with its folder moved), copies the test database's schema into it (faster
than migrating), serves it with gunicorn as deployed (config/gunicorn.conf.py, the
application's role, DEBUG off), and stops and starts that cluster under a stream of
requests.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

DB = "atlas_fault"
URLS = ["/api/partners/", "/layers/", "/ogc/collections"]
RECOVERY_S = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
        self.env.update(ATLAS_PGPORT=str(port), ATLAS_DB_NAME=DB)

    def run(self, action: str) -> None:
        out = subprocess.run([sys.executable, "-m", "tests.faults.cluster", action,
                              str(self.folder)], cwd=settings.BASE_DIR, env=self.env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"cluster {action}: {out.stderr[-800:]}"

    def url(self, role: str) -> str:
        password = (self.folder / f"db-password-{role}").read_text().strip()
        return f"postgis://{role}:{password}@127.0.0.1:{self.port}/{DB}"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("needs the local PostgreSQL binaries (DATABASE_URL points elsewhere)")
    # Under /tmp and open to the server's user (PostgreSQL runs as postgres under root).
    folder = Path(tempfile.mkdtemp(prefix="atlas-fault-cluster-", dir="/tmp"))
    folder.chmod(0o755)
    made = Cluster(folder, _free_port())
    try:
        made.run("start")
        _copy_schema(made)
        yield made
    finally:
        made.run("stop")
        shutil.rmtree(folder, ignore_errors=True)


def _copy_schema(cluster: Cluster) -> None:
    """The test database's tables, functions and grants, without rows, into ``cluster``."""
    db = connection.settings_dict
    dump = subprocess.run(
        ["pg_dump",
         "--schema-only", "--no-owner", "-h", db["HOST"], "-p", str(db["PORT"]), "-U",
         db["USER"], db["NAME"]], env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
        capture_output=True, check=True)
    owner = cluster.url("atlas_owner").replace("postgis://", "postgresql://")
    # Extension statements fail harmlessly (PostGIS is there already, made by its superuser).
    load = subprocess.run(["psql", "-X", "-q", "-d", owner], input=dump.stdout,
                          capture_output=True)
    assert load.returncode == 0, load.stderr.decode()[-800:]


@pytest.fixture
def server(cluster: Cluster) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "ATLAS_DB_ROLE")}
    env.update(DATABASE_URL=cluster.url("atlas_app"), ATLAS_DEBUG="0",
               ATLAS_SECRET_KEY=secrets.token_urlsafe(50), ATLAS_BIND=f"127.0.0.1:{port}",
               WEB_CONCURRENCY="2",
               # A request waits this long for a connection before its 503 (5 s deployed).
               ATLAS_DB_POOL_TIMEOUT="1")
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py",
         "config.wsgi"], cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get(base + URLS[0])[0] != 200:
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            assert gunicorn.poll() is None, "gunicorn ended"
            time.sleep(0.2)
        yield base, gunicorn
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)


def _get(url: str) -> tuple[int, str | None]:
    """(status, Retry-After) of a GET; 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After")
    except OSError:
        return 0, None


def _workers(master: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()}


def test_a_database_restart_gives_503s_then_the_site_recovers_by_itself(cluster, server):
    base, gunicorn = server
    workers = _workers(gunicorn.pid)
    answers: list[tuple[float, str, int, str | None, float]] = []  # asked, ..., answered
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            for url in URLS:
                asked = time.monotonic()
                answers.append((asked, url, *_get(base + url), time.monotonic()))

    loader = threading.Thread(target=load)
    loader.start()
    try:
        time.sleep(0.5)
        cluster.run("stop")
        down_from = time.monotonic()
        # Down until every URL has been answered while it is (a request then waits for
        # the pool to give up), or 60 s.
        while time.monotonic() - down_from < 60:
            seen = {a[1] for a in answers if a[0] > down_from}
            if seen >= set(URLS):
                break
            time.sleep(0.2)
        down_until = time.monotonic()
        cluster.run("start")
        up_at = time.monotonic()
        while time.monotonic() - up_at < RECOVERY_S:
            # Recovered: every answer of the last 3 s a 200. Each gunicorn worker's pool
            # reconnects on its own after its back-off (a second or a few), and the
            # answers of one second may all have come from the worker that was first.
            recent = [a for a in answers if a[0] > time.monotonic() - 3]
            if (time.monotonic() - up_at > 3 and len(recent) >= 2 * len(URLS)
                    and all(a[2] == 200 for a in recent)):
                break
            time.sleep(0.2)
        recovered_at = time.monotonic()
        # A round of every URL asked after it recovered (on a busy machine one request
        # may take more than a second).
        while time.monotonic() - recovered_at < RECOVERY_S:
            if {a[1] for a in answers if a[0] > recovered_at} >= set(URLS):
                break
            time.sleep(0.2)
    finally:
        stop.set()
        loader.join()

    assert {a[2] for a in answers} <= {200, 503}, sorted({a[2] for a in answers})
    # Asked and answered while it was down (one asked then may be answered once it is up).
    during = [a for a in answers if down_from < a[0] and a[4] < down_until]
    assert len(during) >= len(URLS)
    assert {(a[1], a[2], a[3]) for a in during} == {(url, 503, "30") for url in URLS}
    assert all(a[2] == 503 and a[3] == "30" for a in answers if a[2] != 200)
    assert recovered_at - up_at < RECOVERY_S, "still not answering 200 after the restart"
    after = [a for a in answers if a[0] > recovered_at]
    assert after and all(a[2] == 200 for a in after)
    # The same processes: nothing was restarted to recover.
    assert gunicorn.poll() is None and _workers(gunicorn.pid) == workers
