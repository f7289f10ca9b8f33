"""A collection's downloads: the whole collection as a file in each export format, linked
from the collection (``rel=enclosure``, OGC API – Features Part 1's relation for a
bulk download), in WGS 84 (``crs=`` on the link gives another served CRS)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest

from layers.exports import FORMATS, media
from layers.ogc.catalogue import REGIONAL_LAYER, Collection
from layers.ogc.responses import absolute_url

TITLES = {"geojson": "GeoJSON", "gpx": "GPX", "kml": "KML", "shp": "Shapefile (zip)",
          "gpkg": "GeoPackage", "csv": "CSV (WKT)", "fgb": "FlatGeobuf",
          "parquet": "GeoParquet"}


def download_links(request: HttpRequest, c: Collection) -> list[dict[str, str]]:
    """One ``enclosure`` link per export format, with its media type."""
    out = []
    for fmt in FORMATS:
        query = {"format": fmt}
        if c.layer:
            name, args = "layer-export", [c.layer]
        else:
            name, args = "regional-layer-export", []
            if c.id != REGIONAL_LAYER:
                query = {"kind": ",".join(c.kinds), **query}
        out.append({"rel": "enclosure", "type": media(fmt, list(c.kinds))[0].split(";")[0],
                    "title": f"{c.title} ({TITLES.get(fmt, fmt)})",
                    "href": absolute_url(request, name, *args, query=urlencode(query))})
    return out
