"""How a tile matrix set cuts the world into tiles, as the tiles' SQL needs it: the tile's
box in the grid's CRS (where ST_AsMVTGeom draws), the lon/lat box (and margin) its
features must overlap, and half a pixel in the grid's units (how far lines are thinned).

``WEB_MERCATOR`` is the z/x/y scheme of /tiles/ (the OGC's WebMercatorQuad);
``CRS84`` is the OGC's WorldCRS84Quad (lon/lat tiles, two at level 0), which
GDAL's OGCAPI driver reads best (it takes a collection's lon/lat box for the tile
matrix set's own coordinates); ``LAEA_EUROPE_QUAD`` the OGC's
EuropeanETRS89_LAEAQuad (EPSG:3035, the partners' common equal-area CRS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from pyproj import Transformer

from geo.crs import LAEA_EUROPE, WGS84
from geo.crs import WEB_MERCATOR as WEB_MERCATOR_SRID

EXTENT, BUFFER = 4096, 64  # a tile's MVT extent, and the margin drawn round it
WORLD_M = 40075016.686  # the width of the web-mercator world, in metres


@dataclass(frozen=True)
class TileGrid:
    name: str
    srid: int  # the CRS the tile is drawn in

    def size(self, z: int) -> tuple[int, int]:
        """Columns and rows of zoom ``z``."""
        raise NotImplementedError

    def envelope(self, z: int, x: int, y: int) -> str:
        """SQL of the tile's box, in ``srid``."""
        raise NotImplementedError

    def bounds_lonlat(self, z: int, x: int, y: int) -> tuple[float, float, float, float]:
        """The lon/lat box of the tile and its margin (``BUFFER`` of ``EXTENT``)."""
        raise NotImplementedError

    def half_pixel(self, z: int) -> float:
        """Half a pixel of a 256-pixel tile at zoom ``z``, in ``srid``'s units."""
        raise NotImplementedError

    def width_degrees(self, z: int) -> float:
        """A tile's width in degrees of longitude."""
        raise NotImplementedError

    def web_zoom(self, z: int) -> int:
        """The web-mercator zoom with about the same pixels (the tiles' thresholds)."""
        return z

    def tile_of(self, lon: float, lat: float, z: int) -> tuple[int, int]:
        """(column, row) of the tile at zoom ``z`` holding lon/lat (degrees)."""
        raise NotImplementedError


@dataclass(frozen=True)
class WebMercatorGrid(TileGrid):
    def size(self, z: int) -> tuple[int, int]:
        return 2**z, 2**z

    def envelope(self, z: int, x: int, y: int) -> str:
        return f"ST_TileEnvelope({z}, {x}, {y})"

    def bounds_lonlat(self, z: int, x: int, y: int) -> tuple[float, float, float, float]:
        """The margin stops at the world's west and east edges: transformed past ±180°,
        the first and last columns' boxes wrapped round the antimeridian and missed every
        feature (Interfaces D2: 1/1/0 was empty). Web Mercator maps x to longitude and y
        to latitude each alone, so the box's corners give the whole box."""
        size = WORLD_M / 2**z
        margin = size * BUFFER / EXTENT
        half = WORLD_M / 2
        west = max(-half, -half + x * size - margin)
        east = min(half, -half + (x + 1) * size + margin)
        north = half - y * size + margin
        south = half - (y + 1) * size - margin

        def lon(m: float) -> float:
            return m / half * 180

        def lat(m: float) -> float:
            return math.degrees(math.atan(math.sinh(m / half * math.pi)))

        return lon(west), lat(south), lon(east), lat(north)

    def half_pixel(self, z: int) -> float:
        return WORLD_M / 2**z / 512

    def width_degrees(self, z: int) -> float:
        return 360 / 2**z

    def tile_of(self, lon: float, lat: float, z: int) -> tuple[int, int]:
        n = 2**z
        lat = max(-85.0511, min(85.0511, lat))
        col = int((lon + 180) / 360 * n)
        row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return min(max(col, 0), n - 1), min(max(row, 0), n - 1)


@dataclass(frozen=True)
class Crs84Grid(TileGrid):
    def size(self, z: int) -> tuple[int, int]:
        return 2 ** (z + 1), 2**z

    def _box(self, z: int, x: int, y: int) -> tuple[float, float, float, float]:
        size = 180 / 2**z
        return -180 + x * size, 90 - (y + 1) * size, -180 + (x + 1) * size, 90 - y * size

    def envelope(self, z: int, x: int, y: int) -> str:
        west, south, east, north = self._box(z, x, y)
        return f"ST_MakeEnvelope({west!r}, {south!r}, {east!r}, {north!r}, {WGS84})"

    def bounds_lonlat(self, z: int, x: int, y: int) -> tuple[float, float, float, float]:
        west, south, east, north = self._box(z, x, y)
        margin = (180 / 2**z) * BUFFER / EXTENT
        return (max(-180, west - margin), max(-90, south - margin),
                min(180, east + margin), min(90, north + margin))

    def half_pixel(self, z: int) -> float:
        return 180 / 2**z / 512

    def width_degrees(self, z: int) -> float:
        return 180 / 2**z

    def tile_of(self, lon: float, lat: float, z: int) -> tuple[int, int]:
        size = 180 / 2**z
        columns, rows = self.size(z)
        return (min(max(int((lon + 180) / size), 0), columns - 1),
                min(max(int((90 - lat) / size), 0), rows - 1))

    def web_zoom(self, z: int) -> int:
        return z + 1


@dataclass(frozen=True)
class LaeaEuropeGrid(TileGrid):
    """The OGC's EuropeanETRS89_LAEAQuad: EPSG:3035 from 2,000,000 to 6,500,000 m east and
    1,000,000 to 5,500,000 m north, one tile at level 0."""

    west: float = 2_000_000.0
    north: float = 5_500_000.0
    span: float = 4_500_000.0

    def size(self, z: int) -> tuple[int, int]:
        return 2**z, 2**z

    def _box(self, z: int, x: int, y: int, margin: float = 0.0
             ) -> tuple[float, float, float, float]:
        size = self.span / 2**z
        return (self.west + x * size - margin, self.north - (y + 1) * size - margin,
                self.west + (x + 1) * size + margin, self.north - y * size + margin)

    def envelope(self, z: int, x: int, y: int) -> str:
        west, south, east, north = self._box(z, x, y)
        return f"ST_MakeEnvelope({west!r}, {south!r}, {east!r}, {north!r}, {self.srid})"

    def bounds_lonlat(self, z: int, x: int, y: int) -> tuple[float, float, float, float]:
        """The lon/lat box holding the tile and its margin: its edges followed (a straight
        edge in metres is curved in degrees)."""
        margin = self.span / 2**z * BUFFER / EXTENT
        west, south, east, north = _to_lonlat().transform_bounds(
            *self._box(z, x, y, margin), densify_pts=21)
        return max(-180, west), max(-90, south), min(180, east), min(90, north)

    def half_pixel(self, z: int) -> float:
        return self.span / 2**z / 512

    def width_degrees(self, z: int) -> float:
        return self.span / 2**z / 80_000  # metres in a degree of longitude near 44° N

    def web_zoom(self, z: int) -> int:
        # Level 0's 17.6 km pixels are web mercator's near zoom 3 at the partners' latitudes.
        return z + 3

    def tile_of(self, lon: float, lat: float, z: int) -> tuple[int, int]:
        x, y = _to_laea().transform(lon, lat)
        size = self.span / 2**z
        n = 2**z
        return (min(max(int((x - self.west) / size), 0), n - 1),
                min(max(int((self.north - y) / size), 0), n - 1))


@lru_cache(maxsize=1)
def _to_lonlat() -> Transformer:
    return Transformer.from_crs(LAEA_EUROPE, WGS84, always_xy=True)


@lru_cache(maxsize=1)
def _to_laea() -> Transformer:
    return Transformer.from_crs(WGS84, LAEA_EUROPE, always_xy=True)


WEB_MERCATOR = WebMercatorGrid("WebMercatorQuad", WEB_MERCATOR_SRID)
CRS84 = Crs84Grid("WorldCRS84Quad", WGS84)
LAEA_EUROPE_QUAD = LaeaEuropeGrid("EuropeanETRS89_LAEAQuad", LAEA_EUROPE)
