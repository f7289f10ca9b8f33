"""KML and KMZ (zipped KML): every folder's placemarks."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pyogrio

from geo.crs import WGS84, identify
from importers.encoding import EncodingChoice
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, read_with_gdal
from importers.safety import check_xml

# Fields GDAL's KML drivers add for KML's own elements; kept only when they say something.
HOUSEKEEPING = {"id": None, "timestamp": None, "begin": None, "end": None,
                "altitudeMode": None, "tessellate": -1, "extrude": 0, "visibility": -1,
                "drawOrder": None, "icon": None, "snippet": None}


def _without_kml_housekeeping(columns: dict) -> dict:
    out = {}
    for name, values in columns.items():
        default = HOUSEKEEPING.get(name, ...)
        if default is not ... and all(v is None or v == default for v in list(values)):
            continue
        out[name] = values
    # The platform's own exports carry name_* in ExtendedData: the <name> is a copy.
    if any(k.startswith("name_") for k in out):
        out.pop("Name", None)
        out.pop("description", None)
    return out


class KML:
    name = "KML"
    suffixes = frozenset({".kml", ".kmz"})
    members = frozenset({".kml"})

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        """``path`` is a .kml file (a KMZ has been unpacked by the pipeline)."""
        label = label or path.name
        check_xml(path.read_bytes(), label)
        try:
            with warnings.catch_warnings():
                # The same warnings come again, and are reported, when the layers are read.
                warnings.simplefilter("ignore")
                layers = [name for name, _geom in pyogrio.list_layers(path)]
        except Exception as exc:  # noqa: BLE001 - GDAL's open errors
            raise Refused(f"{label}: GDAL cannot read it as KML: {exc}") from None
        if options.source_layer:
            if options.source_layer not in layers:
                raise Refused(f"{label}: no folder {options.source_layer!r}; it has "
                              + ", ".join(repr(n) for n in layers))
            layers = [options.source_layer]
        sources = []
        for name in layers:
            notes: list[str] = []
            _meta, geoms, columns = read_with_gdal(path, f"{label}/{name}", layer=name,
                                                   notes=notes)
            if len(geoms) == 0:
                continue
            columns = _without_kml_housekeeping(columns)
            sources.append(SourceData(
                label=f"{label}/{name}", layer=name, geometries=np.asarray(geoms, dtype=object),
                columns=columns, crs=identify(f"EPSG:{WGS84}"),
                crs_reason="KML coordinates are WGS 84 by definition",
                encoding=EncodingChoice("utf-8", "KML is XML: its declaration says the encoding"),
                notes=notes,
            ))
        return sources
