"""The settings refuse to run a deployment on a public or missing secret key, and keep DEBUG
off unless a developer asks for it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.servers import get, gunicorn

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {"ATLAS_SECRET_KEY": secrets.token_urlsafe(50),
              "ATLAS_ALLOWED_HOSTS": "atlas.example.org"}


def _clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("ATLAS_SECRET_KEY", "ATLAS_DEBUG", "DJANGO_SETTINGS_MODULE",
                         "ATLAS_ALLOWED_HOSTS", "ATLAS_HTTPS", "ATLAS_HSTS_SECONDS")}


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process, with only the environment given."""
    clean = _clean_environment()
    code = ("import config.settings as s; print('DEBUG', s.DEBUG); "
            "print('KEY', len(s.SECRET_KEY)); "
            "print('HTTPS', s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)")
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


def test_check_deploy_is_clean_in_production():
    """Trust D6: `check --deploy` gave 5 warnings (HSTS, SSL redirect, secure cookies, key).
    Production is what a deployment gets by naming its host, with nothing else set."""
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **PRODUCTION})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_https_is_on_for_a_deployment_and_off_for_this_machine(tmp_path):
    everything = "HTTPS True True True True"
    assert everything in _start(tmp_path, **PRODUCTION).stdout
    # make demo, the tests, docker compose as shipped: http://127.0.0.1, no certificate.
    assert "HTTPS False False False False" in _start(tmp_path, ATLAS_SECRET_KEY="k" * 50).stdout
    assert "HTTPS False False False False" in _start(tmp_path, **PRODUCTION,
                                                     ATLAS_HTTPS="0").stdout
    assert everything in _start(tmp_path, ATLAS_SECRET_KEY="k" * 50, ATLAS_HTTPS="1").stdout
    refused = _start(tmp_path, **PRODUCTION, ATLAS_HTTPS="yes")
    assert refused.returncode != 0 and "ATLAS_HTTPS" in refused.stderr


@pytest.mark.django_db
def test_a_deployment_behind_its_proxy_is_https_only():
    """gunicorn as deployed, with the production environment, behind a proxy that ends TLS
    and says so in X-Forwarded-Proto."""
    host = {"Host": "atlas.example.org"}
    with gunicorn(**PRODUCTION) as port:
        status, headers, _ = get(port, "/layers/?lang=fr", **host)
        assert status == 301
        assert headers["Location"] == "https://atlas.example.org/layers/?lang=fr"
        status, headers, _ = get(port, "/admin/login/?lang=fr", **host,
                                 **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload")
    cookies = headers.get_all("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"csrftoken", "django_language"}
    assert all("; Secure" in c for c in cookies), cookies
