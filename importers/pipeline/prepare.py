"""A working copy of the partner's file that the readers (and GDAL) may write beside."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from django.utils.translation import gettext_noop as _

from importers.exceptions import Refused
from importers.formats.base import Format
from importers.formats.shapefile import MEMBERS as SHAPEFILE_MEMBERS
from importers.formats.shapefile import find_shapefiles
from importers.messages import Message
from importers.registry import FORMATS, format_for
from importers.safety import Limits, check_size, unpack_zip

IMPORTABLE = frozenset(SHAPEFILE_MEMBERS | {s for f in FORMATS for s in f.suffixes} - {".zip"})
# FIELDS.txt of our own shapefile exports: the full names of shortened fields.
UNPACKED = IMPORTABLE | {".txt"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def working_copy(source: Path, workdir: Path, limits: Limits,
                 source_layer: str | None = None) -> tuple[Path, str, Format]:
    """(file to read, label for messages, format) inside ``workdir``."""
    check_size(source, limits)
    fmt = format_for(source)
    suffix = source.suffix.lower()
    if suffix in (".zip", ".kmz"):
        unpacked = unpack_zip(source, workdir, limits, UNPACKED)
        if suffix == ".kmz":
            kmls = [p for p in unpacked if p.suffix.lower() == ".kml"]
            if not kmls:
                raise Refused(Message(_("%(file)s: a KMZ without a .kml document inside"),
                                      file=source.name))
            doc = next((p for p in kmls if p.name.lower() == "doc.kml"), kmls[0])
            return doc, f"{source.name}/{doc.relative_to(workdir)}", fmt
        shps = find_shapefiles(workdir)
        if not shps:
            others = [p for p in unpacked if p.suffix.lower() in IMPORTABLE - SHAPEFILE_MEMBERS]
            if len(others) == 1:
                inner = others[0]
                return inner, f"{source.name}/{inner.relative_to(workdir)}", format_for(inner)
            raise Refused(Message(_("%(file)s: the archive holds no shapefile (.shp) and no "
                                    "single GPX, GeoJSON or KML file"), file=source.name))
        if source_layer:
            shps = [p for p in shps if p.stem == source_layer or p.name == source_layer]
            if not shps:
                raise Refused(Message(_("%(file)s: no shapefile named %(name)s inside"),
                                      file=source.name, name=repr(source_layer)))
        if len(shps) > 1:
            names = ", ".join(str(p.relative_to(workdir)) for p in shps)
            raise Refused(Message(_("%(file)s: the archive holds several shapefiles (%(names)s); "
                                    "choose one with --source-layer NAME"), file=source.name,
                                  names=names))
        shp = shps[0]
        return shp, f"{source.name}/{shp.relative_to(workdir)}", fmt
    if suffix == ".shp":
        copied = False
        for member in source.parent.iterdir():
            if member.stem == source.stem and member.suffix.lower() in SHAPEFILE_MEMBERS:
                shutil.copy2(member, workdir / member.name)
                copied = True
        if not copied:
            raise Refused(Message(_("%(file)s: cannot read the file"), file=source.name))
        return workdir / source.name, source.name, fmt
    target = workdir / source.name
    shutil.copy2(source, target)
    return target, source.name, fmt
