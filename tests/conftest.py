"""Test set-up: the real PostGIS (local cluster unless DATABASE_URL is set)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
# The migrations the test database kept by --reuse-db was made with (make test-fast).
KEPT_DB_MIGRATIONS = ROOT / "var" / "test-db-migrations"


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL"):
        from geo import pgcluster

        pgcluster.start()


def _migrations() -> str:
    """A digest of every migration, and of the database server they were applied on."""
    from django.conf import settings

    db = settings.DATABASES["default"]  # before the test database is set up, and after
    # test_<name>, or test_<name>_gw<n> in each process of a parallel run (pytest-xdist)
    name = re.sub(r"_gw\d+$", "", db["NAME"].removeprefix("test_"))
    digest = hashlib.sha256(f"{db['HOST']}:{db['PORT']}/{name}".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_createdb, django_db_keepdb) -> bool:
    """A test database kept by --reuse-db is made anew when a migration has changed.

    Django applies, to a kept database, the migrations it has not recorded yet, but never
    one that was edited (a trigger's SQL, say) or that another branch has by the same name.
    """
    if django_db_keepdb and not django_db_createdb:
        kept = KEPT_DB_MIGRATIONS.read_text() if KEPT_DB_MIGRATIONS.is_file() else None
        if kept != _migrations():
            if kept is not None:
                with request.config.pluginmanager.get_plugin(
                        "capturemanager").global_and_fixture_disabled():
                    print("\nThe migrations changed since the test database was kept: "
                          "making it anew.", flush=True)
            return True
    return django_db_createdb


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_keepdb) -> None:
    if django_db_keepdb:
        KEPT_DB_MIGRATIONS.parent.mkdir(exist_ok=True)
        KEPT_DB_MIGRATIONS.write_text(_migrations())


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with MD5 in the tests: the production hasher (PBKDF2, a million
    rounds) takes half a second a user, and fixtures make users by the hundred. What is
    tested of passwords is the policy and the lockout, not the hash's cost."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def once_per_module(load: Callable[[], Any]) -> Any:
    """A module-scoped fixture of data ``load()`` makes once for all the module's tests.

    It is made in a transaction that stays open for the module and is rolled back after
    it; each test runs in a savepoint of its own inside it (pytest-django's ``db``), so a
    test may write and the next one still finds the data as ``load()`` left it. Not for
    ``transaction=True`` tests, which would empty the tables.
    """
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield load()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return fixture


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real files written by others); skips when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared beside the checkout)")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def _rate_limits_out_of_the_way():
    """The suite's clients all come from one address and make thousands of requests in
    minutes (the fuzz test, the browser tests' tiles): every limit is raised far above
    them. tests/accounts/test_throttling.py puts the production limits back
    (config.settings.ATLAS_THROTTLE_RATES) to test them."""
    from django.conf import settings

    production = settings.ATLAS_THROTTLE_RATES
    settings.ATLAS_THROTTLE_RATES = {scope: "100000/min" for scope in production}
    yield
    settings.ATLAS_THROTTLE_RATES = production


@pytest.fixture(autouse=True)
def _web_bounds_given_back():
    """A web request leaves its statement and lock timeouts on its pooled connection
    (geo.middleware.DatabaseTimeouts), as a web process wants; the next test's code,
    and the jobs it runs in-process, run without them, as the worker does."""
    yield
    from geo.middleware import DatabaseTimeouts

    DatabaseTimeouts.unbound()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Every test starts in the site's default language.

    A request through the test client leaves the language it activated (``?lang=bg``)
    active in the thread, as a server's worker thread keeps it until its next request;
    a test that then calls the importers directly would read their messages in Bulgarian.
    """
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _exports_kept_apart(settings, tmp_path_factory):
    """Each test keeps the exports it makes in a folder of its own: a test's writes are
    rolled back, and the next test's data reaches the same data version with other rows
    (layers/exports/stored.py names kept exports by it)."""
    settings.ATLAS_EXPORT_DIR = str(tmp_path_factory.mktemp("exports"))
