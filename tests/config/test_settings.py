"""The settings refuse to run a deployment on a public or missing secret key, and keep DEBUG
off unless a developer asks for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process, with only the environment given."""
    clean = {k: v for k, v in os.environ.items()
             if k not in ("ATLAS_SECRET_KEY", "ATLAS_DEBUG", "DJANGO_SETTINGS_MODULE")}
    code = ("import config.settings as s; print('DEBUG', s.DEBUG); "
            "print('KEY', len(s.SECRET_KEY))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env={**clean, "PYTHONPATH": str(ROOT), **env})


def test_debug_is_off_unless_asked_for(tmp_path):
    assert "DEBUG False" in _start(tmp_path, ATLAS_SECRET_KEY="k" * 50).stdout
    assert "DEBUG True" in _start(tmp_path, ATLAS_SECRET_KEY="k" * 50, ATLAS_DEBUG="1").stdout


def test_public_keys_are_refused(tmp_path):
    for key in ("change-me-in-production", "dev-only-insecure-key", "short"):
        started = _start(tmp_path, ATLAS_SECRET_KEY=key)
        assert started.returncode != 0 and "No usable secret key" in started.stderr, key


def test_the_checkouts_own_key_is_used_when_none_is_set():
    key_file = ROOT / "var" / "secret-key"
    assert key_file.is_file(), "make setup writes var/secret-key"
    from django.conf import settings

    if not os.environ.get("ATLAS_SECRET_KEY"):
        assert key_file.read_text().strip() == settings.SECRET_KEY
    assert (key_file.stat().st_mode & 0o077) == 0  # readable by its owner only
