"""The files an import reads a batch at a time (decision 0019, 0027): what the stream
(``run/stream.py``) asks of each format, and which files it is asked of.

A shapefile is read a slice at a time (GDAL seeks to a feature by its index); a GeoJSON
FeatureCollection in one pass, GDAL handing its features over as Arrow batches (it reads
such a file as a stream: no batch is looked for again from the start); a GPX in three
passes of lxml's iterparse (its waypoints, tracks, then routes: the order of a whole
read's rows). KML, and files of no more features than a batch, are read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from importers.encoding import EncodingChoice
from importers.formats.base import ReadOptions, SourceData
from importers.formats.geojson import GeoJSON, OpenGeoJSON, has_nul_escape
from importers.formats.gpx import GPX
from importers.formats.gpx_batches import OpenGPX, open_gpx
from importers.formats.shapefile import OpenShapefile, Shapefile, sibling
from importers.pipeline.run.read import OpenedFile


class BatchSource(Protocol):
    """A file read a batch at a time: each ``batches`` is one pass over it."""

    @property
    def label(self) -> str: ...

    @property
    def layer(self) -> str: ...

    @property
    def encoding(self) -> EncodingChoice | None: ...

    def count(self) -> int: ...

    def columns(self) -> list[str]: ...

    def batches(self, size: int, *, columns: list[str] | None = None,
                geometry: bool = True) -> Iterator[SourceData]: ...

    def sample(self, fids: list[int], size: int) -> SourceData: ...

    def close(self) -> None: ...


@dataclass
class ShapefileBatches:
    """A shapefile, a slice at a time (``OpenShapefile.batch``)."""

    shp: OpenShapefile

    @property
    def label(self) -> str:
        return self.shp.label

    @property
    def layer(self) -> str:
        return self.shp.path.stem

    @property
    def encoding(self) -> EncodingChoice | None:
        return self.shp.encoding

    def count(self) -> int:
        return self.shp.count()

    def columns(self) -> list[str]:
        return self.shp.columns()

    def batches(self, size: int, *, columns: list[str] | None = None,
                geometry: bool = True) -> Iterator[SourceData]:
        for skip in range(0, self.count(), size):
            yield self.shp.batch(skip, size, columns=columns, geometry=geometry)

    def sample(self, fids: list[int], size: int) -> SourceData:
        """Features ``fids``, read by their ids (Refused: a feature GDAL counts but cannot
        read by its id, a .dbf of more records than the .shp has shapes)."""
        sample = self.shp.batch(fids=fids, columns=[])
        sample.crs, sample.crs_reason = self.shp.identify_crs()
        return sample

    def close(self) -> None:
        self.shp.__exit__()


def _dbf_records(opened: OpenedFile) -> int | None:
    """The records the DBF's header declares (None: no DBF, or no readable header)."""
    dbf = sibling(opened.path, ".dbf")
    if dbf is None:
        return None
    with dbf.open("rb") as fh:
        head = fh.read(8)
    return int.from_bytes(head[4:8], "little") if len(head) == 8 else None


def _geojson_features(opened: OpenedFile) -> int | None:
    """How many features GDAL finds in a GeoJSON (None: it cannot tell, or the file has
    texts with a NUL character, which only a whole read puts back)."""
    import pyogrio

    if opened.path.stat().st_size == 0 or has_nul_escape(opened.path):
        return None
    try:
        return int(pyogrio.read_info(opened.path)["features"])
    except Exception:  # noqa: BLE001 - read whole: the whole read's refusal says why
        return None


# A waypoint, track or route's start tag (GPX 1.0 and 1.1, with or without a prefix).
GPX_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:wpt|trk|rte)[\s/>]")


def _gpx_more_elements_than(opened: OpenedFile, size: int) -> bool:
    """Whether the GPX may have more waypoints, tracks and routes than ``size``, from their
    start tags (a text or comment holding one counts too), without parsing it. Read a
    MiB at a time, not mapped: a mapped file's pages would count in the import's memory
    (decision 0008)."""
    found = 0
    tail = b""
    with opened.path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            found += sum(1 for _m in GPX_ELEMENT.finditer(data))
            if found > size:
                return True
            # A tag cut at the chunk's end is found in the next (one found twice at
            # most: a bound, not a count).
            tail = data[-64:]
    return False


def open_source(opened: OpenedFile, options: ReadOptions, size: int) -> BatchSource | None:
    """The file as batches of ``size``, or None: it is read whole."""
    if isinstance(opened.fmt, Shapefile):
        records = _dbf_records(opened)
        if records is None or records <= size:
            return None
        return ShapefileBatches(Shapefile().open(opened.path, options, opened.label))
    if isinstance(opened.fmt, GeoJSON):
        features = _geojson_features(opened)
        if features is None or features <= size:
            return None
        source: OpenGeoJSON = GeoJSON().open(opened.path, options, opened.label)
        return source
    if isinstance(opened.fmt, GPX):
        if not _gpx_more_elements_than(opened, size):
            return None
        gpx: OpenGPX = open_gpx(opened.path, options, opened.label)
        return gpx
    return None


__all__ = ["BatchSource", "ShapefileBatches", "open_source"]
