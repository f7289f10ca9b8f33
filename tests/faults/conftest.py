"""Fault tests: what the platform does when a process is killed, the database restarts
or the disk fills up (Trust, "Done when"). Marked ``faults`` (``pytest -m faults``); each
makes the fault itself, on something of its own where the fault would harm others."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "faults: makes a fault happen (a kill, a database restart, a full disk)")

