"""ESRI shapefiles, loose or zipped (also inside a sub-folder of the zip)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_noop as _

from geo.crs import CrsError, Identified, identify
from importers.encoding import EncodingChoice, EncodingError, choose_dbf_encoding
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
        with self.open(path, options, label) as opened:
            data = opened.batch()
        data.crs, data.crs_reason = opened.identify_crs()
        return [data]

    def open(self, path: Path, options: ReadOptions, label: str | None = None) -> OpenShapefile:
        """The file's headers read and checked (integrity, encoding, CRS); its features
        are read by ``batch``, a slice at a time (a file of millions of points is never
        whole in memory: decision 0019)."""
        import pyogrio  # loaded only by the formats that read through GDAL (see base)

        label = label or path.name
        notes: list[Message] = []
        if sibling(path, ".shx") is None:
            # GDAL can rebuild the index from the .shp; it writes it beside the
            # file, which is our working copy.
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
            notes.append(Message(_("the .shx index was missing and has been rebuilt from the "
                                   ".shp")))
        try:
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
        except Refused:
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})
            raise
        return OpenShapefile(path=path, label=label, notes=notes, dbf=dbf, encoding=encoding,
                             prj=prj, srs=options.srs, full_names=_exported_field_names(path))


@dataclass
class OpenShapefile:
    """A shapefile whose headers are read: its features, a slice at a time."""

    path: Path
    label: str
    notes: list[Message]  # the headers' notes; each batch adds GDAL's warnings
    dbf: Path | None
    encoding: EncodingChoice | None
    prj: Path | None
    srs: Identified | None  # given with --srs
    full_names: dict[str, str]  # short -> full field names (FIELDS.txt of our exports)

    def __enter__(self) -> OpenShapefile:
        return self

    def __exit__(self, *exc: object) -> None:
        import pyogrio

        pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})

    def identify_crs(self) -> tuple[Identified | None, Message | None]:
        """The CRS and why: given with --srs, or from the .prj (None, None: neither)."""
        if self.srs is not None:
            return self.srs, (Message(_("given with --srs (overriding the .prj)"))
                              if self.prj is not None else Message(_("given with --srs")))
        if self.prj is None:
            return None, None
        text = self.prj.read_bytes()[:20_000].decode("utf-8", errors="replace")
        try:
            crs = identify(text)
        except CrsError as exc:
            raise Refused(Message(_("%(file)s: the .prj file cannot be read: %(problem)s; "
                                    "give the CRS with --srs EPSG:n"), file=self.label,
                                  problem=crs_problem(exc))) from None
        return crs, Message(_("from the .prj file"))

    def count(self) -> int:
        """How many features the file has (from its headers: nothing is read)."""
        import pyogrio

        return int(pyogrio.read_info(self.path, encoding=self._codec())["features"])

    def columns(self) -> list[str]:
        """The attribute columns' names, as ``batch`` names them."""
        import pyogrio

        if self.dbf is None:
            return []
        fields = pyogrio.read_info(self.path, encoding=self._codec())["fields"]
        return [self.full_names.get(str(f), str(f)) for f in fields]

    def _codec(self) -> str | None:
        return self.encoding.encoding if self.encoding else None

    def batch(self, skip: int = 0, size: int | None = None, *,
              columns: list[str] | None = None, geometry: bool = True,
              fids: list[int] | None = None) -> SourceData:
        """Features ``skip`` to ``skip + size`` (all from ``skip`` when ``size`` is None),
        numbered as rows of the file; ``columns`` (their full names) and ``geometry`` read
        only part of them; ``fids`` reads those features (0-based) instead."""
        notes: list[Message] = list(self.notes) if skip == 0 and fids is None else []
        short = ({v: k for k, v in self.full_names.items()}.get(c, c) for c in columns) \
            if columns is not None else None
        kwargs: dict = ({"fids": fids} if fids is not None else
                        {"skip_features": skip, "max_features": size})
        meta, geoms, found = read_with_gdal(
            self.path, self.label, encoding=self._codec(), notes=notes,
            encoding_said=self.encoding.reason if self.encoding else None, text_file=self.dbf,
            columns=list(short) if short is not None else None, read_geometry=geometry,
            **kwargs)
        if self.dbf is None:
            found = {}
        if self.full_names:
            found = {self.full_names.get(k, k): v for k, v in found.items()}
            if skip == 0 and fids is None:
                notes.append(Message(_("field names restored from the export's FIELDS.txt")))
        geom_type = (meta.get("geometry_type") or "").upper()
        if geometry and ("TIN" in geom_type or "POLYHEDRAL" in geom_type or any(
                g is not None and g.geom_type == "GeometryCollection" for g in geoms[:100])):
            raise Refused(Message(
                _("%(file)s: MultiPatch (3-D surface) shapes are not supported; export the "
                  "layer as polygons, lines or points from your GIS and import that"),
                file=self.label))
        return SourceData(label=self.label, layer=self.path.stem,
                          geometries=np.asarray(geoms, dtype=object), columns=found,
                          encoding=self.encoding,
                          notes=notes, first_row=1 + skip,
                          text_limit=DBF_TEXT_LIMIT if self.dbf is not None else None)
