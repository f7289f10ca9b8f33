"""OGC API – Tiles 1.0 for every collection, in three of the OGC's tile matrix sets:
WebMercatorQuad (the web maps' z/x/y), WorldCRS84Quad (lon/lat tiles) and
EuropeanETRS89_LAEAQuad (EPSG:3035, the partners' common equal-area CRS).

- ``/ogc/tileMatrixSets`` and ``/ogc/tileMatrixSets/{tms}``: the tile matrix sets, as
  OGC Two Dimensional Tile Matrix Set 2.0 JSON;
- ``/ogc/collections/{id}/tiles``: the collection's tilesets (vector, one per set);
- ``/ogc/collections/{id}/tiles/{tms}``: a tileset's metadata: the zoom levels served,
  the rows and columns that hold data at each (``tileMatrixSetLimits``), the layers and
  their fields, and the link to the tiles;
- ``/ogc/collections/{id}/tiles/{tms}/{z}/{row}/{col}``: a Mapbox vector tile, made by
  /tiles/'s code (layers/tiles.py: the same caps, ETag and languages); in
  WebMercatorQuad, the very tile ``/tiles/{id}/{z}/{col}/{row}.mvt`` serves.

A tile matrix, row or column outside the set is a 400 naming it; an unknown tile matrix
set, or a zoom the set has but the tiles do not go to, a 404 — in the OGC exception's
shape, as everything under /ogc/.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from geo.errors import BadParameter
from geo.http import read_only
from geo.params import parse_lang
from layers import registry, tile_grids, tiles
from layers.ogc.catalogue import Collection, find_collection
from layers.ogc.params import CRS84, check_params
from layers.ogc.responses import absolute_url, json_response
from layers.selectors import extent
from layers.tile_grids import TileGrid

WEB_MERCATOR_QUAD = "WebMercatorQuad"
WORLD_CRS84_QUAD = "WorldCRS84Quad"
LAEA_QUAD = "EuropeanETRS89_LAEAQuad"
TILE_SIZE = 256
HALF_WORLD_M = 20037508.3427892  # EPSG:3857's half width, metres
STANDARD_PIXEL_M = 0.00028  # the OGC's 0.28 mm pixel: scale denominator = cell size / it
METRES_PER_DEGREE = 6378137 * math.pi / 180  # at the equator, as the OGC's sets count it
DEFINED_ZOOMS = 25  # the OGC's sets define tile matrices 0 to 24

REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
REL_GEODATA = "http://www.opengis.net/def/rel/ogc/1.0/geodata"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
]


def _tms1_set(identifier: str, crs: str) -> dict[str, str]:
    """The set's id and CRS as TileMatrixSet 1.0 and the 2.0 drafts named them, beside
    2.0's ``id`` and ``crs``: GDAL up to 3.6 (QGIS 3.28's) reads only these."""
    return {"identifier": identifier, "supportedCRS": crs}


def _tms1_matrix(identifier: str, origin: list[float]) -> dict[str, Any]:
    return {"identifier": identifier, "topLeftCorner": origin}


def _matrices(grid: TileGrid, cell0: float, origin: list[float],
              metres_per_unit: float, zooms: int = DEFINED_ZOOMS) -> list[dict[str, Any]]:
    matrices = []
    for z in range(zooms):
        cell = cell0 / 2**z
        width, height = grid.size(z)
        matrices.append({
            "id": str(z), "scaleDenominator": cell * metres_per_unit / STANDARD_PIXEL_M,
            "cellSize": cell, "cornerOfOrigin": "topLeft", "pointOfOrigin": origin,
            "tileWidth": TILE_SIZE, "tileHeight": TILE_SIZE,
            "matrixWidth": width, "matrixHeight": height,
            **_tms1_matrix(str(z), origin)})
    return matrices


def web_mercator_quad() -> dict[str, Any]:
    """The OGC's WebMercatorQuad (OGC 17-083r4 annex D.1) as TMS 2.0 JSON."""
    crs = "http://www.opengis.net/def/crs/EPSG/0/3857"
    return {
        **_tms1_set(WEB_MERCATOR_QUAD, crs),
        "id": WEB_MERCATOR_QUAD, "title": "Google Maps Compatible for the World",
        "uri": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "crs": crs, "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "boundingBox": {"lowerLeft": [-HALF_WORLD_M, -HALF_WORLD_M],
                        "upperRight": [HALF_WORLD_M, HALF_WORLD_M], "crs": crs},
        "tileMatrices": _matrices(tile_grids.WEB_MERCATOR, 2 * HALF_WORLD_M / TILE_SIZE,
                                  [-HALF_WORLD_M, HALF_WORLD_M], 1.0),
    }


def world_crs84_quad() -> dict[str, Any]:
    """The OGC's WorldCRS84Quad (OGC 17-083r4 annex D.2) as TMS 2.0 JSON."""
    return {
        **_tms1_set(WORLD_CRS84_QUAD, CRS84),
        "id": WORLD_CRS84_QUAD, "title": "CRS84 for the World",
        "uri": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad",
        "crs": CRS84, "orderedAxes": ["Lon", "Lat"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleCRS84Quad",
        "boundingBox": {"lowerLeft": [-180, -90], "upperRight": [180, 90], "crs": CRS84},
        "tileMatrices": _matrices(tile_grids.CRS84, 180 / TILE_SIZE, [-180, 90],
                                  METRES_PER_DEGREE),
    }


def european_laea_quad() -> dict[str, Any]:
    """The OGC's EuropeanETRS89_LAEAQuad (OGC 17-083r4 annex D.3) as TMS 2.0 JSON: EPSG:3035,
    northing first (its axis order), tile matrices 0 to 15."""
    crs = "http://www.opengis.net/def/crs/EPSG/0/3035"
    grid = tile_grids.LAEA_EUROPE_QUAD
    return {
        **_tms1_set(LAEA_QUAD, crs),
        "id": LAEA_QUAD, "title": "Lambert Azimuthal Equal Area ETRS89 for Europe",
        "uri": "http://www.opengis.net/def/tilematrixset/OGC/1.0/EuropeanETRS89_LAEAQuad",
        "crs": crs, "orderedAxes": ["Y", "X"],
        "boundingBox": {"lowerLeft": [grid.north - grid.span, grid.west],
                        "upperRight": [grid.north, grid.west + grid.span], "crs": crs},
        "tileMatrices": _matrices(grid, grid.span / TILE_SIZE, [grid.north, grid.west], 1.0,
                                  zooms=16),
    }


TILE_MATRIX_SETS = {WEB_MERCATOR_QUAD: web_mercator_quad, WORLD_CRS84_QUAD: world_crs84_quad,
                    LAEA_QUAD: european_laea_quad}
GRIDS: dict[str, TileGrid] = {WEB_MERCATOR_QUAD: tile_grids.WEB_MERCATOR,
                              WORLD_CRS84_QUAD: tile_grids.CRS84,
                              LAEA_QUAD: tile_grids.LAEA_EUROPE_QUAD}


def max_zoom(tms: str) -> int:
    """The last tile matrix served: about the same pixels as /tiles/' last zoom, or the
    set's last."""
    return min(tiles.MAX_ZOOM - GRIDS[tms].web_zoom(0),
               len(TILE_MATRIX_SETS[tms]()["tileMatrices"]) - 1)


def _tms(tms: str) -> dict[str, Any]:
    if tms not in TILE_MATRIX_SETS:
        raise Http404(f"no tile matrix set {tms!r}: the tiles are in "
                      + ", ".join(TILE_MATRIX_SETS))
    return TILE_MATRIX_SETS[tms]()


def tile_matrix_limits(tms: str, box: list[float] | None) -> list[dict[str, Any]]:
    """The rows and columns of each zoom the tiles serve that hold the box's data (the
    whole matrix when there is none)."""
    grid = GRIDS[tms]
    out = []
    for z in range(max_zoom(tms) + 1):
        if box:
            # Every corner: in the LAEA grid the meridians converge, and the box's
            # north-west corner is not always its first column.
            cols, rows_ = zip(*(grid.tile_of(lon, lat, z) for lon in (box[0], box[2])
                                for lat in (box[1], box[3])), strict=True)
            min_col, max_col, min_row, max_row = min(cols), max(cols), min(rows_), max(rows_)
        else:
            columns, rows = grid.size(z)
            min_col, min_row, max_col, max_row = 0, 0, columns - 1, rows - 1
        out.append({"tileMatrix": str(z), "minTileRow": min_row, "maxTileRow": max_row,
                    "minTileCol": min_col, "maxTileCol": max_col})
    return out


def collection_links(request: HttpRequest, c: Collection) -> list[dict[str, Any]]:
    return [{"rel": REL_TILESETS_VECTOR, "type": "application/json",
             "href": absolute_url(request, "ogc-tilesets", c.id)}]


def _tile_template(request: HttpRequest, cid: str, tms: str) -> str:
    base = absolute_url(request, "ogc-tile", cid, tms, 0, 0, 0)
    return base[: -len("/0/0/0")] + "/{tileMatrix}/{tileRow}/{tileCol}"


def _tileset_links(request: HttpRequest, c: Collection, tms: str) -> list[dict[str, Any]]:
    return [
        {"rel": "self", "type": "application/json",
         "href": absolute_url(request, "ogc-tileset", c.id, tms)},
        {"rel": REL_TILING_SCHEME, "type": "application/json",
         "href": absolute_url(request, "ogc-tile-matrix-set", tms)},
        {"rel": "item", "type": tiles.MVT, "templated": True,
         "title": "Mapbox vector tiles", "href": _tile_template(request, c.id, tms)},
    ]


def _tileset_summary(request: HttpRequest, c: Collection, tms: str) -> dict[str, Any]:
    definition = _tms(tms)
    return {"title": f"{c.title} ({tms})", "dataType": "vector",
            "crs": definition["crs"], "tileMatrixSetURI": definition["uri"],
            "links": _tileset_links(request, c, tms)}


@read_only
def tile_matrix_sets(request: HttpRequest) -> HttpResponse:
    check_params(request.GET)
    return json_response({"tileMatrixSets": [
        {"id": name, "title": _tms(name)["title"], "uri": _tms(name)["uri"],
         "crs": _tms(name)["crs"],
         "links": [{"rel": "self", "type": "application/json",
                    "href": absolute_url(request, "ogc-tile-matrix-set", name)}]}
        for name in TILE_MATRIX_SETS]}, request)


@read_only
def tile_matrix_set(request: HttpRequest, tms: str) -> HttpResponse:
    check_params(request.GET)
    return json_response(_tms(tms), request)


@read_only
def tilesets(request: HttpRequest, cid: str) -> HttpResponse:
    check_params(request.GET)
    c = find_collection(cid, parse_lang(request.GET))
    return json_response({
        "links": [{"rel": "self", "type": "application/json",
                   "href": absolute_url(request, "ogc-tilesets", c.id)},
                  {"rel": REL_GEODATA, "type": "application/json",
                   "href": absolute_url(request, "ogc-collection", c.id)}],
        "tilesets": [_tileset_summary(request, c, name) for name in TILE_MATRIX_SETS],
    }, request)


GEOMETRY_DIMENSION = {True: 1, False: 0}  # a kind's ``lines`` -> OGC geometryDimension


def _layers(c: Collection, tms: str) -> list[dict[str, Any]]:
    out = []
    for name in c.kinds:
        kind = registry.kind(name)
        fields = tiles.tile_fields(name)
        out.append({
            "id": f"{name}s", "title": kind.title, "dataType": "vector",
            "geometryDimension": GEOMETRY_DIMENSION[kind.lines],
            "minTileMatrix": "0", "maxTileMatrix": str(max_zoom(tms)),
            "propertiesSchema": {"type": "object", "properties": {
                key: {"type": "number" if mvt == "Number" else "string"}
                for key, mvt in fields.items()}},
        })
    return out


@read_only
def tileset(request: HttpRequest, cid: str, tms: str) -> HttpResponse:
    check_params(request.GET)
    c = find_collection(cid, parse_lang(request.GET))
    summary = _tileset_summary(request, c, tms)
    box = extent(kinds=list(c.kinds), layer=c.layer)
    doc = {
        **summary, "description": c.description,
        "tileMatrixSetLimits": tile_matrix_limits(tms, box),
        "layers": _layers(c, tms),
        "links": [*summary["links"],
                  {"rel": REL_GEODATA, "type": "application/json",
                   "href": absolute_url(request, "ogc-collection", c.id)},
                  {"rel": "alternate", "type": "application/vnd.mapbox.tile+json",
                   "title": "TileJSON", "href": absolute_url(request, "tilejson", c.id)}],
    }
    if box:
        doc["boundingBox"] = {"lowerLeft": box[:2], "upperRight": box[2:], "crs": CRS84}
        doc["centerPoint"] = {"coordinates": [round((box[0] + box[2]) / 2, 6),
                                              round((box[1] + box[3]) / 2, 6)],
                              "crs": CRS84}
    return json_response(doc, request)


def _index(request_value: str, name: str, upper: int) -> int:
    """A tile matrix, row or column: an integer from 0 to ``upper`` - 1, else a 400."""
    if not request_value.isdigit() or int(request_value) >= upper:
        raise BadParameter(name, f"{request_value!r} is not an integer from 0 to {upper - 1}")
    return int(request_value)


@read_only
def tile(request: HttpRequest, cid: str, tms: str, z: str, row: str,
         col: str) -> HttpResponse:
    """One tile: checked in the tile matrix set's terms, then made by /tiles/' code
    (column and row are the x and y of its z/x/y)."""
    defined = len(_tms(tms)["tileMatrices"])
    grid = GRIDS[tms]
    zoom = _index(z, "tileMatrix", defined)
    columns, rows = grid.size(zoom)
    y = _index(row, "tileRow", rows)
    x = _index(col, "tileCol", columns)
    if zoom > max_zoom(tms):
        raise Http404(f"no tile at tile matrix {zoom}: the tiles go from 0 to "
                      f"{max_zoom(tms)}")
    return tiles.tile_response(request, cid, zoom, x, y, grid=grid)
