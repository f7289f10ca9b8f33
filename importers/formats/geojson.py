"""GeoJSON: RFC 7946, and older files whose ``crs`` member names another CRS."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_noop as _

from geo.crs import WGS84, CrsError, identify
from importers.encoding import EncodingChoice
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
        label = label or path.name
        notes: list[Message] = []
        _meta, geoms, columns = read_with_gdal(path, label, notes=notes)
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
        return [SourceData(
            label=label, layer=path.stem, geometries=np.asarray(geoms, dtype=object),
            columns=columns, crs=crs, crs_reason=reason,
            encoding=EncodingChoice("utf-8", Message(_("GeoJSON is UTF-8 (RFC 7946)"))),
            notes=notes,
        )]
