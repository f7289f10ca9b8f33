"""The addresses a record gives: its own, its layer's OGC collection, page and exports,
and its licence's. Absolute, built from the request that asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from layers.exports import FORMATS
from layers.exports.licence import licence_url

FORMAT_NAMES = {"geojson": "GeoJSON", "gpx": "GPX", "kml": "KML", "shp": "ESRI Shapefile",
                "gpkg": "GeoPackage", "csv": "CSV", "fgb": "FlatGeobuf",
                "parquet": "GeoParquet"}


@dataclass(frozen=True)
class Download:
    format: str  # the export's ``format`` parameter
    name: str
    media_type: str
    url: str


class Links:
    """``crs``: the URIs of the CRSs the layer's features are served in (the OGC API's)."""

    def __init__(self, request: HttpRequest, *, crs: list[str]) -> None:
        self.request = request
        self.crs = crs

    def url(self, name: str, *args: str, query: str = "") -> str:
        return (self.request.build_absolute_uri(reverse(name, args=args))
                + (f"?{query}" if query else ""))

    def record(self, slug: str, f: str = "") -> str:
        return self.url("ogc-record", slug, query=f"f={f}" if f else "")

    def collection(self, slug: str) -> str:
        return self.url("ogc-collection", slug)

    def items(self, slug: str) -> str:
        return self.url("ogc-items", slug)

    def page(self, slug: str) -> str:
        return self.url("layer-page", slug)

    def downloads(self, slug: str) -> list[Download]:
        """Every export format the platform writes (layers.exports.FORMATS)."""
        return [Download(fmt, FORMAT_NAMES.get(fmt, fmt.upper()),
                         content_type.split(";")[0].strip(),
                         self.url("layer-export", slug, query=f"format={fmt}"))
                for fmt, (content_type, _ext) in FORMATS.items()]

    @staticmethod
    def licence(licence: str) -> str | None:
        return licence_url(licence)
