"""GeoJSON (RFC 7946) as the platform writes it: one feature builder, one collection
builder, one response.

Bulk features are built by PostgreSQL as JSON text (layers.selectors); a page of them
arrives here as the bytes of a JSON array and is wrapped without being parsed again.
Small answers (a route and its stops, coverage areas) are built as Python values.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

GEOJSON = "application/geo+json"


def feature(*, id: str | int | None, geometry: dict | None,
            properties: dict[str, Any]) -> dict[str, Any]:
    """One Feature; ``geometry`` in WGS 84 lon/lat (or None)."""
    out: dict[str, Any] = {"type": "Feature"}
    if id is not None:
        out["id"] = id
    out["geometry"] = geometry
    out["properties"] = properties
    return out


def collection_value(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection as a Python value (for a library that takes one, as folium)."""
    return {"type": "FeatureCollection", **members, "features": features}


def collection(features: list[dict[str, Any]] | bytes, **members: Any) -> bytes:
    """A FeatureCollection as UTF-8 JSON, with foreign members (``numberMatched``,
    ``links`` …) before the features. ``features`` is a list of ``feature()`` values, or
    the bytes of a JSON array built elsewhere (PostgreSQL), which is not parsed again."""
    head = json.dumps({"type": "FeatureCollection", **members}, ensure_ascii=False,
                      default=str)
    if not isinstance(features, bytes):
        features = json.dumps(features, ensure_ascii=False, default=str).encode()
    return b"".join((head[:-1].encode(), b', "features": ', features, b"}"))


def response(body: bytes | str, *, lang: str | None = None,
             content_type: str = GEOJSON) -> HttpResponse:
    """A GeoJSON answer; with ``lang``, its names are in that language (and it varies with
    Accept-Language, which chooses it when ``?lang=`` does not)."""
    out = HttpResponse(body, content_type=content_type)
    if lang:
        out["Content-Language"] = lang
        out["Vary"] = "Accept-Language"
    return out


def page_link(request: HttpRequest, offset: int, limit: int | None = None) -> str:
    """The absolute URL of the same request at another ``offset`` (next / previous page),
    with the ``limit`` the page was served with (a capped one: the next page is as
    long as this one)."""
    query = request.GET.copy()
    query["offset"] = str(offset)
    if limit is not None and "limit" in query:
        query["limit"] = str(limit)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())
