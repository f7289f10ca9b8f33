"""A network's edges as the rows of one binary COPY into ``RoadEdge``'s table.

Binary, not text: the lines go as the EWKB GEOS writes (PostGIS reads it as is; text
would take them in hex, made in Python and parsed again on the server), the numbers as
they are in memory. Each row is three pieces joined once for all rows: its fixed-width
fields from one numpy record array, its line, and the fields of its way, made once per
way (its name) and once per kind of way (the other tags and who may use it)."""

from __future__ import annotations

import struct
from typing import cast

import numpy as np
import shapely

from geo.crs import WGS84
from routes.osm.edges import NetworkEdges
from routes.osm.reader import Extract
from routes.osm.tags import TAGS

KIND_TEXT = tuple(t for t in TAGS if t != "name")
KIND_COLUMNS = (*KIND_TEXT, "oneway", "bike_oneway", "walk", "bike", "car")
COLUMNS = ("way_id", "source", "target", "length_m", "network_id", "geom", *KIND_COLUMNS,
           "name")
"""The table's columns in the order each row gives them."""

# The fixed-width start of a row: the count of its fields, then each field's length
# and value (PostgreSQL's binary COPY, big-endian), up to the length of its line.
_HEAD = np.dtype([("fields", ">i2"), ("n0", ">i4"), ("way_id", ">i8"), ("n1", ">i4"),
                  ("source", ">i8"), ("n2", ">i4"), ("target", ">i8"), ("n3", ">i4"),
                  ("length_m", ">f8"), ("n4", ">i4"), ("network_id", ">i8"),
                  ("geom", ">i4")])
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # no OIDs, no extension
_TRAILER = struct.pack(">h", -1)
_BOOL = {True: struct.pack(">ib", 1, 1), False: struct.pack(">ib", 1, 0)}
NAME_MAX = 200
TAG_MAX = 32


def _text(value: str, most: int) -> bytes:
    """A text field: its length and UTF-8 (PostgreSQL's text holds no NUL)."""
    data = value[:most].replace("\x00", "").encode()
    return struct.pack(">i", len(data)) + data


def _kind_fields(tags: dict[str, str], walk: bool, bike: bool, car: bool, oneway: int,
                 bike_oneway: int) -> bytes:
    return b"".join([*(_text(tags.get(t, ""), TAG_MAX) for t in KIND_TEXT),
                     struct.pack(">ihih", 2, oneway, 2, bike_oneway),
                     _BOOL[walk], _BOOL[bike], _BOOL[car]])


def copy_rows(edges: NetworkEdges, extract: Extract, network_id: int) -> bytes:
    """The whole of a binary COPY of ``edges`` into ``network_id``, for the ``COLUMNS``."""
    n = len(edges.way)
    lines = shapely.to_wkb(shapely.set_srid(edges.lines, WGS84), include_srid=True)
    head = np.zeros(n, _HEAD)
    head["fields"] = len(COLUMNS)
    for length in ("n0", "n1", "n2", "n3", "n4"):
        head[length] = 8
    head["way_id"], head["source"], head["target"] = edges.way_id, edges.source, edges.target
    head["length_m"], head["network_id"] = edges.length_m, network_id
    head["geom"] = np.fromiter(map(len, lines), dtype=np.int64, count=n)
    kinds: dict[int, bytes] = {}
    for k, at in zip(*np.unique(edges.kind, return_index=True), strict=True):
        kinds[int(k)] = _kind_fields(extract.kinds[k], bool(edges.walk[at]),
                                     bool(edges.bike[at]), bool(edges.car[at]),
                                     int(edges.oneway[at]), int(edges.bike_oneway[at]))
    names: dict[str, bytes] = {}
    named = []
    for w in edges.way.tolist():
        name = extract.names[w]
        field = names.get(name)
        if field is None:
            field = names[name] = _text(name, NAME_MAX)
        named.append(field)
    parts: list[bytes] = [b""] * (4 * n)
    # A void view's items are each record's bytes, NULs and all.
    parts[0::4] = cast(list[bytes], head.view(np.dtype((np.void, _HEAD.itemsize))).tolist())
    parts[1::4] = lines.tolist()
    parts[2::4] = [kinds[k] for k in edges.kind.tolist()]
    parts[3::4] = named
    return b"".join([_SIGNATURE, *parts, _TRAILER])
