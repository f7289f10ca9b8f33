"""Exports of a layer or of the regional layer: GeoJSON, GPX, KML, zipped Shapefile,
GeoPackage, CSV (WKT), FlatGeobuf and GeoParquet, in WGS 84 or another CRS the OGC API
serves (``crs``: not GPX and KML, WGS 84 by definition).

Each export carries what an import maps back (source_id, name_*, description_*,
category or activity and difficulty, the other attribute fields, and the
feature's own properties under their names) and each feature's public id (the
column ``id``, GPX's ``atlas:id``), by which the importer finds the feature again:
exporting a layer and importing the file into it again changes nothing.

- ``rows``: what is exported, column by column, and the GeoJSON document;
- ``gpx_kml``: GPX and KML;
- ``ogr``: Shapefile, GeoPackage, FlatGeobuf and CSV;
- ``parquet``: GeoParquet;
- ``licence``: whose data an export holds, and under which licence;
- ``make``: an export in any of the formats, made now;
- ``stored``: an export made once per version of the data and kept on disk.
"""

from __future__ import annotations

from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.make import check_crs, export, file_stem, media
from layers.exports.ogr import (
    short_names,
    to_csv,
    to_flatgeobuf,
    to_geopackage,
    to_shapefile_zip,
)
from layers.exports.parquet import to_geoparquet
from layers.exports.rows import (
    FORMATS,
    WGS84_ONLY,
    Rows,
    geojson_document,
    geojson_sql,
    rows,
)
from layers.exports.stored import stored_export

__all__ = ["FORMATS", "WGS84_ONLY", "Rows", "check_crs", "export", "file_stem",
           "geojson_document", "geojson_sql", "media", "rows", "short_names", "stored_export",
           "to_csv", "to_flatgeobuf", "to_geopackage", "to_geoparquet", "to_gpx", "to_kml",
           "to_shapefile_zip"]
