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
