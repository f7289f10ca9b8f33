"""A partner's network of ways for routing, from an OpenStreetMap extract (``.osm.pbf``).

Read with pyosmium (libosmium): one pass over the file keeps the ways tagged
``highway`` that a walker, cyclist or driver may use, with their nodes' locations;
each way is cut at the nodes it shares with another kept way, so the pieces
(``RoadEdge``) meet at real junctions, named by their OSM node ids. Ways that do not
come within ``margin_m`` of the partner's territory are left out (whole ways are kept:
a road that leaves the territory and comes back still joins its two ends).

The file is read and checked whole before anything is written; the network is then
replaced in one transaction, its edges with COPY, so a failed import leaves the
partner's previous network as it was (decision 0011).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from geo.crs import WGS84
from geo.errors import Refused
from layers.models import Partner
from routes.metrics import GEOD
from routes import queue
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
class Way:
    id: int
    tags: dict[str, str]
    nodes: list[int]
    coords: list[tuple[float, float]]


@dataclass
class Extract:
    ways: list[Way] = field(default_factory=list)
    data_date: dt.datetime | None = None
    cut_ways: int = 0  # ways with nodes missing from the file (a box clip), kept in parts


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
    if hw == "cycleway" and tags.get("foot", "") == "":
        foot_default = True  # most countries allow walking on cycleways
    else:
        foot_default = hw in WALK
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


def read(path: Path, box: tuple[float, float, float, float]) -> Extract:
    """The routable ways of the PBF at ``path`` with a node in ``box`` (lon/lat).

    Raises ``Refused`` naming the file when it is not a PBF or is truncated."""
    import osmium  # its C++ core is loaded by imports, not by every web process

    out = Extract()
    try:
        reader = osmium.io.Reader(osmium.io.File(str(path), "pbf"),
                                  osmium.osm.osm_entity_bits.NOTHING)
        try:
            header = reader.header()
            stamp = header.get("osmosis_replication_timestamp")
        finally:
            reader.close()
        if stamp:
            out.data_date = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        x0, y0, x1, y1 = box
        processor = (osmium.FileProcessor(osmium.io.File(str(path), "pbf"),
                                          osmium.osm.NODE | osmium.osm.WAY)
                     .with_locations()
                     .with_filter(osmium.filter.KeyFilter("highway"))
                     .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)))
        for way in processor:
            tags = {k: v for k, v in way.tags}
            if tags.get("highway") not in ROUTABLE:
                continue
            runs: list[tuple[list[int], list[tuple[float, float]]]] = [([], [])]
            inside = False
            for node in way.nodes:
                loc = node.location
                if not loc.valid():
                    if runs[-1][0]:
                        runs.append(([], []))
                    continue
                lon, lat = loc.lon, loc.lat
                inside = inside or (x0 <= lon <= x1 and y0 <= lat <= y1)
                runs[-1][0].append(node.ref)
                runs[-1][1].append((lon, lat))
            if not inside:
                continue
            kept = [r for r in runs if len(r[0]) >= 2]
            if len(kept) != 1 or len(kept[0][0]) != len(way.nodes):
                out.cut_ways += 1
            for nodes, coords in kept:
                out.ways.append(Way(way.id, tags, nodes, coords))
    except RuntimeError as exc:
        # libosmium's words ("PBF error: unexpected EOF", "invalid BlobHeader size")
        # say which of the two it is; the reader is told what that means for them.
        raise Refused(_("%(file)s is not a complete OpenStreetMap PBF file (%(error)s); "
                        "nothing was written") % {"file": path.name, "error": exc}) from None
    return out


@dataclass
class Edges:
    way_ids: list[int] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    coords: list[np.ndarray] = field(default_factory=list)
    ways: list[Way] = field(default_factory=list)


def split(ways: list[Way]) -> Edges:
    """Each way cut at its junctions: the nodes that more than one way (or the same way
    twice) passes through."""
    uses: Counter[int] = Counter()
    for w in ways:
        uses.update(w.nodes)
        uses[w.nodes[0]] += 1  # ends are vertices even where no other way meets them
        uses[w.nodes[-1]] += 1
    out = Edges()
    for w in ways:
        start = 0
        for i in range(1, len(w.nodes)):
            if uses[w.nodes[i]] > 1 or i == len(w.nodes) - 1:
                if w.nodes[i] != w.nodes[start] or i - start >= 2:
                    out.way_ids.append(w.id)
                    out.sources.append(w.nodes[start])
                    out.targets.append(w.nodes[i])
                    out.coords.append(np.array(w.coords[start:i + 1]))
                    out.ways.append(w)
                start = i
    return out


def _lengths(parts: list[np.ndarray]) -> np.ndarray:
    """Geodesic length of each line (metres), in one call to the ellipsoid."""
    if not parts:
        return np.zeros(0)
    counts = np.array([len(p) for p in parts])
    xy = np.vstack(parts)
    _, _, d = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    d = np.append(d, 0.0)
    ends = np.cumsum(counts)
    d[ends - 1] = 0.0  # the step from one line's last point to the next line's first
    return np.add.reduceat(d, np.concatenate([[0], ends[:-1]]))


@dataclass(frozen=True)
class ImportResult:
    network: RoadNetwork
    counts: dict[str, int]


def network_import(*, partner: Partner, path: Path, margin_m: float = MARGIN_M
                   ) -> ImportResult:
    """Replace ``partner``'s road network with the ways of the PBF at ``path`` within
    ``margin_m`` of its territory. Raises ``Refused`` naming the file (not a PBF,
    truncated, nothing within the territory); then nothing was written."""
    extract = read(path, _box(partner, margin_m))
    edges = split(extract.ways)
    if edges.coords:
        counts = [len(c) for c in edges.coords]
        lines = shapely.linestrings(np.vstack(edges.coords),
                                    indices=np.repeat(np.arange(len(counts)), counts))
    else:
        lines = np.array([])
    if len(lines):
        # In a local metric frame (metres east and north), where a buffer is a margin.
        lat = float(np.mean(partner.boundary.extent[1::2]))
        scale = np.array([111_320.0 * max(np.cos(np.radians(lat)), 0.05), 110_540.0])
        territory = shapely.transform(shape(json.loads(partner.boundary.geojson)),
                                      lambda xy: xy * scale).buffer(margin_m)
        shapely.prepare(territory)
        near = shapely.intersects(territory, shapely.transform(lines, lambda xy: xy * scale))
    else:
        near = np.zeros(0, dtype=bool)
    if not near.any():
        raise Refused(_("%(file)s has no way that a walker, cyclist or driver may use within "
                        "%(km)s km of the territory of %(partner)s; nothing was written") % {
            "file": path.name, "km": round(margin_m / 1000, 1),
            "partner": partner.name or partner.slug})
    keep = np.flatnonzero(near)
    lengths = _lengths([edges.coords[i] for i in keep])
    hexes = shapely.to_wkb(shapely.set_srid(lines[keep], WGS84), hex=True, include_srid=True)
    rows = []
    modes = Counter[str]()
    for k, i in enumerate(keep):
        w = edges.ways[i]
        walk, bike, car = access_of(w.tags)
        oneway, bike_oneway = oneway_of(w.tags)
        modes.update(m for m, ok in (("walk", walk), ("bike", bike), ("car", car)) if ok)
        rows.append((edges.way_ids[i], edges.sources[i], edges.targets[i], hexes[k],
                     float(lengths[k]), *(w.tags.get(t, "")[:200 if t == "name" else 32]
                                          for t in TAGS),
                     oneway, bike_oneway, walk, bike, car))
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    counts = {"ways": len({edges.way_ids[i] for i in keep}), "edges": len(rows),
              "walk": modes["walk"], "bike": modes["bike"], "car": modes["car"],
              "cut_ways": extract.cut_ways}
    with transaction.atomic():
        RoadNetwork.objects.filter(partner=partner).delete()
        network = RoadNetwork.objects.create(
            partner=partner, file_name=path.name, sha256=digest.hexdigest(),
            data_date=extract.data_date, margin_m=margin_m, counts=counts)
        table = RoadEdge._meta.db_table
        columns = ("network_id", "way_id", "source", "target", "geom", "length_m", *TAGS,
                   "oneway", "bike_oneway", "walk", "bike", "car")
        with connection.cursor() as cur, cur.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((network.pk, *row))
        # The partner's routes are routed again on the new network when this commits.
        queue.schedule(PilotRoute.objects.filter(partners=partner).values_list("pk", flat=True))
    return ImportResult(network=network, counts=counts)
