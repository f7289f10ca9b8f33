"""Coordinate reference systems: the platform's constants and the CRS toolkit.

The only place with bare EPSG numbers. Partners' ``.prj`` text is untrusted:
it is parsed by pyproj (PROJ), never handed to the system GDAL.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

WGS84 = 4326
"""Storage CRS of every geometry (lon/lat degrees)."""

WEB_MERCATOR = 3857
LAEA_EUROPE = 3035
"""Equal-area CRS covering all four partners: areas and analysis buffers."""

GREEK_GRID = 2100
"""GGRS87 / Greek Grid: Greek partner data; needs a datum shift to WGS 84."""
LAMBERT_93 = 2154
"""RGF93 / Lambert-93: French partner data."""
BGS2005_CCS = 7801
"""BGS2005 / CCS2005: Bulgarian partner data."""

# CRSs partners' data come in, tried in this order when a file does not say.
PARTNER_CRS_CANDIDATES = (
    WGS84, BGS2005_CCS, GREEK_GRID, LAMBERT_93, 4258, 32634, 32635, 32631, 27572, 2154,
    LAEA_EUROPE, WEB_MERCATOR,
)


class CrsError(ValueError):
    """Text PROJ cannot read as a CRS; ``detail`` is PROJ's own explanation."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class Identified:
    crs: CRS
    epsg: int | None
    name: str

    @property
    def label(self) -> str:
        return f"EPSG:{self.epsg} ({self.name})" if self.epsg else self.name


def identify(text_or_code: str) -> Identified:
    """Parse WKT (ESRI's included), PROJ strings, URNs or ``EPSG:n``; name the EPSG code."""
    try:
        crs = CRS.from_user_input(text_or_code.strip())
    except CRSError as exc:
        raise CrsError(f"not a coordinate reference system PROJ can read: {exc}",
                       detail=str(exc)) from None
    epsg = crs.to_epsg(min_confidence=70)
    if epsg is not None:
        crs = CRS.from_epsg(epsg)  # the registry's definition, with its datum shift
    return Identified(crs=crs, epsg=epsg, name=crs.name)


@lru_cache(maxsize=64)
def _transformer(src_wkt: str) -> Transformer:
    # always_xy: lon/lat and easting/northing order whatever the CRS's axis order.
    return Transformer.from_crs(CRS.from_wkt(src_wkt), CRS.from_epsg(WGS84), always_xy=True)


def transformer_to_wgs84(crs: CRS) -> Transformer:
    """PROJ's best available transformation to WGS 84, datum shift included."""
    return _transformer(crs.to_wkt())


def to_wgs84(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Shapely geometries from ``crs`` to EPSG:4326, keeping Z unchanged."""
    if crs.to_epsg() == WGS84:
        return geoms
    transformer = transformer_to_wgs84(crs)
    if len(geoms) and (shapely.get_type_id(geoms) == shapely.GeometryType.POINT).all():
        # Points are made anew from their coordinates: a tenth of the time of
        # shapely.transform, which copies each geometry to set its coordinates.
        xyz = shapely.get_coordinates(geoms, include_z=True)
        has_z = shapely.has_z(geoms)
        if len(xyz) == len(geoms) and (has_z.all() or not has_z.any()):  # none empty
            x, y = transformer.transform(xyz[:, 0], xyz[:, 1])
            return shapely.points(x, y, xyz[:, 2]) if has_z.all() else shapely.points(x, y)

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        out = coords.copy()
        out[:, 0], out[:, 1] = x, y
        return out

    return shapely.transform(geoms, project, include_z=True)


SUGGEST_MIN_SHARE = 0.9
"""Share of a file's sample points a CRS must place inside the territory to be suggested."""
SUGGEST_SAMPLE = 2000


def sample_points(geoms: np.ndarray) -> np.ndarray:
    """(x, y) of a point on each of up to SUGGEST_SAMPLE geometries, spread over the file."""
    present = geoms[~shapely.is_missing(geoms)]
    present = present[~shapely.is_empty(present)]
    if len(present) > SUGGEST_SAMPLE:
        present = present[np.linspace(0, len(present) - 1, SUGGEST_SAMPLE).astype(int)]
    if not len(present):
        return np.empty((0, 2))
    # A point on each feature, not its extent: the extent of a territory's own
    # municipalities is a box whose corners lie outside the territory.
    return shapely.get_coordinates(shapely.point_on_surface(shapely.force_2d(present)))


def suggest(points: np.ndarray, territory: shapely.Geometry,
            min_share: float = SUGGEST_MIN_SHARE) -> list[Identified]:
    """CRSs that would put most of ``points`` ((x, y) in the unknown CRS, see
    ``sample_points``) inside ``territory`` (shapely, lon/lat).

    Used when a file does not say its CRS: the partner's territory tells which
    of the usual CRSs make sense. A share rather than all of them, as a file
    may hold a feature or two beyond the border.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    points = points[np.isfinite(points).all(axis=1)]
    if not len(points):
        return []
    area = territory.buffer(0.2)
    shapely.prepare(area)
    found = []
    for code in PARTNER_CRS_CANDIDATES:
        crs = CRS.from_epsg(code)
        if _inside(points, crs, area).mean() >= min_share:
            found.append(Identified(crs=crs, epsg=code, name=crs.name))
    return list({i.epsg: i for i in found}.values())


def outside_count(points: np.ndarray, crs: CRS, territory: shapely.Geometry) -> int:
    """How many of ``points`` (x, y in ``crs``) ``crs`` places beyond ``territory``
    (lon/lat) and the same ~20 km margin ``suggest`` allows."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    points = points[np.isfinite(points).all(axis=1)]
    area = territory.buffer(0.2)
    shapely.prepare(area)
    return int((~_inside(points, crs, area)).sum())


def _inside(points: np.ndarray, crs: CRS, area: shapely.Geometry) -> np.ndarray:
    inside = np.zeros(len(points), dtype=bool)
    try:
        x, y = transformer_to_wgs84(crs).transform(points[:, 0], points[:, 1])
    except Exception:  # noqa: BLE001 - PROJ raises various errors out of its domain
        return inside
    ok = np.isfinite(x) & np.isfinite(y)
    inside[ok] = shapely.contains_xy(area, x[ok], y[ok])
    return inside
