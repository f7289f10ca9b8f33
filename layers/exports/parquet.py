"""GeoParquet 1.0 of the exported rows: one table of every kind, the geometry as WKB with
its CRS (PROJJSON), geometry types and extent in the ``geo`` metadata, and the licence
and sources in the file's key-value metadata.

The GDAL that pyogrio bundles has no Parquet driver: the file is written by pyarrow, its
``geo`` metadata by geoarrow-pyarrow (both of the Apache Arrow project's circle).
"""

from __future__ import annotations

import io
import json

import shapely
from pyproj import CRS

from geo.crs import WGS84
from layers.exports.licence import PLATFORM, Credit, attribution, licence_text, licences
from layers.exports.ogr import column_arrays
from layers.exports.rows import Rows, merged


def file_metadata(found: list[Credit]) -> dict[str, str]:
    """The file's own key-value metadata: whose data it is and under which licence."""
    return {"title": PLATFORM, "attribution": attribution(found),
            "license": json.dumps(licences(found)), "sources": licence_text(found)}


def to_geoparquet(parts: list[Rows], found: list[Credit] | None = None, srid: int = WGS84,
                  with_kind: bool = False) -> bytes:
    """Every kind in one table (``merged``): a point, a footprint and a 3-D line side by
    side, each geometry keeping its own type and elevations (WKB), the ``geo`` metadata
    listing them all ("MultiLineString Z" …); x is the easting or longitude, as
    GeoParquet says whatever the CRS's axis order."""
    import geoarrow.pyarrow as ga  # pyarrow: some 100 MB, loaded by this export only
    import pyarrow as pa
    from geoarrow.pyarrow import io as geoarrow_io

    found = found or []
    table = merged(parts, with_kind=with_kind) if parts else Rows(
        "feature", {}, shapely.points([]), shapely.points([]))
    names, arrays = column_arrays(table)
    # from_pandas: a missing number (NaN in the typed array) is written as a null.
    columns = [pa.array(a, from_pandas=True) for a in arrays]
    # OGC:CRS84 for WGS 84 (GeoParquet's default, lon/lat); else the EPSG definition.
    crs = CRS.from_user_input("OGC:CRS84" if srid == WGS84 else f"EPSG:{srid}")
    geometry = ga.with_crs(ga.wkb().wrap_array(pa.array(shapely.to_wkb(table.geoms),
                                                        type=pa.binary())),
                           crs.to_json())
    out = pa.table([*columns, geometry], names=[*names, "geometry"])
    out = out.replace_schema_metadata(file_metadata(found))
    buf = io.BytesIO()
    geoarrow_io.write_geoparquet_table(out, buf, primary_geometry_column="geometry",
                                       write_bbox=True, write_geometry_types=True)
    return buf.getvalue()
