"""ESRI shapefiles, loose or zipped (also inside a sub-folder of the zip)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_noop as _

from geo.crs import CrsError, identify
from importers.encoding import EncodingError, choose_dbf_encoding
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, read_with_gdal
from importers.messages import Message, crs_problem

MEMBERS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj"})
DBF_TEXT_LIMIT = 254  # bytes in a DBF character field: longer text is cut when written


def sibling(shp: Path, suffix: str) -> Path | None:
    """The member of ``shp``'s set with ``suffix``, whatever the case of its name."""
    for candidate in shp.parent.iterdir():
        if candidate.stem == shp.stem and candidate.suffix.lower() == suffix:
            return candidate
    return None


def find_shapefiles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".shp" and p.is_file())


def check_integrity(shp: Path, dbf: Path | None, label: str) -> list[Message]:
    """Refuse a .shp or .dbf shorter than its own header says; note junk after the end."""
    notes = []
    with shp.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or struct.unpack(">i", header[:4])[0] != 9994:
        raise Refused(Message(_("%(file)s: not a shapefile (the .shp header is missing or "
                                "wrong)"), file=label))
    declared = struct.unpack(">i", header[24:28])[0] * 2
    actual = shp.stat().st_size
    if actual < declared:
        raise Refused(Message(_("%(file)s: the .shp is truncated: its header says %(declared)s "
                                "bytes, the file has %(actual)s. Export or copy it again."),
                              file=label, declared=declared, actual=actual))
    if actual > declared:
        notes.append(Message(_("%(count)s bytes after the end the .shp header declares were "
                               "ignored"), count=actual - declared))
    if dbf is not None:
        with dbf.open("rb") as fh:
            head = fh.read(32)
        if len(head) < 32:
            raise Refused(Message(_("%(file)s: the .dbf is truncated (no complete header)"),
                                  file=label))
        n_records, header_len, record_len = struct.unpack("<IHH", head[4:12])
        expected = header_len + n_records * record_len
        if dbf.stat().st_size < expected:
            raise Refused(Message(_("%(file)s: the .dbf is truncated: %(records)s records need "
                                    "%(expected)s bytes, the file has %(actual)s"), file=label,
                                  records=n_records, expected=expected,
                                  actual=dbf.stat().st_size))
    return notes


def _exported_field_names(shp: Path) -> dict[str, str]:
    """Short -> full field names from the FIELDS.txt our exports put beside shapefiles."""
    listing = next((p for p in shp.parent.iterdir() if p.name.lower() == "fields.txt"), None)
    if listing is None:
        return {}
    names: dict[str, str] = {}
    current = None
    for line in listing.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.endswith(".shp:"):
            current = line[:-5]
        elif current == shp.stem and line.startswith("  ") and line.strip():
            short, _, full = line.strip().partition(" ")
            names[short] = full.strip()
    return names


class Shapefile:
    name = "ESRI Shapefile"
    suffixes = frozenset({".shp", ".zip"})
    members = MEMBERS

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        """``path`` is a .shp in a working folder the pipeline owns (GDAL may write there)."""
        import pyogrio  # loaded only by the formats that read through GDAL (see base)

        label = label or path.name
        notes: list[Message] = []
        if sibling(path, ".shx") is None:
            # GDAL can rebuild the index from the .shp; it writes it beside the
            # file, which is our working copy.
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
            notes.append(Message(_("the .shx index was missing and has been rebuilt from the "
                                   ".shp")))
        dbf, cpg, prj = (sibling(path, s) for s in (".dbf", ".cpg", ".prj"))
        notes += check_integrity(path, dbf, label)
        encoding = None
        if dbf is not None:
            try:
                encoding = choose_dbf_encoding(dbf=dbf, cpg=cpg, explicit=options.encoding,
                                               prefer_language=options.prefer_language)
            except EncodingError as exc:
                raise Refused(Message(_("%(file)s: %(problem)s"), file=label,
                                      problem=exc.message)) from None
        else:
            notes.append(Message(_("there is no .dbf: the features have no attributes")))
        try:
            meta, geoms, columns = read_with_gdal(
                path, label, encoding=encoding.encoding if encoding else None, notes=notes,
                encoding_said=encoding.reason if encoding else None, text_file=dbf)
        finally:
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})
        if dbf is None:
            columns = {}
        full_names = _exported_field_names(path)
        if full_names:
            columns = {full_names.get(k, k): v for k, v in columns.items()}
            notes.append(Message(_("field names restored from the export's FIELDS.txt")))
        geom_type = (meta.get("geometry_type") or "").upper()
        if "TIN" in geom_type or "POLYHEDRAL" in geom_type or any(
                g is not None and g.geom_type == "GeometryCollection" for g in geoms[:100]):
            raise Refused(Message(
                _("%(file)s: MultiPatch (3-D surface) shapes are not supported; export the "
                  "layer as polygons, lines or points from your GIS and import that"),
                file=label))
        crs, crs_reason = None, None
        if options.srs is not None:
            crs = options.srs
            crs_reason = (Message(_("given with --srs (overriding the .prj)")) if prj is not None
                          else Message(_("given with --srs")))
        elif prj is not None:
            text = prj.read_bytes()[:20_000].decode("utf-8", errors="replace")
            try:
                crs = identify(text)
            except CrsError as exc:
                raise Refused(Message(_("%(file)s: the .prj file cannot be read: %(problem)s; "
                                        "give the CRS with --srs EPSG:n"), file=label,
                                      problem=crs_problem(exc))) from None
            crs_reason = Message(_("from the .prj file"))
        return [SourceData(label=label, layer=path.stem, geometries=np.asarray(geoms, dtype=object),
                           columns=columns, crs=crs, crs_reason=crs_reason, encoding=encoding,
                           notes=notes, text_limit=DBF_TEXT_LIMIT if dbf is not None else None)]
