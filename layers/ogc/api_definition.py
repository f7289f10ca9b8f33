"""The API definition at /ogc/api: the OpenAPI 3.0 document that clients read to know
the paths and parameters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from geo.http import read_only
from layers.ogc.params import CRS_URIS, DEFAULT_LIMIT, MAX_LIMIT, PROPERTY_FILTERS, check_params
from layers.ogc.responses import absolute_url, json_response


@read_only
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 description of this OGC API."""
    check_params(request.GET)
    param = {
        "bbox": {"name": "bbox", "in": "query", "schema": {
                 "type": "array", "minItems": 4, "maxItems": 6,
                 "items": {"type": "number"}}, "style": "form",
                 "explode": False},
        "limit": {"name": "limit", "in": "query", "schema": {
            "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "offset": {"name": "offset", "in": "query", "schema": {"type": "integer",
                                                                "minimum": 0}},
        "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
        "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "enum": CRS_URIS}},
        "bbox-crs": {"name": "bbox-crs", "in": "query",
                     "schema": {"type": "string", "enum": CRS_URIS}},
        "collectionId": {"name": "collectionId", "in": "path", "required": True,
                         "schema": {"type": "string"}},
        "featureId": {"name": "featureId", "in": "path", "required": True,
                      "schema": {"type": "string"}},
    }
    ok = {"200": {"description": "OK"}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Regional Tourism Atlas – OGC API Features", "version": "1.0"},
        "servers": [{"url": absolute_url(request, "ogc-landing").rstrip("/")}],
        "paths": {
            "/": {"get": {"operationId": "getLandingPage", "responses": ok}},
            "/conformance": {"get": {"operationId": "getConformance", "responses": ok}},
            "/collections": {"get": {"operationId": "getCollections", "responses": ok}},
            "/collections/{collectionId}": {"get": {
                "operationId": "describeCollection", "parameters": [param["collectionId"]],
                "responses": ok}},
            "/collections/{collectionId}/items": {"get": {
                "operationId": "getFeatures",
                "parameters": [param[k] for k in ("collectionId", "bbox", "bbox-crs", "limit",
                                                  "offset", "datetime", "crs")]
                + [{"name": n, "in": "query", "schema": {"type": "string"}}
                   for n in PROPERTY_FILTERS],
                "responses": ok}},
            "/collections/{collectionId}/items/{featureId}": {"get": {
                "operationId": "getFeature",
                "parameters": [param["collectionId"], param["featureId"], param["crs"]],
                "responses": ok}},
        },
    }
    return json_response(doc, request, content_type="application/vnd.oai.openapi+json;version=3.0")
