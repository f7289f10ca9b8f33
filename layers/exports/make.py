"""An export in any of the formats, made now (``stored`` keeps them)."""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext as _

from geo.crs import WGS84
from geo.errors import BadParameter
from layers.exports.gpx_kml import to_gpx, to_kml
from layers.exports.licence import Credit, attribution, credits, licences
from layers.exports.ogr import to_csv, to_flatgeobuf, to_geopackage, to_shapefile_zip
from layers.exports.parquet import to_geoparquet
from layers.exports.rows import (
    FORMATS,
    WGS84_ONLY,
    crs_member,
    geojson_document,
    rows,
    write_geojson,
)
from layers.params import FeatureFilters


def media(fmt: str, kinds: list[str]) -> tuple[str, str]:
    """(content type, file extension) of an export: FORMATS's, but FlatGeobuf of several
    kinds is a zip of a file per kind (``to_flatgeobuf``)."""
    if fmt == "fgb" and len(kinds) > 1:
        return "application/zip", "fgb.zip"
    return FORMATS[fmt]


def check_crs(fmt: str, srid: int) -> None:
    """Refuse another CRS than WGS 84 for a format that has no other (GPX, KML)."""
    if srid != WGS84 and fmt in WGS84_ONLY:
        raise BadParameter("crs", _("%(format)s is in WGS 84 by definition: leave crs out "
                                    "or choose another format") % {"format": fmt.upper()})


def file_stem(stem: str, srid: int) -> str:
    """The file's name says its CRS when it is not WGS 84 (a CSV has no other place)."""
    return stem if srid == WGS84 else f"{stem}-epsg{srid}"


def export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
           with_partner: bool, lang: str = "en", found: list[Credit] | None = None,
           srid: int = WGS84) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the export; ``lang``: the language of the
    names GPX and KML show (the other formats carry every language's); ``found``: the
    export's sources and licences (``credits``: asked when not given); ``srid``: the
    CRS of its coordinates (GPX and KML: WGS 84 only, which the views check)."""
    content_type, ext = media(fmt, kinds)
    stem = file_stem(stem, srid)
    if found is None:
        found = credits(kinds, filters)
    if fmt == "geojson":
        body = geojson_document(kinds=kinds, filters=filters, with_partner=with_partner,
                                members=geojson_members(found, srid), srid=srid)
        return body, content_type, f"{stem}.{ext}"
    parts = rows(kinds=kinds, filters=filters, with_partner=with_partner, srid=srid)
    if fmt == "shp":
        body = to_shapefile_zip(parts, stem, found, srid)
    elif fmt in ("gpx", "kml"):
        body = (to_gpx if fmt == "gpx" else to_kml)(parts, lang, found, stem)
    elif fmt == "fgb":
        body = to_flatgeobuf(parts, stem, found, srid, one_kind=len(kinds) == 1)
    elif fmt == "parquet":
        body = to_geoparquet(parts, found, srid, with_kind=with_partner)
    else:
        body = {"gpkg": to_geopackage, "csv": to_csv}[fmt](parts, found, srid)
    return body, content_type, f"{stem}.{ext}"


def geojson_members(found: list[Credit], srid: int = WGS84) -> dict[str, object]:
    """The GeoJSON export's foreign members (RFC 7946 §6.1) saying whose data it is, and
    its ``crs`` when not WGS 84."""
    return {**crs_member(srid), "attribution": attribution(found),
            "license": licences(found), "sources": [c.line() for c in found]}


def export_to(out: BinaryIO, *, kinds: list[str], filters: FeatureFilters, fmt: str,
              stem: str, with_partner: bool, lang: str = "en",
              found: list[Credit] | None = None, srid: int = WGS84) -> None:
    """Write the export to ``out``: GeoJSON a few thousand features at a time, the other
    formats whole (their writers take every row at once)."""
    if found is None:
        found = credits(kinds, filters)
    if fmt == "geojson":
        write_geojson(out, kinds=kinds, filters=filters, with_partner=with_partner,
                      members=geojson_members(found, srid), srid=srid)
    else:
        out.write(export(kinds=kinds, filters=filters, fmt=fmt, stem=stem,
                         with_partner=with_partner, lang=lang, found=found, srid=srid)[0])
