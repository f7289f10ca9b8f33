"""GeoJSON: RFC 7946, and older files whose ``crs`` member names another CRS."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext_noop as _

from geo.crs import WGS84, CrsError, identify
from importers.encoding import (
    EncodingChoice,
    EncodingError,
    codec_for,
    not_in_encoding,
    text_file_sample,
    transcode_to_utf8,
)
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, read_with_gdal
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
        no_crs = None
        if options.srs is not None:
            crs, reason = options.srs, Message(_("given with --srs"))
        else:
            named = _crs_member(path)
            try:
                crs = identify(named) if named else identify(f"EPSG:{WGS84}")
            except CrsError as exc:
                raise Refused(Message(_("%(file)s: the crs member %(crs)s cannot be read: "
                                        "%(problem)s"), file=label, crs=repr(named),
                                      problem=crs_problem(exc))) from None
            reason = (Message(_("from the file's crs member %(crs)s"), crs=repr(named)) if named
                      else Message(_("RFC 7946: GeoJSON is WGS 84 longitude/latitude")))
            if not named and _mostly_not_lon_lat(np.asarray(geoms, dtype=object)):
                # Projected coordinates in a file that does not say so: the pipeline
                # refuses it with the CRSs that would place it in the partner's territory.
                crs, reason = None, None
                no_crs = _("%(file)s: the coordinates are not longitude/latitude, as GeoJSON's "
                           "are (RFC 7946), and the file has no crs member to say what they "
                           "are; give the CRS with --srs EPSG:n; %(details)s")
        return [SourceData(
            label=label, layer=path.stem, geometries=np.asarray(geoms, dtype=object),
            columns=columns, crs=crs, crs_reason=reason, encoding=encoding, notes=notes,
            no_crs=no_crs,
        )]

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
