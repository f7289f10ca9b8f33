"""Shapefile (zipped), GeoPackage, FlatGeobuf and CSV of the exported rows, written by GDAL
(pyogrio), in the CRS the rows were read in (``srid``)."""

from __future__ import annotations

import csv
import io
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo.crs import WGS84
from layers.exports.licence import (
    LAYER_KINDS,
    PLATFORM,
    Credit,
    attribution,
    licence_text,
    licences,
)
from layers.exports.rows import Rows, json_value


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, whole characters only."""
    return text.encode()[:limit].decode(errors="ignore")


def short_names(names: list[str]) -> dict[str, str]:
    """Field names of at most 10 bytes (dBASE), unique, the same for the same input."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = _cut("".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name), 10)
        base = base or "field"
        candidate, n = base, 1
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate, n = _cut(base, 10 - len(suffix)) + suffix, n + 1
        taken.add(candidate.lower())
        out[name] = candidate
    return out


DBF_TEXT_BYTES = 254  # the longest text a dBASE field holds


def column_arrays(part: Rows, keep: np.ndarray | None = None
                  ) -> tuple[list[str], list[np.ndarray]]:
    """Each column as one typed array: integers, numbers (NaN where missing) or texts
    (lists and objects as JSON)."""
    names, arrays = [], []
    for k, values in part.columns.items():
        vals = [json_value(v) for v in values]
        if keep is not None:
            vals = [v for v, ok in zip(vals, keep, strict=True) if ok]
        kinds = {type(v) for v in vals if v is not None}
        if kinds and kinds <= {int} and None not in vals:
            arr = np.array(vals, dtype=np.int64)
        elif kinds and kinds <= {int, float}:  # a number column; missing values are NaN
            arr = np.array([np.nan if v is None else v for v in vals], dtype=float)
        else:
            arr = np.array([None if v is None else str(v) for v in vals], dtype=object)
        names.append(k)
        arrays.append(arr)
    return names, arrays


def _geometry_type(kind: str, geoms: np.ndarray) -> str:
    """The layer's declared geometry type: the one type all its geometries share (with Z
    when any has it), else Unknown. Readers (QGIS, ogrinfo) show a layer declared
    GEOMETRY as of no particular type.

    With Z as soon as one geometry has it: a 2-D layer drops every elevation of the
    others (Interfaces D8: one 2-D route among 3-D ones lost 141 vertices' Z), while a
    2-D line in a 3-D layer only gets elevations of 0.
    """
    present = [g for g in geoms if g is not None]  # a route not placed yet has none
    types = {g.geom_type for g in present}
    if len(types) != 1:
        return {"attraction": "Unknown"}.get(kind, "MultiLineString Z")
    (only,) = types
    return only + (" Z" if any(g.has_z for g in present) else "")


def _write_ogr(path: Path, layer: str, part: Rows, geoms: np.ndarray, driver: str,
               field_names: dict[str, str] | None = None, keep: np.ndarray | None = None,
               append: bool = False, srid: int = WGS84, **options: Any) -> None:
    names, arrays = column_arrays(part, keep)
    if field_names:
        names = [field_names[n] for n in names]
    import pyogrio.raw  # its own GDAL, some 30 MB: loaded by the exports that write with it

    geometry_type = _geometry_type(part.kind, geoms)
    if driver == "FlatGeobuf" and geometry_type.endswith(" Z"):
        # FlatGeobuf refuses a 2-D geometry in a 3-D layer (the Shapefile and GeoPackage
        # give it elevations of 0 themselves): the same 0s, given here.
        geoms = shapely.force_3d(geoms)

    with warnings.catch_warnings():
        # GDAL warns when it cuts a text to a dBASE field's 254 bytes: the export counts
        # the cuts itself and says so in FIELDS.txt (``_cut_texts``).
        warnings.filterwarnings("ignore", message=r"Value .* has been truncated",
                                category=RuntimeWarning)
        pyogrio.raw.write(path, shapely.to_wkb(geoms), arrays, fields=names, layer=layer,
                          driver=driver, geometry_type=geometry_type, crs=f"EPSG:{srid}",
                          encoding="UTF-8" if driver == "ESRI Shapefile" else None,
                          append=append, promote_to_multi=False, **options)


def _cut_texts(part: Rows, keep: np.ndarray) -> dict[str, int]:
    """Column -> how many of the kept features have a text longer than a dBASE field."""
    out = {}
    for name, values in part.columns.items():
        n = sum(1 for v, ok in zip(values, keep, strict=True)
                if ok and isinstance(text := json_value(v), str)
                and len(text.encode()) > DBF_TEXT_BYTES)
        if n:
            out[name] = n
    return out


def to_shapefile_zip(parts: list[Rows], stem: str, found: list[Credit] | None = None,
                     srid: int = WGS84) -> bytes:
    """One shapefile per kind of geometry, with the .prj of ``srid``, a UTF-8 .cpg and the
    field names.

    FIELDS.txt maps the 10-character names to the full ones, and says which texts were
    cut to the 254 bytes a dBASE field holds: nothing else in the files tells. The
    public id is the field ``id`` (36 characters of a UUID fit a dBASE field whole).
    """
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w",
                                                               zipfile.ZIP_DEFLATED) as zf:
        folder = Path(tmp)
        lines = ["Field names in these shapefiles are cut to 10 characters (dBASE). "
                 "Full names:", ""]
        cut_lines = []
        for part in parts:
            groups = [(f"{part.kind}s", np.ones(len(part), dtype=bool))]
            if part.kind == "attraction":
                is_area = np.array([g.geom_type == "MultiPolygon" for g in part.geoms],
                                   dtype=bool)
                groups = [("attractions", ~is_area), ("attraction_areas", is_area)]
            for name, keep in groups:
                if not keep.any():
                    continue
                mapping = short_names(list(part.columns))
                path = folder / f"{stem}_{name}.shp"
                _write_ogr(path, path.stem, part, part.geoms[keep], "ESRI Shapefile",
                           field_names=mapping, keep=keep, srid=srid)
                lines.append(f"{path.stem}.shp:")
                lines += [f"  {short:10s} {full}" for full, short in mapping.items()]
                lines.append("")
                cut_lines += [f"  {path.stem}.shp: {mapping[col]} ({col}) of {n} of "
                              f"{int(keep.sum())} features"
                              for col, n in _cut_texts(part, keep).items()]
                for member in sorted(folder.glob(f"{path.stem}.*")):
                    zf.write(member, member.name)
        if cut_lines:
            lines += [f"Texts longer than {DBF_TEXT_BYTES} bytes are cut to {DBF_TEXT_BYTES} "
                      "bytes (the most a dBASE field holds) in:", *cut_lines, "",
                      "The GeoJSON and GeoPackage exports keep them whole.", ""]
        zf.writestr("FIELDS.txt", "\n".join(lines))
        zf.writestr("LICENCE.txt", licence_text(found or []))
    return buf.getvalue()


GPKG_VERSION = "1.2"
"""GDAL writes GeoPackage 1.4 by default, on which GDAL 3.6 and QGIS 3.22–3.28 (the LTRs
partners run) warn at every open (Interfaces D15); 1.2 holds all an export needs."""


def to_geopackage(parts: list[Rows], found: list[Credit] | None = None,
                  srid: int = WGS84) -> bytes:
    """A layer per kind in ``srid``, GeoPackage 1.2, with the export's licence and sources: each
    layer's description (gpkg_contents, which QGIS shows) and the file's metadata
    (gpkg_metadata)."""
    found = found or []
    metadata = {"TITLE": PLATFORM, "ATTRIBUTION": attribution(found),
                "LICENSE": ", ".join(licences(found)), "SOURCES": licence_text(found)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        # A layer per kind that has features (an empty file still has its first layer).
        written = [p for p in parts if len(p)] or parts[:1]
        for k, part in enumerate(written):
            options: dict[str, Any] = {
                "layer_options": {"DESCRIPTION": attribution(found)},
                "layer_metadata": {"DESCRIPTION": attribution(found)}}
            if k == 0:
                options["dataset_options"] = {"VERSION": GPKG_VERSION}
                options["dataset_metadata"] = metadata
            _write_ogr(path, f"{part.kind}s", part, part.geoms, "GPKG", append=k > 0,
                       srid=srid, **options)
        return path.read_bytes() if path.exists() else b""


def _flatgeobuf(path: Path, part: Rows, found: list[Credit], srid: int) -> None:
    """One kind's features as one FlatGeobuf file, with its spatial index (what lets a
    client read a window of the file over HTTP), the attribution as its title and
    description, and the licence and sources in its metadata."""
    metadata = {"ATTRIBUTION": attribution(found), "LICENSE": ", ".join(licences(found)),
                "SOURCES": licence_text(found)}
    # GDAL indexes no feature without a geometry (a route not placed yet): such a file
    # goes without the index rather than without the route.
    index = "NO" if shapely.is_missing(part.geoms).any() else "YES"
    _write_ogr(path, f"{part.kind}s", part, part.geoms, "FlatGeobuf", srid=srid,
               layer_options={"SPATIAL_INDEX": index, "TITLE": f"{PLATFORM}: {part.kind}s",
                              "DESCRIPTION": attribution(found)},
               layer_metadata=metadata)


def to_flatgeobuf(parts: list[Rows], stem: str, found: list[Credit] | None = None,
                  srid: int = WGS84, one_kind: bool = True) -> bytes:
    """FlatGeobuf: a file holds one layer of one geometry type, 3-D or not as a whole. A
    kind's features are one file (an attraction's point or footprint: "Unknown", as
    GDAL declares mixed types; lines with Z when any has it, so routes and trails keep
    their elevations — Interfaces D8). An export of several kinds (the regional layer)
    is a zip of a file per kind with LICENCE.txt, as GDAL writes a dataset of several
    FlatGeobuf layers (a folder of .fgb files): in one file, the points among 3-D lines
    would have made every line 2-D."""
    found = found or []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if one_kind:
            path = folder / f"{stem}.fgb"
            part = parts[0] if parts else Rows("feature", {}, np.empty(0, dtype=object),
                                               np.empty(0, dtype=object))
            _flatgeobuf(path, part, found, srid)
            return path.read_bytes()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in parts:
                if not len(part):
                    continue
                path = folder / f"{stem}_{part.kind}s.fgb"
                _flatgeobuf(path, part, found, srid)
                zf.write(path, path.name)
            zf.writestr("LICENCE.txt", licence_text(found))
        return buf.getvalue()


def _csv_credit(credit: Credit | None) -> dict[str, str]:
    if credit is None:
        return {"licence": "", "attribution": ""}
    source = f": {credit.source}" if credit.source else ""
    return {"licence": credit.licence, "attribution": credit.partner + source}


def to_csv(parts: list[Rows], found: list[Credit] | None = None, srid: int = WGS84) -> bytes:
    """CSV with the geometry as WKT, in UTF-8 with a byte order mark: without it Excel
    reads the file in the machine's code page and garbles Greek and Cyrillic (the
    coverage CSV has one too). A CSV has no place for metadata: each row says its
    licence and source (its layer's), the columns ``licence`` and ``attribution``. The WKT
    is in the rows' CRS (``srid``), which the file's name says (``make.file_stem``)."""
    by_layer = {c.layer: c for c in found or []}
    single = found[0] if found and len(found) == 1 else None
    buf = io.StringIO()
    fields = list(dict.fromkeys(["kind", "id", *(k for p in parts for k in p.columns),
                                 "wkt", "licence", "attribution"]))
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for part in parts:
        # Degrees to 7 decimals (~1 cm), metres to the millimetre.
        wkts = shapely.to_wkt(part.geoms, rounding_precision=7 if srid == WGS84 else 3,
                              trim=True)
        for i in range(len(part)):
            row = {k: json_value(v[i]) for k, v in part.columns.items()}
            # A layer's own export has no layer column: its one layer's credit.
            credit = (by_layer.get(str(row.get("layer") or ""), single)
                      if part.kind in LAYER_KINDS else by_layer.get(""))
            writer.writerow({**row, "kind": part.kind, "id": part.ids[i], "wkt": wkts[i],
                             **_csv_credit(credit)})
    return buf.getvalue().encode("utf-8-sig")
