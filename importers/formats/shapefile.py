"""ESRI shapefiles, loose or zipped (also inside a sub-folder of the zip)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio

from geo.crs import CrsError, identify
from importers.encoding import EncodingError, choose_dbf_encoding
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, read_with_gdal

MEMBERS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj"})


def sibling(shp: Path, suffix: str) -> Path | None:
    """The member of ``shp``'s set with ``suffix``, whatever the case of its name."""
    for candidate in shp.parent.iterdir():
        if candidate.stem == shp.stem and candidate.suffix.lower() == suffix:
            return candidate
    return None


def find_shapefiles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".shp" and p.is_file())


class Shapefile:
    name = "ESRI Shapefile"
    suffixes = frozenset({".shp", ".zip"})
    members = MEMBERS

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        """``path`` is a .shp in a working folder the pipeline owns (GDAL may write there)."""
        label = label or path.name
        notes: list[str] = []
        if sibling(path, ".shx") is None:
            # GDAL can rebuild the index from the .shp; it writes it beside the
            # file, which is our working copy.
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
            notes.append("the .shx index was missing and has been rebuilt from the .shp")
        dbf, cpg, prj = (sibling(path, s) for s in (".dbf", ".cpg", ".prj"))
        encoding = None
        if dbf is not None:
            try:
                encoding = choose_dbf_encoding(dbf=dbf, cpg=cpg, explicit=options.encoding,
                                               prefer_language=options.prefer_language)
            except EncodingError as exc:
                raise Refused(f"{label}: {exc}") from None
        else:
            notes.append("there is no .dbf: the features have no attributes")
        try:
            meta, geoms, columns = read_with_gdal(
                path, label, encoding=encoding.encoding if encoding else None)
        finally:
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})
        if dbf is None:
            columns = {}
        geom_type = (meta.get("geometry_type") or "").upper()
        if "TIN" in geom_type or "POLYHEDRAL" in geom_type or any(
                g is not None and g.geom_type == "GeometryCollection" for g in geoms[:100]):
            raise Refused(
                f"{label}: MultiPatch (3-D surface) shapes are not supported; export the "
                "layer as polygons, lines or points from your GIS and import that")
        crs, crs_reason = None, ""
        if options.srs is not None:
            crs, crs_reason = options.srs, "given with --srs"
            if prj is not None:
                crs_reason += " (overriding the .prj)"
        elif prj is not None:
            text = prj.read_bytes()[:20_000].decode("utf-8", errors="replace")
            try:
                crs = identify(text)
            except CrsError as exc:
                raise Refused(f"{label}: the .prj file cannot be read: {exc}; "
                              "give the CRS with --srs EPSG:n") from None
            crs_reason = "from the .prj file"
        return [SourceData(label=label, layer=path.stem, geometries=np.asarray(geoms, dtype=object),
                           columns=columns, crs=crs, crs_reason=crs_reason, encoding=encoding,
                           notes=notes)]
