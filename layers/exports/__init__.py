"""Exports of a layer or of the regional layer: GeoJSON, GPX, KML, zipped Shapefile,
GeoPackage and CSV (WKT).

Each export carries what an import maps back (source_id, name_*, description_*,
category or activity and difficulty, the other attribute fields, and the
feature's own properties under their names) and each feature's public id (the
column ``id``, GPX's ``atlas:id``), by which the importer finds the feature again:
exporting a layer and importing the file into it again changes nothing.

- ``rows``: what is exported, column by column, and the GeoJSON document;
- ``gpx_kml``: GPX and KML;
- ``ogr``: Shapefile, GeoPackage and CSV;
- ``make``: an export in any of the formats, made now;
- ``stored``: an export made once per version of the data and kept on disk.
"""

from __future__ import annotations

from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.make import export
from layers.exports.ogr import short_names, to_csv, to_geopackage, to_shapefile_zip
from layers.exports.rows import FORMATS, Rows, geojson_document, geojson_sql, rows
from layers.exports.stored import stored_export

__all__ = ["FORMATS", "Rows", "export", "geojson_document", "geojson_sql", "rows",
           "short_names", "stored_export", "to_csv", "to_geopackage", "to_gpx", "to_kml",
           "to_shapefile_zip"]
