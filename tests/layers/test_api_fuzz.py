"""Schemathesis against the site's own OpenAPI documents: no input makes the server fail,
and every answer is what the document declares — its status, its media type and its
schema (Interfaces D10, D11).

The REST API as a visitor and as a partner editor (whose token reaches the imports and
route composition), and the OGC API from its own document. ``tests/test_fuzz.py`` fuzzes
every other URL; ``make fuzz`` runs both with many more examples.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_token, make_trail
from tests.routes.conftest import make_route

ST = Path(sys.executable).parent / "st"
EXAMPLES = os.environ.get("ATLAS_FUZZ_EXAMPLES_PER_OPERATION", "15")
CHECKS = ",".join(["not_a_server_error", "status_code_conformance",
                   "content_type_conformance", "response_schema_conformance"])
SEED = [] if os.environ.get("ATLAS_FUZZ_RANDOM") == "1" else ["--seed", "7"]


@pytest.mark.skipif(not ST.exists(), reason="schemathesis is not installed (make test installs "
                    "the dev dependencies)")
@pytest.mark.django_db(transaction=True)
def test_no_generated_request_gets_a_server_error(live_server):
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    make_attraction(make_layer(sz), 25.6264, 42.4271, name_bg="Античен форум")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS), [(25.60, 42.43, 200.0),
                                                       (25.62, 42.45, 260.0)])
    make_route(sz, slug="a-route")
    editor = User.objects.create_user("ivana", password="pw", is_staff=True)
    editor.groups.add(sz.editors)
    token = make_token(editor)
    runs = {
        "REST API as a visitor": [f"{live_server.url}/api/schema/"],
        "REST API as an editor": [f"{live_server.url}/api/schema/",
                                  "-H", f"Authorization: Token {token}"],
        "OGC API": [f"{live_server.url}/ogc/api"],
    }
    # The schema made once before the runs: drf-spectacular loads its extensions' classes
    # on first use, and two first uses at once race (a 500 on /api/schema/).
    with urllib.request.urlopen(f"{live_server.url}/api/schema/", timeout=60) as first:
        assert first.status == 200
    # The three runs at once: each spends most of its time waiting on the server.
    started = {name: subprocess.Popen(
        [str(ST), "run", *args, "--checks", CHECKS, "--max-examples", EXAMPLES,
         "--phases", "examples,fuzzing", *SEED, "--request-timeout", "30"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name, args in runs.items()}
    for name, run in started.items():
        stdout, stderr = run.communicate(timeout=1200)
        assert run.returncode == 0, name + "\n" + stdout[-3000:] + stderr[-2000:]
        assert "passed" in stdout, name
