"""Writers of small partner-like files for importer tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.enums import WktVersion


def project(lonlats: list[tuple[float, float]], epsg: int) -> list[tuple[float, float]]:
    t = Transformer.from_crs(4326, epsg, always_xy=True)
    return [t.transform(lon, lat) for lon, lat in lonlats]


def write_shapefile(
    folder: Path, name: str, geoms: list, columns: dict[str, list], *, epsg: int | None,
    encoding: str = "UTF-8", keep_cpg: bool = True, esri_prj: bool = True,
) -> Path:
    """A shapefile in ``epsg`` (no .prj when None), text in ``encoding``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    fields = {k: np.array(v) if all(isinstance(x, (int, float)) for x in v)
              else np.array(v, dtype=object) for k, v in columns.items()}
    wkb = shapely.to_wkb(np.array(geoms, dtype=object))
    first = next((g for g in geoms if g is not None), None)
    geometry_type = (first.geom_type + (" Z" if first.has_z else "")) if first else "Point"
    pyogrio.raw.write(path, wkb, list(fields.values()), fields=list(fields),
                      geometry_type=geometry_type, driver="ESRI Shapefile", encoding=encoding,
                      crs=f"EPSG:{epsg or 4326}")
    for suffix in (".prj", ".cpg"):
        member = path.with_suffix(suffix)
        if member.exists():
            member.unlink()
    if epsg is not None:
        crs = CRS.from_epsg(epsg)
        text = crs.to_wkt(WktVersion.WKT1_ESRI) if esri_prj else crs.to_wkt()
        path.with_suffix(".prj").write_text(text)
    if keep_cpg:
        path.with_suffix(".cpg").write_text(encoding)
    return path


def set_ldid(shp: Path, ldid: int) -> None:
    """Set the DBF language-driver byte (byte 29), as desktop GIS do."""
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = ldid
    dbf.write_bytes(bytes(data))


def gpx(body: str, version: str = "1.1") -> str:
    ns = ("http://www.topografix.com/GPX/1/1" if version == "1.1"
          else "http://www.topografix.com/GPX/1/0")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gpx version="{version}" creator="test" xmlns="{ns}">{body}</gpx>\n')
