"""``kill -9`` of an import while it writes: nothing of it stays, and its database backend
is gone within 10 s, with the layer's lock (Trust D5: a killed client's backend ran on for
12+ minutes holding the layer's locks).

The import is the real command in a process of its own, on a GeoJSON of 40,000 points
made here, against the test database; it is killed while PostgreSQL runs one of its
write's statements (the COPY or the upsert: its transaction holds the lock of the import
run it inserted). Such a backend notices its client is gone when it next writes to it, or
within the cluster's ``client_connection_check_interval`` (2 s, geo/pgcluster.py) during
a long statement; here the statements are short, and it is gone in well under a second.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from importers.models import ImportRun
from layers.models import Attraction, Layer, Partner
from tests.factories import make_partner

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

N = 40_000
APP_NAME = "atlas-fault-killed-import"
LAYER = "killed-mid-import"


def _points(path: Path, n: int) -> Path:
    """``n`` points inside Stara Zagora's rectangle, each with a name and an id."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [
                    25.0 + (i % 200) * 0.006, 42.0 + (i // 200) * 0.004]},
                 "properties": {"ID": i, "NAME": f"Site {i}", "CATEGORY": "museum"}}
                for i in range(n)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _backends() -> list[tuple[int, bool]]:
    """The import's backends, each with whether it is running a statement of the write's
    transaction (which holds the lock of the import run it inserted)."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.pid, a.state = 'active' AND EXISTS (
                SELECT FROM pg_locks l WHERE l.pid = a.pid AND l.mode = 'RowExclusiveLock'
                  AND l.relation = 'importers_importrun'::regclass)
            FROM pg_stat_activity a WHERE a.application_name = %s""", [APP_NAME])
        return cur.fetchall()


def _import_command(path: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = (f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DATABASE_URL=url, PGAPPNAME=APP_NAME, ATLAS_DB_ROLE="app")
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_layer", str(path), "--partner", "stara-zagora",
         "--layer", LAYER, "--kind", "attractions", "--map", "name_en=NAME",
         "--id-field", "ID"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_until_writing(command: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if any(writing for _pid, writing in _backends()):
            return
        if command.poll() is not None:
            pytest.fail("the import ended before it was seen writing: "
                        + (command.stderr.read().decode()[-500:] if command.stderr else ""))
        time.sleep(0.005)
    pytest.fail("the import was not seen writing within 180 s")


def test_an_import_killed_while_writing_leaves_nothing_and_no_backend(tmp_path):
    partner: Partner = make_partner("stara-zagora", bbox=(24.9, 41.9, 26.3, 42.9),
                                    country="BG", languages=["bg", "en"])
    command = _import_command(_points(tmp_path / "sites.geojson", N))
    try:
        _wait_until_writing(command)
        os.kill(command.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        command.kill()
        command.wait()

    while _backends() and time.monotonic() - killed_at < 10:
        time.sleep(0.1)
    assert _backends() == [], "the killed import's backend was still there after 10 s"

    assert not Layer.objects.filter(slug=LAYER).exists()
    assert not Attraction.objects.exists()
    assert not ImportRun.objects.exists()
    # The layer is free: the same import again, whole, is written.
    call_command("import_layer", str(_points(tmp_path / "again.geojson", 50)),
                 partner=partner.slug, layer=LAYER, kind="attractions",
                 map=["name_en=NAME"], id_field="ID", verbosity=0)
    assert Attraction.objects.filter(layer__slug=LAYER).count() == 50
    assert ImportRun.objects.get().status == ImportRun.Status.SUCCEEDED
