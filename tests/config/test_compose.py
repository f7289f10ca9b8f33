"""docker-compose.yml describes the same platform: PostGIS plus the web app."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"ATLAS_SECRET_KEY": "k" * 50, "ATLAS_DB_SUPERUSER_PASSWORD": "s" * 20,
           "ATLAS_DB_OWNER_PASSWORD": "o" * 20, "ATLAS_DB_APP_PASSWORD": "a" * 20}


def _compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_config_is_valid():
    compose = _compose_command()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed "
                    "(make test installs Debian's docker-compose)")
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    result = subprocess.run([*compose, "config", "-q"], cwd=ROOT, capture_output=True,
                            text=True, env={**env, **SECRETS})
    assert result.returncode == 0, result.stderr
    # No key or password, no start: there is no default to fall back on.
    for name in SECRETS:
        unset = subprocess.run([*compose, "config", "-q"], cwd=ROOT, capture_output=True,
                               text=True, env={**env, **SECRETS, name: ""})
        assert unset.returncode != 0 and name in unset.stderr, name


def test_compose_runs_the_web_app_against_a_postgis_container():
    config = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert config["services"]["db"]["image"].startswith("postgis/postgis:15")
    web = config["services"]["web"]
    assert web["environment"]["DATABASE_URL"].startswith("postgis://atlas_app:")
    assert "@db:5432/" in web["environment"]["DATABASE_URL"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_runs_the_site_as_the_application_role_and_migrates_as_the_owner():
    """Trust D15: the container's site connected as the database's superuser."""
    config = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web, db = config["services"]["web"], config["services"]["db"]
    assert web["environment"]["ATLAS_MIGRATE_DATABASE_URL"].startswith("postgis://atlas_owner:")
    # The volume's first start makes the roles with the file the local cluster runs.
    assert "./geo/postgres_roles.sql:/atlas/postgres_roles.sql:ro" in db["volumes"]
    script = next(v.split(":")[0] for v in db["volumes"] if "docker-entrypoint-initdb.d" in v)
    text = (ROOT / script).read_text()
    assert "-f /atlas/postgres_roles.sql" in text and "owner=atlas_owner" in text
    assert "app=atlas_app" in text


def test_the_image_starts_without_reloading_the_demo():
    """The demo is a one-off command: loaded at every start it overwrote partners' edits."""
    start = next(line for line in (ROOT / "Dockerfile").read_text().splitlines()
                 if line.startswith("CMD "))
    assert "migrate" in start and "gunicorn -c config/gunicorn.conf.py config.wsgi" in start
    assert "load_demo" not in start


def test_the_image_holds_every_app_of_the_project():
    from django.conf import settings

    copied = {line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines()
              if line.startswith("COPY ") and len(line.split()) == 3}
    # The project (settings, urls) and every app of it that lives in this repository.
    local = {name.split(".")[0] for name in [settings.ROOT_URLCONF, *settings.INSTALLED_APPS]
             if (ROOT / name.split(".")[0]).is_dir()}
    assert local >= {"config", "layers", "importers", "routes", "planner", "maps"}
    assert local - copied == set()
