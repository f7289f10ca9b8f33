"""A partner's network of ways for routing, from an OpenStreetMap extract (``.osm.pbf``).

Read with pyosmium (libosmium): one pass over the file keeps the ways tagged
``highway`` that a walker, cyclist or driver may use, their lines built from their
nodes' locations; each way is cut where it shares a node with another kept way, so the
pieces (``RoadEdge``) meet at real junctions, each named by its location's key
(``node_keys``). Ways that do not come within ``margin_m`` of the partner's territory
are left out (whole ways are kept: a road that leaves the territory and comes back
still joins its two ends).

The file is read and checked whole before anything is written; the network is then
replaced in one transaction, its edges with COPY, so a failed import leaves the
partner's previous network as it was (decision 0011).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psycopg
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from geo.crs import WGS84
from geo.errors import Refused
from layers.models import Partner
from routes import queue
from routes.metrics import GEOD
from routes.models import PilotRoute, RoadEdge, RoadNetwork

MARGIN_M = 5000.0
"""Ways within this distance of the territory are kept: a leg between two stops near
the border may need a road just beyond it."""

# Who may use which kind of way when its tags say nothing more (OSM wiki, "OSM tags for
# routing/Access restrictions", the defaults most countries share).
WALK = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
        "service", "road", "track", "path", "footway", "pedestrian", "steps", "bridleway",
        "cycleway"}
BIKE = {"trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
        "service", "road", "track", "path", "cycleway"}
CAR = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
       "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
       "residential", "living_street", "service", "road"}
ROUTABLE = WALK | BIKE | CAR
YES = {"yes", "designated", "permissive", "official"}
NO = {"no", "private", "use_sidepath"}
BIKE_SAC_SCALES = {"hiking", "mountain_hiking"}
"""Beyond these (demanding mountain hiking and up) a path is no way for a bicycle."""
TAGS = ("highway", "name", "surface", "access", "foot", "bicycle", "sac_scale")


@dataclass
class Extract:
    """The routable ways of a file: for each, its id, the tags that matter and its line as
    WKB; a way with nodes missing from the file (a box clip) is kept in parts."""

    way_ids: list[int] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    wkb: list[bytes] = field(default_factory=list)
    data_date: dt.datetime | None = None
    cut_ways: int = 0


def _may(default: bool, *values: str) -> bool:
    """A mode's access from its default and the tags, most specific last."""
    allowed = default
    for value in values:
        if value in YES:
            allowed = True
        elif value in NO:
            allowed = False
    return allowed


def access_of(tags: dict[str, str]) -> tuple[bool, bool, bool]:
    """(walk, bike, car): who may use a way with these tags."""
    hw = tags.get("highway", "")
    access = tags.get("access", "")
    # Most countries allow walking on cycleways unless a foot tag says otherwise.
    foot_default = hw == "cycleway" or hw in WALK
    walk = _may(foot_default, access, tags.get("foot", ""))
    bike_default = hw in BIKE and (hw != "path" or tags.get("sac_scale", "hiking")
                                   in BIKE_SAC_SCALES)
    # A footway signed bicycle=yes is a way for bicycles: the most specific tag wins.
    bike = _may(bike_default, access, tags.get("vehicle", ""), tags.get("bicycle", ""))
    # Tags only take roads away from cars: a track "open to motor vehicles" is still no
    # way to send a visitor's car down (as routers' car profiles do).
    car = hw in CAR and _may(True, access, tags.get("vehicle", ""),
                             tags.get("motor_vehicle", ""), tags.get("motorcar", ""))
    if tags.get("area") == "yes":
        walk = bike = car = False  # a square's outline is no way along it
    return walk, bike, car


def oneway_of(tags: dict[str, str]) -> tuple[int, int]:
    """(oneway for vehicles, oneway for bicycles): 1 along the way, -1 against, 0 none."""
    value = tags.get("oneway", "")
    if value in {"yes", "true", "1"}:
        car = 1
    elif value in {"-1", "reverse"}:
        car = -1
    elif tags.get("junction") in {"roundabout", "circular"} or tags.get("highway") in {
            "motorway", "motorway_link"}:
        car = 1 if value != "no" else 0
    else:
        car = 0
    bike_value = tags.get("oneway:bicycle", "")
    bike = 0 if bike_value == "no" or tags.get("cycleway") in {"opposite", "opposite_lane",
                                                              "opposite_track"} else car
    if bike_value in {"yes", "1"}:
        bike = 1
    return car, bike


def _box(partner: Partner, margin_m: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = partner.boundary.extent
    lat = max(abs(y0), abs(y1))
    dx = margin_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.05))
    dy = margin_m / 110_540.0
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


READ_TAGS = ("highway", "name", "surface", "access", "foot", "bicycle", "sac_scale",
             "oneway", "oneway:bicycle", "junction", "cycleway", "vehicle", "motor_vehicle",
             "motorcar", "area")


def read(path: Path) -> Extract:
    """The routable ways of the PBF at ``path``.

    Raises ``Refused`` naming the file when it is not a PBF or is truncated."""
    import osmium  # its C++ core is loaded by imports, not by every web process

    out = Extract()
    # libosmium builds each line in C++ (WKBFactory): reading the nodes one by one in
    # Python was 5 times slower (docs/benchmarks.md).
    lines = osmium.geom.WKBFactory()
    try:
        reader = osmium.io.Reader(osmium.io.File(str(path), "pbf"),
                                  osmium.osm.osm_entity_bits.NOTHING)
        try:
            stamp = reader.header().get("osmosis_replication_timestamp")
        finally:
            reader.close()
        if stamp:
            out.data_date = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        processor = (osmium.FileProcessor(osmium.io.File(str(path), "pbf"),
                                          osmium.osm.NODE | osmium.osm.WAY)
                     .with_locations()
                     .with_filter(osmium.filter.KeyFilter("highway"))
                     .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)))
        for way in processor:
            if way.tags.get("highway") not in ROUTABLE:
                continue
            tags = {k: v for k in READ_TAGS if (v := way.tags.get(k)) is not None}
            assert isinstance(way, osmium.osm.Way)  # the entity filter lets ways only
            try:
                # libosmium writes hex; GEOS reads hex WKB some 10 times slower than the
                # bytes Python's fromhex makes of it (0.3 s against 0.03 s on Andorra).
                wkbs = [bytes.fromhex(lines.create_linestring(way))]
            except osmium.InvalidLocationError:
                wkbs = _parts(way)
                out.cut_ways += 1
            except RuntimeError:
                continue  # all its nodes at one place: no line to travel
            for wkb in wkbs:
                out.way_ids.append(way.id)
                out.tags.append(tags)
                out.wkb.append(wkb)
    except RuntimeError as exc:
        # libosmium's words ("PBF error: unexpected EOF", "invalid BlobHeader size")
        # say which of the two it is; the reader is told what that means for them.
        raise Refused(_("%(file)s is not a complete OpenStreetMap PBF file (%(error)s); "
                        "nothing was written") % {"file": path.name, "error": exc}) from None
    return out


def _parts(way: object) -> list[bytes]:
    """The runs of a way between its nodes missing from the file, as WKB lines."""
    runs: list[list[tuple[float, float]]] = [[]]
    for node in way.nodes:  # type: ignore[attr-defined]
        if node.location.valid():
            runs[-1].append((node.lon, node.lat))
        elif runs[-1]:
            runs.append([])
    return [shapely.to_wkb(shapely.linestrings(r)) for r in runs if len(set(r)) >= 2]


def node_keys(coords: np.ndarray) -> np.ndarray:
    """One integer per location, from OSM's own precision (1e-7 degree): a junction is a
    place where ways share a node, and so share this key, across files too."""
    fixed = np.round(coords * 1e7).astype(np.int64)
    return (fixed[:, 0] + 1_800_000_000) * 1_800_000_001 + (fixed[:, 1] + 900_000_000)


@dataclass
class Edges:
    way: np.ndarray  # index into the extract's ways, per edge
    source: np.ndarray
    target: np.ndarray
    lines: np.ndarray  # shapely LineStrings
    length_m: np.ndarray


def split(extract: Extract, box: tuple[float, float, float, float]) -> Edges:
    """Each way with a point in ``box`` cut at its junctions: the locations that more
    than one way (or the same way twice) passes through, and its ends."""
    geoms = shapely.from_wkb(extract.wkb)
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    x0, y0, x1, y1 = box
    inside = ((coords[:, 0] >= x0) & (coords[:, 0] <= x1) & (coords[:, 1] >= y0)
              & (coords[:, 1] <= y1))
    keep = np.isin(idx, np.unique(idx[inside]))
    coords, idx = coords[keep], idx[keep]
    if not len(coords):
        empty = np.zeros(0, dtype=np.int64)
        return Edges(empty, empty, empty, np.array([]), np.zeros(0))
    keys = node_keys(coords)
    first = np.r_[True, idx[1:] != idx[:-1]]
    last = np.r_[idx[1:] != idx[:-1], True]
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    vertex = (counts[inverse] > 1) | first | last
    at = np.flatnonzero(vertex)
    a, b = at[:-1], at[1:]
    same = (idx[a] == idx[b]) & ~last[a]
    a, b = a[same], b[same]
    # Geodesic steps between consecutive points of a way; an edge's length is their sum.
    _, _, step = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    step[last[:-1]] = 0.0
    walked = np.r_[0.0, np.cumsum(step)]
    sizes = b - a + 1
    points = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes - a, sizes)
    lines = shapely.linestrings(coords[points], indices=np.repeat(np.arange(len(a)), sizes))
    return Edges(idx[a], keys[a], keys[b], lines, walked[b] - walked[a])


_COPY_ESCAPES = str.maketrans({"\x00": "", "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """``value`` as a field of COPY's text format (its backslash, tab and line ends
    escaped: a name may hold any of them; PostgreSQL's text holds no NUL)."""
    return value.translate(_COPY_ESCAPES)


GRAPH_MODES = {"walk": 1, "bike": 2, "car": 4}
"""The bits of ``pack``'s ``modes``: who may use each edge."""
GRAPH_ARRAYS = ("source", "target", "length", "oneway", "bike_oneway", "modes", "way_id",
                "starts", "coords")
"""The arrays of ``RoadNetwork.graph``, in their order."""


def pack(way_of: list[int], sources: list[int], targets: list[int], lengths: list[float],
         lines: np.ndarray, per_way: dict[int, tuple[str, bool, bool, bool, int, int]],
         extract: Extract) -> bytes:
    """The network's edges as ``RoadNetwork.graph``: the ``GRAPH_ARRAYS`` one after the
    other in numpy's ``.npy`` format (read back with ``unpack``), in the order the edges
    are written (their ids): their ends, lengths, one-way directions, modes
    (``GRAPH_MODES``), way ids, and lines (``coords``, each line from ``starts[k]`` to
    ``starts[k + 1]``, in OSM's fixed point of 1e-7 degree: exact, and half the bytes)."""
    coords, index = shapely.get_coordinates(lines, return_index=True)
    ways = [per_way[w] for w in way_of]
    arrays = {
        "source": np.array(sources, dtype=np.int64),
        "target": np.array(targets, dtype=np.int64),
        "length": np.array(lengths, dtype=np.float64),
        "oneway": np.array([v[4] for v in ways], dtype=np.int8),
        "bike_oneway": np.array([v[5] for v in ways], dtype=np.int8),
        "modes": np.array([v[1] * 1 + v[2] * 2 + v[3] * 4 for v in ways], dtype=np.uint8),
        "way_id": np.array([extract.way_ids[w] for w in way_of], dtype=np.int64),
        "starts": np.r_[0, np.flatnonzero(np.diff(index)) + 1, len(coords)].astype(np.int64),
        "coords": np.round(coords * 1e7).astype(np.int32),
    }
    out = io.BytesIO()
    for name in GRAPH_ARRAYS:
        np.save(out, arrays[name], allow_pickle=False)
    return out.getvalue()


def unpack(blob: bytes) -> dict[str, np.ndarray]:
    """``pack``'s arrays back, ``coords`` in degrees (the same floats libosmium gave)."""
    f = io.BytesIO(blob)
    arrays = {name: np.load(f, allow_pickle=False) for name in GRAPH_ARRAYS}
    arrays["coords"] = arrays["coords"] / 1e7
    return arrays


@dataclass(frozen=True)
class ImportResult:
    network: RoadNetwork
    counts: dict[str, int]


def network_import(*, partner: Partner, path: Path, margin_m: float = MARGIN_M
                   ) -> ImportResult:
    """Replace ``partner``'s road network with the ways of the PBF at ``path`` within
    ``margin_m`` of its territory. Raises ``Refused`` naming the file (not a PBF,
    truncated, nothing within the territory); then nothing was written."""
    extract = read(path)
    edges = split(extract, _box(partner, margin_m))
    lines = edges.lines
    if len(lines):
        # In a local metric frame (metres east and north), where a buffer is a margin.
        lat = float(np.mean(partner.boundary.extent[1::2]))
        scale = np.array([111_320.0 * max(np.cos(np.radians(lat)), 0.05), 110_540.0])
        territory = shapely.transform(shape(json.loads(partner.boundary.geojson)),
                                      lambda xy: xy * scale).buffer(margin_m)
        # Back to degrees: scaling keeps what meets what, and the lines stay as they are.
        territory = shapely.transform(territory, lambda xy: xy / scale)
        shapely.prepare(territory)
        near = shapely.intersects(territory, lines)
    else:
        near = np.zeros(0, dtype=bool)
    if not near.any():
        raise Refused(_("%(file)s has no way that a walker, cyclist or driver may use within "
                        "%(km)s km of the territory of %(partner)s; nothing was written") % {
            "file": path.name, "km": round(margin_m / 1000, 1),
            "partner": partner.name or partner.slug})
    keep = np.flatnonzero(near)
    # COPY's text takes the lines as hex EWKB: GEOS writes it 4–8 times slower than
    # Python's hex() of the bytes it writes.
    hexes = [w.hex() for w in shapely.to_wkb(shapely.set_srid(lines[keep], WGS84),
                                             include_srid=True)]
    # The rows as COPY's text, written in one piece: row by row (psycopg's write_row)
    # was a tenth of the import (docs/benchmarks.md).
    lines_out: list[str] = []
    walks = bikes = cars = 0
    per_way: dict[int, tuple[str, bool, bool, bool, int, int]] = {}
    way_of = edges.way[keep].tolist()
    sources, targets = edges.source[keep].tolist(), edges.target[keep].tolist()
    lengths = edges.length_m[keep].tolist()
    for k, w in enumerate(way_of):
        if w not in per_way:
            tags = extract.tags[w]
            walk, bike, car = access_of(tags)
            values = [copy_text(tags.get(t, "")[:200 if t == "name" else 32]) for t in TAGS]
            oneway, bike_oneway = oneway_of(tags)
            per_way[w] = ("\t".join([*values, str(oneway), str(bike_oneway),
                                     *("t" if ok else "f" for ok in (walk, bike, car))]),
                          walk, bike, car, oneway, bike_oneway)
        text, walk, bike, car = per_way[w][:4]
        walks, bikes, cars = walks + walk, bikes + bike, cars + car
        lines_out.append(f"{extract.way_ids[w]}\t{sources[k]}\t{targets[k]}\t{hexes[k]}\t"
                         f"{lengths[k]!r}\t{text}")
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    counts = {"ways": len({extract.way_ids[w] for w in way_of}), "edges": len(lines_out),
              "walk": walks, "bike": bikes, "car": cars,
              "cut_ways": extract.cut_ways}
    with transaction.atomic():
        # Two imports for one partner at once: the second waits, then replaces the first.
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        RoadNetwork.objects.filter(partner=partner).delete()
        network = RoadNetwork.objects.create(
            partner=partner, file_name=path.name, sha256=digest.hexdigest(),
            data_date=extract.data_date, margin_m=margin_m, counts=counts)
        # Bound as binary on the server: Django's client-side binding sent the 1 MB as an
        # escaped literal in the query's text (0.1–0.3 s of the import).
        with psycopg.Cursor(connection.connection) as raw:
            raw.execute(f"UPDATE {RoadNetwork._meta.db_table} SET graph = %b WHERE id = %s",
                        [pack(way_of, sources, targets, lengths, lines[keep], per_way, extract),
                         network.pk])
        table = RoadEdge._meta.db_table
        columns = ("way_id", "source", "target", "geom", "length_m", *TAGS,
                   "oneway", "bike_oneway", "walk", "bike", "car", "network_id")
        end = f"\t{network.pk}\n"
        with connection.cursor() as cur, cur.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(end.join(lines_out) + end)
        # The partner's routes are routed again on the new network when this commits.
        queue.schedule(PilotRoute.objects.filter(partners=partner).values_list("pk", flat=True))
    return ImportResult(network=network, counts=counts)
