"""The OpenAPI 3.0 paths of OGC API – Tiles and of the collections' styles, which
``api_definition`` adds to /ogc/api (its 400, 404 and 429 answers are the document's
components)."""

from __future__ import annotations

from typing import Any

from layers.ogc.styles import FORMATS
from layers.ogc.tilesets import TILE_MATRIX_SETS
from layers.tiles import MVT

ERRORS = {"400": {"$ref": "#/components/responses/InvalidParameter"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "429": {"$ref": "#/components/responses/TooManyRequests"}}
OBJECT = {"type": "object"}
BINARY = {"type": "string", "format": "binary"}


def _get(operation_id: str, summary: str, parameters: list[dict[str, Any]],
         content: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "summary": summary, "parameters": parameters,
                    "responses": {"200": {"description": summary, "content": {
                        media: {"schema": schema} for media, schema in content.items()}},
                        **ERRORS}}}


def _path(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def paths(collection_id: dict[str, Any], f_json: dict[str, Any],
          lang: dict[str, Any]) -> dict[str, Any]:
    """Path -> path item, for the tiles, the tile matrix sets, the styles and the sprite."""
    tms = _path("tileMatrixSetId", {"type": "string", "enum": list(TILE_MATRIX_SETS)})
    json_doc = {"application/json": OBJECT}
    tile_parameters = [
        collection_id, tms,
        _path("tileMatrix", {"type": "string", "pattern": "^[0-9]+$"}),
        _path("tileRow", {"type": "string", "pattern": "^[0-9]+$"}),
        _path("tileCol", {"type": "string", "pattern": "^[0-9]+$"}),
        lang,
        {"name": "v", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "The data's version (TileJSON's tile URLs carry it); ignored."},
    ]
    f_style = {"name": "f", "in": "query", "required": False,
               "schema": {"type": "string", "enum": list(FORMATS), "default": "mapbox"},
               "description": "mapbox (a MapLibre style), sld10 or qml (a QGIS style)."}
    return {
        "/tileMatrixSets": _get("getTileMatrixSetsList", "The tile matrix sets",
                                [f_json], json_doc),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            "getTileMatrixSet", "A tile matrix set (OGC TMS 2.0 JSON)", [tms, f_json],
            json_doc),
        "/collections/{collectionId}/tiles": _get(
            "getCollectionVectorTileSetsList", "A collection's tilesets",
            [collection_id, f_json, lang], json_doc),
        "/collections/{collectionId}/tiles/{tileMatrixSetId}": _get(
            "getCollectionVectorTileSet", "A tileset's metadata",
            [collection_id, tms, f_json, lang], json_doc),
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}":
            _get("getCollectionVectorTile", "A Mapbox vector tile", tile_parameters,
                 {MVT: BINARY}),
        "/collections/{collectionId}/styles": _get(
            "getCollectionStyles", "A collection's styles", [collection_id, f_json, lang],
            json_doc),
        "/collections/{collectionId}/styles/{styleId}": _get(
            "getCollectionStyle", "A stylesheet",
            [collection_id, _path("styleId", {"type": "string"}), f_style, lang],
            {media: (OBJECT if f == "mapbox" else {"type": "string"})
             for f, (media, _title, _ext) in FORMATS.items()}),
        "/resources/{resourceId}": _get(
            "getResource", "The MapLibre style's sprite (sprite.png, sprite@2x.json …)",
            [_path("resourceId", {"type": "string"})],
            {"application/json": OBJECT, "image/png": BINARY}),
    }
