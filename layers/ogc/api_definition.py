"""The API definition at /ogc/api: the OpenAPI 3.0 document that clients read to know
the paths, parameters and answers.

It says what the server does (Interfaces D10): each answer's media type and schema, and
the exceptions (400 for a bad or unknown parameter, 404 for a missing collection or
feature, 429 over a rate limit) with the OGC exception's schema. The schemas are those
of OGC API – Features Part 1's own OpenAPI fragments, as far as the answers need them;
``tests/layers/test_api_fuzz.py`` has schemathesis compare them with real answers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from geo.geojson import GEOJSON
from geo.http import read_only
from geo.i18n import LANGUAGE_CODES
from layers.ogc import records, tiles_openapi
from layers.ogc.filter import FILTER_LANGS
from layers.ogc.params import (
    CRS_URIS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    PROPERTY_FILTERS,
    check_params,
)
from layers.ogc.responses import absolute_url, json_response

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA_JSON = "application/schema+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


SCHEMAS: dict[str, dict[str, Any]] = {
    "exception": {"type": "object", "required": ["code"], "properties": {
        "code": {"type": "string"}, "description": {"type": "string"}}},
    "link": {"type": "object", "required": ["href"], "properties": {
        "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
        "title": {"type": "string"}}},
    "landingPage": {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"},
        "links": _array(_ref("link"))}},
    "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {
        "conformsTo": _array({"type": "string"})}},
    "extent": {"type": "object", "properties": {
        "spatial": {"type": "object", "properties": {
            "bbox": _array({"type": "array", "minItems": 4, "maxItems": 6,
                            "items": {"type": "number"}}),
            "crs": {"type": "string"}}},
        "temporal": {"type": "object", "properties": {
            "interval": _array({"type": "array", "minItems": 2, "maxItems": 2,
                                "items": {"type": "string", "format": "date-time",
                                          "nullable": True}}),
            "trs": {"type": "string"}}}}},
    "collection": {"type": "object", "required": ["id", "links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"},
        "description": {"type": "string"}, "links": _array(_ref("link")),
        "extent": _ref("extent"), "itemType": {"type": "string"},
        "crs": _array({"type": "string"}), "storageCrs": {"type": "string"},
        "numberOfFeatures": {"type": "integer", "minimum": 0}}},
    "collections": {"type": "object", "required": ["links", "collections"], "properties": {
        "links": _array(_ref("link")), "crs": _array({"type": "string"}),
        "collections": _array(_ref("collection"))}},
    "geometryGeoJSON": {"type": "object", "required": ["type"], "nullable": True,
                        "properties": {"type": {"type": "string", "enum": [
                            "Point", "MultiPoint", "LineString", "MultiLineString",
                            "Polygon", "MultiPolygon", "GeometryCollection"]}}},
    "featureGeoJSON": {"type": "object", "required": ["type", "geometry", "properties"],
                       "properties": {
                           "type": {"type": "string", "enum": ["Feature"]},
                           "id": {"type": "string"},
                           "geometry": _ref("geometryGeoJSON"),
                           "properties": {"type": "object", "nullable": True},
                           "links": _array(_ref("link"))}},
    "featureCollectionGeoJSON": {
        "type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": _array(_ref("featureGeoJSON")), "links": _array(_ref("link")),
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0}}},
    "jsonSchema": {"type": "object", "required": ["type", "properties"], "properties": {
        "type": {"type": "string"}, "properties": {"type": "object"}}},
}


# A page of the site (``f=html``, or a browser's Accept): layers/ogc/html.py.
HTML_PAGE = {"text/html": {"schema": {"type": "string"}}}


def _ok(media_type: str, schema: str, description: str, *, html: bool = True
        ) -> dict[str, Any]:
    return {"description": description, "content": {
        media_type: {"schema": _ref(schema)}, **(HTML_PAGE if html else {})}}


def _exception(description: str) -> dict[str, Any]:
    # In HTML (a browser), the error is the site's page, with the same status.
    return {"description": description,
            "content": {"application/json": {"schema": _ref("exception")}, **HTML_PAGE}}


ERRORS = {
    "400": {"$ref": "#/components/responses/InvalidParameter"},
    "429": {"$ref": "#/components/responses/TooManyRequests"},
}
NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}


def _operation(operation_id: str, summary: str, parameters: list[dict[str, Any]],
               ok: dict[str, Any], *, not_found: bool = False) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "summary": summary,
                    "parameters": parameters,
                    "responses": {"200": ok, **ERRORS, **(NOT_FOUND if not_found else {})}}}


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **extra}


def document(request: HttpRequest) -> dict[str, Any]:
    """The OpenAPI 3.0 document, its server the request's own."""
    f_only_json = _query("f", {"type": "string", "enum": ["json"]}, "The format: JSON.")
    f_json = _query("f", {"type": "string", "enum": ["json", "html"]},
                    "The format: JSON (the default), or html for a page to read in a "
                    "browser (as an Accept header that puts text/html first asks).")
    f_items = _query("f", {"type": "string", "enum": ["json", "geojson", "html"]},
                     "The format: GeoJSON (json or geojson, the default), or html for a "
                     "page with a map (as an Accept header that puts text/html first asks).")
    lang = _query("lang", {"type": "string", "enum": list(LANGUAGE_CODES)},
                  "Language of titles and names (else Accept-Language, else English).")
    crs = _query("crs", {"type": "string", "enum": CRS_URIS},
                 "The CRS of the geometries (OGC API – Features Part 2).")
    collection_id = {"name": "collectionId", "in": "path", "required": True,
                     "schema": {"type": "string"}}
    items_parameters = [
        collection_id,
        _query("bbox", {"type": "array", "minItems": 4, "maxItems": 6,
                        "items": {"type": "number"}},
               "minx,miny,maxx,maxy (in bbox-crs; in CRS84 west > east crosses the "
               "antimeridian), or six numbers with the heights third and sixth.",
               style="form", explode=False),
        _query("bbox-crs", {"type": "string", "enum": CRS_URIS}, "The CRS of bbox."),
        _query("limit", {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
               f"Features per page; above {MAX_LIMIT}, {MAX_LIMIT}."),
        _query("offset", {"type": "integer", "minimum": 0, "default": 0},
               "Features to skip (the next links carry it)."),
        _query("datetime", {"type": "string"},
               "An instant or an interval (start/end, .. for open) of updated_at."),
        _query("sortby", {"type": "string"},
               "Properties to sort by, comma-separated, each - for descending (name, "
               "updated_at, length_m …); missing values last."),
        _query("properties", {"type": "string"},
               "The properties each feature keeps, comma-separated (the collection's "
               "schema lists them)."),
        _query("skipGeometry", {"type": "boolean"}, "true: features without geometries."),
        _query("filter", {"type": "string"},
               "A CQL2 filter (OGC API – Features Part 3) over the collection's queryables. "
               "Each queryable (…/queryables) may also be given as a parameter of its own, "
               "an equality joined to the filter with AND: name_bg=Тунджа&length_m=1200."),
        _query("filter-lang", {"type": "string", "enum": list(FILTER_LANGS)},
               "The filter's language (default cql2-text; cql-text, the drafts' name "
               "GDAL sends, is read as cql2-text)."),
        _query("filter-crs", {"type": "string", "enum": CRS_URIS},
               "The CRS of the filter's geometry literals (default CRS84); an EPSG URI "
               "means the EPSG axis order (lat/lon for 4326)."),
        crs, lang, f_items,
        *(_query(name, {"type": "string"}, f"{name} slug(s) or value(s), comma-separated")
          for name in PROPERTY_FILTERS),
    ]
    paths = {
        "/": _operation("getLandingPage", "Landing page", [f_json, lang],
                        _ok("application/json", "landingPage", "The landing page")),
        "/api": _operation("getAPI", "This document", [f_only_json, lang],
                           {"description": "The OpenAPI 3.0 definition",
                            "content": {OPENAPI: {"schema": {"type": "object"}}}}),
        "/conformance": _operation("getConformance", "Conformance classes", [f_json, lang],
                                   _ok("application/json", "confClasses",
                                       "The conformance classes")),
        "/collections": _operation("getCollections", "The collections", [f_json, lang],
                                   _ok("application/json", "collections",
                                       "The collections")),
        "/collections/{collectionId}": _operation(
            "describeCollection", "One collection", [collection_id, f_json, lang],
            _ok("application/json", "collection", "The collection"), not_found=True),
        "/collections/{collectionId}/schema": _operation(
            "getSchema", "The JSON Schema of a collection's features",
            [collection_id, f_only_json, lang],
            _ok(SCHEMA_JSON, "jsonSchema", "The features' properties", html=False),
            not_found=True),
        "/collections/{collectionId}/queryables": _operation(
            "getQueryables", "What filter may name", [collection_id, f_only_json, lang],
            _ok(SCHEMA_JSON, "jsonSchema", "The queryables, as a JSON Schema", html=False),
            not_found=True),
        "/collections/{collectionId}/items": _operation(
            "getFeatures", "A page of a collection's features", items_parameters,
            _ok(GEOJSON, "featureCollectionGeoJSON", "A page of features"),
            not_found=True),
        "/collections/{collectionId}/items/{featureId}": _operation(
            "getFeature", "One feature",
            [collection_id, {"name": "featureId", "in": "path", "required": True,
                             "schema": {"type": "string"}}, crs, lang, f_items],
            _ok(GEOJSON, "featureGeoJSON", "The feature"), not_found=True),
        **records.openapi_paths(lang),
        **tiles_openapi.paths(collection_id, f_json, lang),
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Regional Tourism Atlas – OGC API Features", "version": "1.0",
                 "description": "Tourist attractions, trails and pilot routes of Stara "
                                "Zagora, Sliven, Larissa and the Drôme."},
        "servers": [{"url": absolute_url(request, "ogc-landing").rstrip("/")}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                "InvalidParameter": _exception("A parameter is malformed, out of range or "
                                               "not one this operation takes"),
                "NotFound": _exception("No such collection or feature"),
                "TooManyRequests": _exception("Over the rate limit: try again after "
                                              "Retry-After seconds"),
            },
        },
    }


@read_only
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 description of this OGC API."""
    check_params(request.GET)
    return json_response(document(request), request, content_type=OPENAPI)
