"""Exports of a layer or of the regional layer: GeoJSON, GPX, KML, zipped Shapefile,
GeoPackage and CSV (WKT).

Each export carries what an import maps back (source_id, name_*, description_*,
category or activity and difficulty, the other attribute fields, and the
feature's own properties under their names) and each feature's public id (the
column ``id``, GPX's ``atlas:id``), by which the importer finds the feature again:
exporting a layer and importing the file into it again changes nothing.

- ``rows``: what is exported, column by column, and the GeoJSON document;
- ``gpx_kml``: GPX and KML;
- ``ogr``: Shapefile, GeoPackage and CSV.
"""

from __future__ import annotations

from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.ogr import short_names, to_csv, to_geopackage, to_shapefile_zip
from layers.exports.rows import FORMATS, Rows, geojson_document, geojson_sql, rows
from layers.params import FeatureFilters

__all__ = ["FORMATS", "Rows", "export", "geojson_document", "geojson_sql", "rows",
           "short_names", "to_csv", "to_geopackage", "to_gpx", "to_kml", "to_shapefile_zip"]


def export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
           with_partner: bool) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the export."""
    content_type, ext = FORMATS[fmt]
    if fmt == "geojson":
        body = geojson_document(kinds=kinds, filters=filters, with_partner=with_partner)
        return body, content_type, f"{stem}.{ext}"
    parts = rows(kinds=kinds, filters=filters, with_partner=with_partner)
    if fmt == "shp":
        body = to_shapefile_zip(parts, stem)
    else:
        writer = {"gpx": to_gpx, "kml": to_kml, "gpkg": to_geopackage, "csv": to_csv}[fmt]
        body = writer(parts)
    return body, content_type, f"{stem}.{ext}"
