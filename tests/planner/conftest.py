"""The constructed territory of tests/planner/world.py as fixtures."""

from __future__ import annotations

import pytest

from tests.planner.world import World, make_sub_areas, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def sub_areas(world):
    return make_sub_areas(world)
