"""Partners and file builders for importer tests.

Fixture files are written by the tests themselves (pyogrio, plain bytes) into
tmp_path; real files from ../shared are copied to tmp_path before GDAL opens
them, since GDAL may write beside a file and ../shared is read-only in CI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.factories import make_partner

# Rough rectangles around the four territories: enough for "inside the partner".
TERRITORIES = {
    "stara-zagora": dict(bbox=(24.9, 41.9, 26.3, 42.9), country="BG", languages=["bg", "en"]),
    "sliven": dict(bbox=(25.7, 42.3, 26.9, 43.1), country="BG", languages=["bg", "en"]),
    "larissa": dict(bbox=(21.6, 39.1, 23.1, 40.2), country="GR", languages=["el", "en"]),
    "drome": dict(bbox=(4.6, 44.1, 5.9, 45.4), country="FR", languages=["fr", "en"]),
}


@pytest.fixture
def partners(db):
    return {slug: make_partner(slug, **kw) for slug, kw in TERRITORIES.items()}


@pytest.fixture
def copy_shared(shared_data, tmp_path):
    """Copy a shared file (and its shapefile siblings) to tmp_path; return the copy."""

    def copy(relative: str) -> Path:
        source = shared_data / "real" / relative
        target_dir = tmp_path / "shared" / source.parent.name
        target_dir.mkdir(parents=True, exist_ok=True)
        for member in source.parent.iterdir():
            if member.is_file() and member.stem == source.stem:
                shutil.copy2(member, target_dir / member.name)
        return target_dir / source.name

    return copy
