"""``kill -9`` of the background worker while it writes an import the web queued: nothing
of it stays, its backend is gone within 10 s, the worker's sweep says on the run what
happened, and the layer takes the same file again (Trust section 5, fault tests).

``test_killed_import`` kills the command-line import; the web and the API queue theirs for
the worker (importers.jobs), a process of its own that a deployment restarts, and that an
operator or the out-of-memory killer may kill mid-write. The run is then left *running*
with no session behind it: the sweep (every minute in the worker) marks it failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from importers import jobs, services
from importers.models import ImportRun
from layers.models import Attraction, Layer
from tests.factories import make_partner, make_person, run_queued_imports
from tests.faults.test_killed_import import LAYER, N, _points

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _worker() -> subprocess.Popen[bytes]:
    """The real worker, as the deployment runs it, on the test database."""
    db = connection.settings_dict
    url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DATABASE_URL=url, ATLAS_DB_ROLE="app",
               ATLAS_UPLOAD_DIR=str(settings.ATLAS_UPLOAD_DIR))
    return subprocess.Popen([sys.executable, "manage.py", "procrastinate", "worker"],
                            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _backends(run_id: int) -> list[tuple[int, bool]]:
    """The run's backends (the worker names its session after the run), each with whether
    it runs a statement of the write's transaction (which holds the run's row)."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.pid, a.state = 'active' AND EXISTS (
                SELECT FROM pg_locks l WHERE l.pid = a.pid AND l.mode = 'RowExclusiveLock'
                  AND l.relation = 'layers_attraction'::regclass)
            FROM pg_stat_activity a WHERE a.application_name = %s""",
                    [jobs.application_name(run_id)])
        return cur.fetchall()


def _queue(path: Path, partner, user) -> ImportRun:
    """The import as the web queues it: the upload kept under a token, a queued run."""
    token, kept = services.upload_store(upload=SimpleUploadedFile(
        path.name, path.read_bytes(), "application/geo+json"))
    return jobs.import_enqueue(path=kept, token=token, partner=partner, user=user, data={
        "layer": LAYER, "kind": "attractions", "field_map": {"name_en": "NAME"},
        "id_field": "ID"})


def test_a_worker_killed_while_writing_leaves_nothing_and_its_run_says_so(tmp_path):
    partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9), country="BG",
                           languages=["bg", "en"])
    editor = make_person(partner, "editors")
    run = _queue(_points(tmp_path / "sites.geojson", N), partner, editor)
    worker = _worker()
    try:
        deadline = time.monotonic() + 180
        while not any(writing for _pid, writing in _backends(run.pk)):
            if worker.poll() is not None:
                pytest.fail("the worker ended before it was seen writing: "
                            + (worker.stderr.read().decode()[-800:] if worker.stderr else ""))
            if time.monotonic() > deadline:
                pytest.fail("the worker was not seen writing within 180 s")
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        worker.kill()
        worker.wait()

    while _backends(run.pk) and time.monotonic() - killed_at < 10:
        time.sleep(0.1)
    assert _backends(run.pk) == [], "the killed worker's backend was still there after 10 s"
    assert not Attraction.objects.exists()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING  # as the worker left it

    # The sweep a live worker runs every minute tells the editor what happened.
    assert jobs.runs_stalled_fail() == [run.pk]
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "stopped while it ran this import; nothing was written" in run.translated()["error"]
    assert not Layer.objects.filter(slug=LAYER, attractions__isnull=False).exists()

    # The layer is free: the same import, queued again, is written whole.
    again = _queue(_points(tmp_path / "again.geojson", 50), partner, editor)
    run_queued_imports()
    again.refresh_from_db()
    assert again.status == ImportRun.Status.SUCCEEDED
    assert Attraction.objects.filter(layer__slug=LAYER).count() == 50
