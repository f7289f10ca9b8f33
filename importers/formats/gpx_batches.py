"""A GPX of more waypoints, tracks and routes than a batch, read a batch at a time
(decision 0027), in the order and with the row numbers ``GPX.read`` gives them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from importers.encoding import EncodingChoice
from importers.formats.base import ReadOptions, SourceData
from importers.formats.gpx import (
    GPX,
    as_source,
    elements,
    encoding_of,
    route_row,
    track_row,
    waypoint_row,
)
from importers.messages import Message


def open_gpx(path: Path, options: ReadOptions, label: str | None = None) -> OpenGPX:
    """The file's rows a batch at a time; its prolog and encoding checked."""
    label = label or path.name
    return OpenGPX(path=path, label=label, encoding=encoding_of(path, label),
                   keep_duplicate_routes=options.keep_duplicate_routes)


def countelements(path: Path, label: str) -> int:
    """How many waypoints, tracks and routes the file has (one pass, nothing kept)."""
    return sum(1 for _item in elements(path, label))


@dataclass
class OpenGPX:
    """A GPX whose rows come a batch at a time, in the order ``GPX.read`` gives them:
    its waypoints, then its tracks, then its routes (one pass over the file each), with
    the same notes. The tracks' 2-D lines are kept for the routes' pass (a route that
    follows one is not imported twice), as a whole read keeps them."""

    path: Path
    label: str
    encoding: EncodingChoice
    keep_duplicate_routes: bool = False

    @property
    def layer(self) -> str:
        return self.path.stem

    def count(self) -> int:
        return countelements(self.path, self.label)

    names: list[str] | None = None  # the file's columns, once a pass has found them

    def columns(self) -> list[str]:
        """The columns a whole read gives: those holding a value on some row."""
        if self.names is None:
            found: dict[str, None] = {}
            for data in self._batches(1 << 16, geometry=False, names=None):
                found.update(dict.fromkeys(data.columns))
            self.names = list(found)
        return self.names

    def batches(self, size: int, *, columns: list[str] | None = None,
                geometry: bool = True) -> Iterator[SourceData]:
        """Every row, ``size`` at a time, numbered as a whole read numbers them, each
        batch with the file's columns (``columns``, ``geometry``: what to keep of it)."""
        names = self.columns()
        yield from self._batches(size, geometry=geometry, names=[
            n for n in names if columns is None or n in columns])

    def _batches(self, size: int, *, geometry: bool, names: list[str] | None
                 ) -> Iterator[SourceData]:
        first = 1
        geoms: list[shapely.Geometry] = []
        rows: list[dict[str, Any]] = []
        notes: list[Message] = []

        def batch() -> SourceData:
            nonlocal first, geoms, rows, notes
            data = as_source(self.path, self.label, self.encoding, notes,
                           geoms if geometry else [None] * len(rows), rows, first, names)
            first += len(rows)
            geoms, rows, notes = [], [], []
            return data

        def add(row: tuple[shapely.Geometry, dict[str, Any]] | None) -> bool:
            if row is not None:
                geoms.append(row[0])
                rows.append(row[1])
            return len(rows) >= size

        for local, el, _reader in elements(self.path, self.label):
            if local == "wpt" and add(waypoint_row(el, self.label)):
                yield batch()
        track_lines: list[shapely.MultiLineString] = []
        number = 0
        for local, el, reader in elements(self.path, self.label):
            if local == "trk":
                number += 1
                segs = [reader.points(seg, "trkpt", self.label) for seg in reader.segments(el)]
                row = track_row(segs, GPX.element_fields(el), number, notes)
                if row is not None:
                    track_lines.append(shapely.force_2d(row[0]))
                if add(row):
                    yield batch()
        number = 0
        for local, el, reader in elements(self.path, self.label):
            if local == "rte":
                number += 1
                points = reader.points(el, "rtept", self.label)
                if add(route_row(points, GPX.element_fields(el), number, notes, track_lines,
                                 self.keep_duplicate_routes)):
                    yield batch()
        if rows or notes:
            yield batch()

    def sample(self, fids: list[int], size: int) -> SourceData:
        wanted = set(fids)
        geoms = [g for data in self.batches(size) for i, g in enumerate(data.geometries)
                 if data.first_row - 1 + i in wanted]
        return as_source(self.path, self.label, self.encoding, [], geoms, [{}] * len(geoms))

    def close(self) -> None:
        return None
