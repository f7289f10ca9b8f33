"""Schemathesis against the API's own OpenAPI schema: no input makes the server fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

ST = Path(sys.executable).parent / "st"


@pytest.mark.skipif(not ST.exists(), reason="schemathesis is not installed (make test installs "
                    "the dev dependencies)")
@pytest.mark.django_db(transaction=True)
def test_no_generated_request_gets_a_server_error(live_server):
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7))
    make_attraction(make_layer(sz), 25.6264, 42.4271, name_bg="Античен форум")
    make_trail(make_layer(sz, kind=LayerKind.TRAILS), [(25.60, 42.43, 200.0),
                                                       (25.62, 42.45, 260.0)])
    # Imports need a token and a file: their own tests cover them.
    run = subprocess.run(
        [str(ST), "run", f"{live_server.url}/api/schema/", "--checks", "not_a_server_error",
         "--max-examples", "15", "--phases", "examples,fuzzing", "--seed", "7",
         "--exclude-path-regex", "^/api/imports", "--request-timeout", "30"],
        capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
