"""gunicorn as deployed (config/gunicorn.conf.py, the Docker image's command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _resolved(*args: str, **env: str) -> dict[str, str]:
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "config/gunicorn.conf.py",
         *args, "config.wsgi"], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin", **env})
    return {k.strip(): v.strip() for k, _, v in
            (line.partition("=") for line in printed.stdout.splitlines())}


def test_workers_are_recycled_with_jitter_and_time_limited():
    """Trust D8: workers grew to 0.5-1 GB and never gave it back."""
    config = _resolved()
    assert int(config["max_requests"]) == 1000 and int(config["max_requests_jitter"]) > 0
    assert int(config["timeout"]) == 60 and int(config["graceful_timeout"]) == 30
    assert config["bind"] == "['127.0.0.1:8000']"  # behind the proxy, on this machine


def test_the_environment_sets_workers_and_the_address():
    config = _resolved(WEB_CONCURRENCY="5", ATLAS_BIND="0.0.0.0:8000")
    assert config["workers"] == "5" and config["bind"] == "['0.0.0.0:8000']"
