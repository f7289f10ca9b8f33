"""Exports as GIS software reads them (Interfaces D8, D13, D14, D15): GDAL's own drivers
open what the platform writes, field by field, with the layer's licence."""

from __future__ import annotations

import zipfile

import pyogrio
import pytest
import shapely

from layers.models import Layer
from layers.vocabulary import LayerKind
from tests.factories import make_trail
from tests.layers.test_exports import _get, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db


def test_the_shapefile_keeps_z_when_some_lines_have_none(client, world, tmp_path):
    # Interfaces D8: one 2-D trail among 3-D ones made the layer 2-D, and every
    # elevation was lost.
    trails = Layer.objects.get(kind=LayerKind.TRAILS)
    make_trail(trails, [(25.64, 42.40), (25.65, 42.41)], source_id="flat", name_en="Flat")
    archive = tmp_path / "trails.zip"
    archive.write_bytes(_get(client, f"/api/layers/{trails.slug}/export/", "shp").getvalue())
    with zipfile.ZipFile(archive) as zf:
        shp = next(n for n in zf.namelist() if n.endswith(".shp"))
    path = f"/vsizip/{archive}/{shp}"
    assert pyogrio.read_info(path)["geometry_type"] in ("MultiLineString Z", "LineString Z")
    _meta, _fids, geoms, fields = pyogrio.raw.read(path, columns=["source_id"])
    by_source = dict(zip(fields[0].tolist(), shapely.from_wkb(geoms), strict=True))
    ayazmo = shapely.get_coordinates(by_source["ayazmo"], include_z=True)
    assert ayazmo[:, 2].tolist() == [200.0, 260.0, 300.0]
