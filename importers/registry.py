"""The formats the platform imports: one class per format, listed here.

Adding a format is one module in importers/formats/ and one line below.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_noop as _

from importers.exceptions import Refused
from importers.formats.base import Format
from importers.formats.geojson import GeoJSON
from importers.formats.gpx import GPX
from importers.formats.kml import KML
from importers.formats.shapefile import Shapefile
from importers.messages import Message

FORMATS = (Shapefile(), GPX(), GeoJSON(), KML())


def format_for(path: Path) -> Format:
    """The format reading ``path``, by its name and, for zips, by what is inside."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return FORMATS[0]
    for fmt in FORMATS:
        if suffix in fmt.suffixes:
            return fmt
    if suffix in (".dbf", ".shx", ".prj", ".cpg"):
        raise Refused(Message(_("%(file)s: a %(suffix)s file is one part of a shapefile; import "
                                "the .shp (with its .shx, .dbf and .prj beside it) or a .zip of "
                                "all of them"), file=path.name, suffix=suffix))
    known = ", ".join(sorted({s for f in FORMATS for s in f.suffixes}))
    if not suffix:
        raise Refused(Message(_("%(file)s: a file without an extension; the importers read "
                                "%(known)s"), file=path.name, known=known))
    raise Refused(Message(_("%(file)s: unknown file type %(suffix)s; the importers read "
                            "%(known)s"), file=path.name, suffix=repr(suffix), known=known))
