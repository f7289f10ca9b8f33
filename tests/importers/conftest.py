"""Partners and file builders for importer tests.

Fixture files are written by the tests themselves (pyogrio, plain bytes) into
tmp_path; real files from ../shared are copied to tmp_path before GDAL opens
them, since GDAL may write beside a file and ../shared is read-only in CI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layers.vocabulary import LayerKind
from tests.factories import make_attraction, make_layer, make_partner, make_trail

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


@pytest.fixture
def sz(partners):
    """Stara Zagora's attractions (one drawn on the platform: no source id) and trails, to
    export and import back (test_public_ids*.py)."""
    sz = partners["stara-zagora"]
    poi = make_layer(sz)
    make_attraction(poi, 25.6264, 42.4271, source_id="forum", name_bg="Античен форум",
                    name_en="Antique Forum", category="archaeological_site",
                    website="https://www.starazagora.bg",
                    properties={"VISITORS": 1200, "ОТВОРЕНО": "да"})
    make_attraction(poi, 25.6109, 42.4246, source_id="neolithic", name_bg="Неолитни жилища",
                    name_en="", category="museum", fee=True)
    make_attraction(poi, 25.6182, 42.4339, name_bg="Аязмото", name_en="Ayazmoto park",
                    category="park", description_bg="Парк, нанесен на платформата.")
    trails = make_layer(sz, kind=LayerKind.TRAILS)
    make_trail(trails, [(25.60, 42.43, 200.0), (25.62, 42.45, 260.0), (25.63, 42.46, 300.0)],
               source_id="ayazmo", name_bg="Към Аязмото", activity="walking",
               difficulty="easy")
    make_trail(trails, [(25.64, 42.41, 210.0), (25.66, 42.40, 240.0)], name_bg="Към езерото",
               activity="hiking")
    return sz
