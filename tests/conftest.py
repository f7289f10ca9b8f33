"""Test set-up: the real PostGIS (local cluster unless DATABASE_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL"):
        from geo import pgcluster

        pgcluster.start()


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real files written by others); skips when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared beside the checkout)")
    return SHARED_DATA


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
