"""An export in any of the formats, made now (``stored`` keeps them)."""

from __future__ import annotations

from typing import BinaryIO

from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.licence import Credit, attribution, credits, licences
from layers.exports.ogr import to_csv, to_geopackage, to_shapefile_zip
from layers.exports.rows import FORMATS, geojson_document, rows, write_geojson
from layers.params import FeatureFilters


def export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
           with_partner: bool, lang: str = "en",
           found: list[Credit] | None = None) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the export; ``lang``: the language of the
    names GPX and KML show (the other formats carry every language's); ``found``: the
    export's sources and licences (``credits``: asked when not given)."""
    content_type, ext = FORMATS[fmt]
    if found is None:
        found = credits(kinds, filters)
    if fmt == "geojson":
        body = geojson_document(kinds=kinds, filters=filters, with_partner=with_partner,
                                members=geojson_members(found))
        return body, content_type, f"{stem}.{ext}"
    parts = rows(kinds=kinds, filters=filters, with_partner=with_partner)
    if fmt == "shp":
        body = to_shapefile_zip(parts, stem, found)
    elif fmt in ("gpx", "kml"):
        body = (to_gpx if fmt == "gpx" else to_kml)(parts, lang, found, stem)
    else:
        body = {"gpkg": to_geopackage, "csv": to_csv}[fmt](parts, found)
    return body, content_type, f"{stem}.{ext}"


def geojson_members(found: list[Credit]) -> dict[str, object]:
    """The GeoJSON export's foreign members (RFC 7946 §6.1) saying whose data it is."""
    return {"attribution": attribution(found), "license": licences(found),
            "sources": [c.line() for c in found]}


def export_to(out: BinaryIO, *, kinds: list[str], filters: FeatureFilters, fmt: str,
              stem: str, with_partner: bool, lang: str = "en",
              found: list[Credit] | None = None) -> None:
    """Write the export to ``out``: GeoJSON a few thousand features at a time, the other
    formats whole (their writers take every row at once)."""
    if found is None:
        found = credits(kinds, filters)
    if fmt == "geojson":
        write_geojson(out, kinds=kinds, filters=filters, with_partner=with_partner,
                      members=geojson_members(found))
    else:
        out.write(export(kinds=kinds, filters=filters, fmt=fmt, stem=stem,
                         with_partner=with_partner, lang=lang, found=found)[0])
