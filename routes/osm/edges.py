"""A network's ways cut into edges at their junctions: the locations that more than one
way (or the same way twice) passes through, and their ends; each junction named by its
location's key (``node_keys``), so the networks of two partners join where their ways
meet, even when cut from different extracts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from routes.metrics import geodesic_steps
from routes.osm.reader import Extract
from routes.osm.tags import access_of, oneway_of


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
    # Geodesic steps between consecutive points of a way (pyproj's in a tenth of its
    # time); an edge's length is their sum.
    step = geodesic_steps(coords[:, 0], coords[:, 1])
    step[last[:-1]] = 0.0
    walked = np.r_[0.0, np.cumsum(step)]
    sizes = b - a + 1
    points = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes - a, sizes)
    lines = shapely.linestrings(coords[points], indices=np.repeat(np.arange(len(a)), sizes))
    return Edges(idx[a], keys[a], keys[b], lines, walked[b] - walked[a])



@dataclass
class NetworkEdges:
    """The edges a network keeps, in the order they are written (their ids): each its
    way's id and index in the extract, its ends, length (m), line, the kind of its way
    (``Extract.kinds``), and who may use it in which direction."""

    way: np.ndarray
    way_id: np.ndarray
    source: np.ndarray
    target: np.ndarray
    length_m: np.ndarray
    lines: np.ndarray
    kind: np.ndarray
    walk: np.ndarray
    bike: np.ndarray
    car: np.ndarray
    oneway: np.ndarray
    bike_oneway: np.ndarray


def kept(extract: Extract, edges: Edges, keep: np.ndarray) -> NetworkEdges:
    """The edges at ``keep`` (indices into ``edges``), with their ways' access worked out
    once for each kind of way."""
    access = [access_of(tags) for tags in extract.kinds]
    directions = [oneway_of(tags) for tags in extract.kinds]
    way = edges.way[keep]
    kind = np.asarray(extract.kind, dtype=np.int64)[way]
    modes = np.array(access, dtype=bool).reshape(-1, 3)[kind]
    oneways = np.array(directions, dtype=np.int8).reshape(-1, 2)[kind]
    return NetworkEdges(
        way=way, way_id=np.asarray(extract.way_ids, dtype=np.int64)[way],
        source=edges.source[keep], target=edges.target[keep], length_m=edges.length_m[keep],
        lines=edges.lines[keep], kind=kind, walk=modes[:, 0], bike=modes[:, 1],
        car=modes[:, 2], oneway=oneways[:, 0], bike_oneway=oneways[:, 1])
