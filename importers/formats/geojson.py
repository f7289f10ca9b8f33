"""GeoJSON: RFC 7946, and older files whose ``crs`` member names another CRS."""

from __future__ import annotations

import json
import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from geo.crs import WGS84, CrsError, Identified, identify
from importers.encoding import (
    EncodingChoice,
    EncodingError,
    codec_for,
    not_in_encoding,
    text_file_sample,
    transcode_to_utf8,
)
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, read_gdal_batches, read_with_gdal
from importers.messages import Message, crs_problem


def _crs_member(path: Path) -> str | None:
    """The ``crs`` member's name of a pre-RFC 7946 file, looking only at the file's start."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16).decode("utf-8", errors="replace")
    key = head.find('"crs"')
    if key < 0:
        return None
    decoder = json.JSONDecoder()
    start = head.find("{", key)
    try:
        member, _end = decoder.raw_decode(head, start)
    except ValueError:
        return None
    props = member.get("properties", {}) if isinstance(member, dict) else {}
    return props.get("name") or props.get("code")


class GeoJSON:
    name = "GeoJSON"
    suffixes = frozenset({".geojson", ".json"})

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        """``path`` is a working copy the pipeline owns (it may be rewritten in UTF-8)."""
        label = label or path.name
        notes: list[Message] = []
        encoding = self._encoding(path, options, label)
        _meta, geoms, columns = read_with_gdal(path, label, notes=notes,
                                               encoding_said=encoding.reason)
        if has_nul_escape(path):
            _restore_texts_cut_at_nul(path, label, columns, notes)
        data = SourceData(label=label, layer=path.stem,
                          geometries=np.asarray(geoms, dtype=object), columns=columns,
                          encoding=encoding, notes=notes)
        place(data, path, options.srs)
        return [data]

    def open(self, path: Path, options: ReadOptions, label: str | None = None) -> OpenGeoJSON:
        """The file in UTF-8, its features read by ``batches``, a batch at a time in one
        pass (GDAL reads a FeatureCollection as a stream: decision 0027)."""
        label = label or path.name
        return OpenGeoJSON(path=path, label=label, encoding=self._encoding(path, options, label),
                           srs=options.srs)

    @staticmethod
    def _encoding(path: Path, options: ReadOptions, label: str) -> EncodingChoice:
        """UTF-8, or what --encoding says (the file is then rewritten in UTF-8 for GDAL)."""
        if not options.encoding:
            return EncodingChoice("utf-8", Message(_("GeoJSON is UTF-8 (RFC 7946)")))
        try:
            codec = codec_for(options.encoding)
        except EncodingError as exc:
            raise Refused(Message(_("%(file)s: %(problem)s"), file=label,
                                  problem=exc.message)) from None
        said = Message(_("given with --encoding"))
        if codec != "utf-8":
            try:
                transcode_to_utf8(path, codec)
            except UnicodeDecodeError as exc:
                raise Refused(Message(_("%(file)s: %(problem)s"), file=label,
                                      problem=not_in_encoding(text_file_sample(path), codec,
                                                              exc, said))) from None
        return EncodingChoice(codec, said)


def place(data: SourceData, path: Path, srs: Identified | None) -> None:
    """Set ``data``'s CRS and why: given with --srs, the file's ``crs`` member, or WGS 84
    (RFC 7946) unless most of ``data``'s coordinates cannot be longitude/latitude (the
    pipeline then refuses the file with the CRSs that would place it: ``no_crs``)."""
    if srs is not None:
        data.crs, data.crs_reason = srs, Message(_("given with --srs"))
        return
    named = _crs_member(path)
    try:
        crs = identify(named) if named else identify(f"EPSG:{WGS84}")
    except CrsError as exc:
        raise Refused(Message(_("%(file)s: the crs member %(crs)s cannot be read: "
                                "%(problem)s"), file=data.label, crs=repr(named),
                              problem=crs_problem(exc))) from None
    if not named and _mostly_not_lon_lat(np.asarray(data.geometries, dtype=object)):
        data.no_crs = _("%(file)s: the coordinates are not longitude/latitude, as GeoJSON's "
                        "are (RFC 7946), and the file has no crs member to say what they "
                        "are; give the CRS with --srs EPSG:n; %(details)s")
        return
    data.crs = crs
    data.crs_reason = (Message(_("from the file's crs member %(crs)s"), crs=repr(named))
                       if named else Message(_("RFC 7946: GeoJSON is WGS 84 longitude/latitude")))


@dataclass
class OpenGeoJSON:
    """A GeoJSON file in UTF-8: its features, a batch at a time."""

    path: Path
    label: str
    encoding: EncodingChoice
    srs: Identified | None  # given with --srs

    @property
    def layer(self) -> str:
        return self.path.stem

    def count(self) -> int:
        """How many features the file has (GDAL's first pass over it keeps none)."""
        import pyogrio

        return int(pyogrio.read_info(self.path)["features"])

    def columns(self) -> list[str]:
        import pyogrio

        return [str(f) for f in pyogrio.read_info(self.path)["fields"]]

    def batches(self, size: int, *, columns: list[str] | None = None,
                geometry: bool = True) -> Iterator[SourceData]:
        """Every feature, ``size`` at a time, numbered as rows of the file."""
        first = 1
        for geoms, found, notes in read_gdal_batches(
                self.path, self.label, size, encoding_said=self.encoding.reason,
                columns=columns, geometry=geometry):
            yield SourceData(label=self.label, layer=self.layer, geometries=geoms,
                             columns=found, encoding=self.encoding, notes=notes,
                             first_row=first)
            first += len(geoms)

    def sample(self, fids: list[int], size: int) -> SourceData:
        """The geometries of features ``fids`` (0-based, sorted), its CRS placed as
        ``read`` places a whole file's."""
        wanted = np.asarray(fids, dtype=np.int64)
        parts = []
        for data in self.batches(size, columns=[]):
            start = data.first_row - 1
            here = wanted[(wanted >= start) & (wanted < start + len(data))] - start
            parts.append(data.geometries[here])
        geoms = np.concatenate(parts) if parts else np.empty(0, dtype=object)
        sample = SourceData(label=self.label, layer=self.layer, geometries=geoms, columns={},
                            encoding=self.encoding)
        place(sample, self.path, self.srs)
        return sample

    def close(self) -> None:
        return None


# A JSON string escape of U+0000: "\\u0000" preceded by an even number of backslashes.
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
NUL_NOTES_LISTED = 10


def has_nul_escape(path: Path) -> bool:
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return _NUL_ESCAPE.search(data) is not None


def _restore_texts_cut_at_nul(path: Path, label: str, columns: dict[str, np.ndarray],
                              notes: list[Message]) -> None:
    """Put back the texts GDAL cut at a NUL character, without the NUL, and say where.

    GDAL hands strings over as C strings, so "Abc\\u0000def" arrives as "Abc"; PostgreSQL
    cannot store a NUL either. The file is read again here (only when it has one), and the
    row and field of each change are noted.
    """
    with path.open("rb") as fh:
        document = json.load(fh)
    features = (document.get("features") if document.get("type") == "FeatureCollection"
                else [document])
    changed: list[Message] = []
    for row, feature in enumerate(features or []):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        for name, value in (properties or {}).items():
            if name not in columns or row >= len(columns[name]):
                continue
            if isinstance(value, str) and "\x00" in value:
                if columns[name].dtype != object:
                    columns[name] = columns[name].astype(object)
                columns[name][row] = value.replace("\x00", "")
                changed.append(Message(_("row %(row)s, field %(field)s"), row=row + 1,
                                       field=name))
    if changed:
        listed = Message.join(changed[:NUL_NOTES_LISTED])
        if len(changed) > NUL_NOTES_LISTED:
            listed = Message(_("%(listed)s and %(more)s more"), listed=listed,
                             more=len(changed) - NUL_NOTES_LISTED)
        notes.append(Message(_("%(file)s: NUL characters (U+0000) removed from texts, the rest "
                               "of each text kept: %(where)s"), file=label, where=listed))


def _mostly_not_lon_lat(geoms: np.ndarray) -> bool:
    """Whether most features have coordinates no longitude/latitude can have."""
    present = geoms[~shapely.is_missing(geoms)]
    present = present[~shapely.is_empty(present)]
    if not len(present):
        return False
    bounds = shapely.bounds(present)
    outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (
        np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
    return bool(outside.mean() > 0.5)
