"""An export in any of the formats, made now (``stored`` keeps them)."""

from __future__ import annotations

from typing import BinaryIO

from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.ogr import to_csv, to_geopackage, to_shapefile_zip
from layers.exports.rows import FORMATS, geojson_document, rows, write_geojson
from layers.params import FeatureFilters


def export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
           with_partner: bool, lang: str = "en") -> tuple[bytes, str, str]:
    """(body, content type, file name) of the export; ``lang``: the language of the
    names GPX and KML show (the other formats carry every language's)."""
    content_type, ext = FORMATS[fmt]
    if fmt == "geojson":
        body = geojson_document(kinds=kinds, filters=filters, with_partner=with_partner)
        return body, content_type, f"{stem}.{ext}"
    parts = rows(kinds=kinds, filters=filters, with_partner=with_partner)
    if fmt == "shp":
        body = to_shapefile_zip(parts, stem)
    elif fmt in ("gpx", "kml"):
        body = (to_gpx if fmt == "gpx" else to_kml)(parts, lang)
    else:
        body = {"gpkg": to_geopackage, "csv": to_csv}[fmt](parts)
    return body, content_type, f"{stem}.{ext}"


def export_to(out: BinaryIO, *, kinds: list[str], filters: FeatureFilters, fmt: str,
              stem: str, with_partner: bool, lang: str = "en") -> None:
    """Write the export to ``out``: GeoJSON a few thousand features at a time, the other
    formats whole (their writers take every row at once)."""
    if fmt == "geojson":
        write_geojson(out, kinds=kinds, filters=filters, with_partner=with_partner)
    else:
        out.write(export(kinds=kinds, filters=filters, fmt=fmt, stem=stem,
                         with_partner=with_partner, lang=lang)[0])
