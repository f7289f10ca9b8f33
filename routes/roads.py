"""Legs along the partners' networks of paths and roads (``RoadEdge``, from OSM).

A mode's graph (walk, bike or car: who may use a way, and for bicycles and cars its
one-way direction) is built with rustworkx once per process from the networks of the
route's partners and kept until one of them is imported again (decision 0011 says why
not pgRouting, decision 0026 why rustworkx and not networkx: a fresh process's first
leg). Each stop joins the graph at the nearest point of the nearest way its mode may
use, within ``SNAP_M``; the way is entered there, in the directions it may be travelled.
"""

from __future__ import annotations

import gc
import itertools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import psycopg
import shapely
from django.db import connection

from routes.metrics import cumulative_distance
from routes.models import RoadEdge, RoadNetwork
from routes.network import project, split_at
from routes.osm import GRAPH_MODES, unpack
from routes.vocabulary import Mode, StraightReason

if TYPE_CHECKING:
    import rustworkx as rx

SNAP_M = {Mode.WALK: 1000.0, Mode.BIKE: 1000.0, Mode.CAR: 2000.0}
"""How far a stop may lie from a way of its mode and still be joined to it (metres):
farther, a line from the stop to the network would be a leg of its own."""


@dataclass
class RoadPath:
    coords: np.ndarray  # (lon, lat) rows from the first stop to the second
    access_m: tuple[float, float]  # from each stop to where it joins the network
    way_ids: list[int]


class Lines:
    """Each edge's coordinates, from its source to its target: views into one array
    (splitting it into 7,000 arrays took up to 95 ms of a cold leg)."""

    def __init__(self, coords: np.ndarray, starts: np.ndarray) -> None:
        self.coords = coords
        self.starts = starts  # of each line in coords, and the end of the last

    def __getitem__(self, k: int) -> np.ndarray:
        return self.coords[self.starts[k]:self.starts[k + 1]]

    def __len__(self) -> int:
        return len(self.starts) - 1


@dataclass
class Graph:
    graph: rx.PyDiGraph  # nodes 0…n-1 the junctions, then the two stops' (start, end)
    lines: Lines
    tree: shapely.STRtree  # of the edges, in a local metric frame
    scale: tuple[float, float]  # metres per degree of longitude and latitude there
    edge_ends: np.ndarray  # (source node, target node, oneway for this mode) of each edge
    way_ids: list[int]
    arcs: dict[int, int]  # the piece of way of each arc, by arc_key (see _build)
    start: int  # the node a search starts from, joined to the graph for that search only
    end: int

    def arc_key(self, u: int, v: int) -> int:
        return u * (self.end + 1) + v


_cache: dict[tuple, Graph] = {}
_lock = threading.Lock()


def networks_of(partner_ids: list[int]) -> list[tuple[int, str]]:
    """(network id, imported at) of the partners' networks."""
    # In SQL: the ORM's first query in a process costs some 20 ms of a cold leg.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, imported_at FROM {RoadNetwork._meta.db_table} "
                       "WHERE partner_id = ANY(%s) ORDER BY id", [list(partner_ids)])
        return [(pk, at.isoformat()) for pk, at in cursor.fetchall()]


@dataclass
class Edges:
    """A mode's edges, in the order of their ids."""

    source: np.ndarray
    target: np.ndarray
    length: np.ndarray
    oneway: np.ndarray  # for this mode
    way_id: np.ndarray
    coords: np.ndarray
    starts: np.ndarray  # each line from starts[k] to starts[k + 1] in coords


def _packed(network_ids: list[int], mode: str) -> Edges | None:
    """The edges from the networks' packed graphs (``routes.osm.pack``): one value each,
    no geometry through PostGIS. None when a network has none (imported before it)."""
    connection.ensure_connection()
    # In binary: as text the value comes as hex, twice its size, to be decoded.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"SELECT graph FROM {RoadNetwork._meta.db_table} "
                       "WHERE id = ANY(%s) ORDER BY id", [network_ids], binary=True)
        blobs = [r[0] for r in cursor.fetchall()]
    if not blobs or any(b is None for b in blobs):
        return None
    bit = GRAPH_MODES[str(Mode(mode))]
    one = {Mode.CAR: "oneway", Mode.BIKE: "bike_oneway"}.get(Mode(mode))
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("source", "target", "length",
                                                          "oneway", "way_id", "coords")}
    sizes = []
    for blob in blobs:
        npz = unpack(bytes(blob))
        keep = (npz["modes"] & bit) != 0
        size = np.diff(npz["starts"])
        for k in ("source", "target", "length", "way_id"):
            parts[k].append(npz[k][keep])
        parts["oneway"].append(npz[one][keep] if one else np.zeros(keep.sum(), np.int8))
        parts["coords"].append(npz["coords"][np.repeat(keep, size)])
        sizes.append(size[keep])
    joined = {k: np.concatenate(v) for k, v in parts.items()}
    return Edges(joined["source"], joined["target"], joined["length"], joined["oneway"],
                 joined["way_id"], joined["coords"],
                 starts=np.r_[0, np.cumsum(np.concatenate(sizes))])


def _from_table(network_ids: list[int], mode: str) -> Edges:
    """The edges, read from the table with their geometry (networks without a packed
    graph)."""
    table = RoadEdge._meta.db_table
    oneway = {Mode.CAR: "oneway", Mode.BIKE: "bike_oneway"}.get(Mode(mode), "0")
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT source, target, length_m, {oneway}, way_id, ST_AsBinary(geom)
            FROM {table} WHERE network_id = ANY(%s) AND {Mode(mode).value}
            ORDER BY id""", [network_ids])
        rows = cursor.fetchall()
    coords, index = shapely.get_coordinates(shapely.from_wkb([bytes(r[5]) for r in rows]),
                                            return_index=True)
    source, target, length, oneway_, way_id = (
        np.array([r[i] for r in rows], dtype=t) for i, t in enumerate(
            (np.int64, np.int64, np.float64, np.int8, np.int64)))
    return Edges(source, target, length, oneway_, way_id, coords.reshape(-1, 2),
                 starts=np.r_[0, np.flatnonzero(np.diff(index)) + 1, len(coords)])


def _build(network_ids: list[int], mode: str) -> Graph | None:
    # rustworkx's graph and search are in Rust: it loads in some 10 ms where networkx
    # took 90–450 ms, most of a fresh process's first leg (decision 0026).
    import rustworkx as rx

    e = _packed(network_ids, mode) or _from_table(network_ids, mode)
    if not len(e.source):
        return None
    # The graph's tens of thousands of small objects set off the collector's passes over
    # the whole process (25–100 ms of a fresh worker's first leg, 0.3–0.6 s after an
    # import); they hold no cycles, so nothing is missed by pausing it while they are made.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _assemble(e, rx)
    finally:
        if was_enabled:
            gc.enable()


def _assemble(e: Edges, rx: Any) -> Graph:
    coords = e.coords
    lines = Lines(coords, e.starts)
    lat = float(coords[:, 1].mean())
    scale = (111_320.0 * float(np.cos(np.radians(lat))), 110_540.0)
    scaled = shapely.linestrings(coords * scale,
                                 indices=np.repeat(np.arange(len(e.source)), np.diff(e.starts)))
    # The junctions' keys (OSM locations) become the graph's node indices 0…n-1.
    keys, nodes = np.unique(np.stack([e.source, e.target], axis=1), return_inverse=True)
    nodes = nodes.reshape(-1, 2)
    u, v = nodes[:, 0], nodes[:, 1]
    length, one = e.length, e.oneway
    # Arrays and int keys rather than tuples: 40,000 tuples made at once set off the
    # garbage collector's full passes over the whole process (0.3–0.6 s after an import).
    ends = np.stack([u, v, one], axis=1)
    k = np.arange(1, len(e.source) + 1)
    fw, bw = one >= 0, one <= 0
    # An arc's piece of way: +k travelled along its line, -k against it (k from 1).
    tails = np.concatenate([u[fw], v[bw]])
    heads = np.concatenate([v[fw], u[bw]])
    weights = np.concatenate([length[fw], length[bw]])
    pieces = np.concatenate([k[fw], -k[bw]])
    # Two pieces of way between the same junctions: the shorter one, added last, stays.
    order = np.argsort(-weights, kind="stable")
    tails, heads, weights, pieces = (a[order].tolist() for a in (tails, heads, weights, pieces))
    arcs = dict(zip((np.array(tails) * (len(keys) + 2) + np.array(heads)).tolist(), pieces,
                    strict=True))
    graph = rx.PyDiGraph(multigraph=False)  # a pair's weight given again replaces it
    graph.add_nodes_from(range(len(keys) + 2))
    graph.extend_from_weighted_edge_list(list(zip(tails, heads, weights, strict=True)))
    return Graph(graph, lines, shapely.STRtree(scaled), scale, ends, e.way_id.tolist(), arcs,
                 start=len(keys), end=len(keys) + 1)


def graph_for(partner_ids: list[int], mode: str) -> Graph | None:
    """The mode's graph over the partners' networks, None when they have none."""
    networks = networks_of(partner_ids)
    if not networks:
        return None
    key = (tuple(networks), str(mode))
    with _lock:
        if key not in _cache:
            for old in [k for k in _cache if k[1] == str(mode) and
                        {n for n, _ in k[0]} == {n for n, _ in networks}]:
                del _cache[old]  # the same networks, imported again since
            built = _build([n for n, _ in networks], mode)
            if built is None:
                return None
            _cache[key] = built
        return _cache[key]


def _snap(g: Graph, point: tuple[float, float], limit: float) -> tuple[int, float, int, float,
                                                                       np.ndarray] | None:
    """(edge, metres to it, segment index, fraction of that segment, point on it)."""
    p = shapely.points(point[0] * g.scale[0], point[1] * g.scale[1])
    found = g.tree.query_nearest(p, max_distance=limit, return_distance=False)
    best = None
    for k in np.atleast_1d(found):
        d, i, t, at = project(g.lines[int(k)], point)
        if d <= limit and (best is None or d < best[1]):
            best = (int(k), d, i, t, at)
    return best


def shortest_road_path(*, partner_ids: list[int], mode: str, start: tuple[float, float],
                       end: tuple[float, float]) -> RoadPath | StraightReason:
    """The shortest way from ``start`` to ``end`` (lon, lat) along the ways ``mode`` may
    use in the partners' networks, or the reason there is none."""
    import rustworkx as rx

    g = graph_for(partner_ids, mode)
    if g is None:
        return StraightReason.NO_NETWORK
    limit = SNAP_M.get(Mode(mode), 1000.0)
    a, b = _snap(g, start, limit), _snap(g, end, limit)
    if a is None or b is None:
        return StraightReason.TOO_FAR
    with _lock:  # the stops' arcs are added to the shared graph for this search only
        joins = _attach(g, a, b)
        try:
            found = rx.digraph_dijkstra_shortest_paths(g.graph, g.start, target=g.end,
                                                       weight_fn=float)
        finally:
            for arc in joins.values():
                g.graph.remove_edge_from_index(arc[0])
        if g.end not in found:
            return StraightReason.NOT_JOINED
        chunks, ways = _walk(g, list(found[g.end]), joins)
    body = np.vstack(chunks)
    rows = [np.array([start]), body, np.array([end])]
    coords = np.vstack([r for r in rows if len(r)])
    coords = coords[np.r_[True, np.any(np.diff(coords, axis=0) != 0, axis=1)]]
    return RoadPath(coords, (a[1], b[1]), ways)


def _attach(g: Graph, a: tuple, b: tuple) -> dict[tuple[int, int], tuple[int, np.ndarray]]:
    """Join the start node at ``a`` and the end node at ``b`` to the ends of the edges they
    lie on; the index and line of each arc added."""
    joins: dict[tuple[int, int], tuple[int, np.ndarray]] = {}
    START, END = g.start, g.end

    def link(u: int, v: int, coords: np.ndarray) -> None:
        if len(coords) >= 2:
            length = float(cumulative_distance(coords)[-1])
            if (u, v) in joins:  # a loop's two ends are one node: the last joined stays
                g.graph.remove_edge_from_index(joins.pop((u, v))[0])
            joins[(u, v)] = (g.graph.add_edge(u, v, length), coords)

    for node, (k, _d, i, t, at) in ((START, a), (END, b)):
        source, target, one = map(int, g.edge_ends[k])
        head, tail = split_at(g.lines[k], i, t, at)  # source..at, at..target
        if node == START:
            if one >= 0:
                link(START, target, tail)
            if one <= 0:
                link(START, source, head[::-1])
        else:
            if one >= 0:
                link(source, END, head)
            if one <= 0:
                link(target, END, tail[::-1])
    if a[0] == b[0]:  # both stops on one edge: along it, if its direction allows
        k, (_, _, i1, t1, at1), (_, _, i2, t2, at2) = a[0], a, b
        one = int(g.edge_ends[k][2])
        line = g.lines[k]
        forward = (i1, t1) <= (i2, t2)
        if (forward and one >= 0) or (not forward and one <= 0):
            lo, hi = ((i1, t1, at1), (i2, t2, at2)) if forward else ((i2, t2, at2),
                                                                       (i1, t1, at1))
            part = np.vstack([lo[2], line[lo[0] + 1: hi[0] + 1], hi[2]])
            link(START, END, part if forward else part[::-1])
    return joins


def _walk(g: Graph, nodes: list[int], joins: dict[tuple[int, int], tuple[int, np.ndarray]]
          ) -> tuple[list[np.ndarray], list[int]]:
    chunks: list[np.ndarray] = []
    ways: list[int] = []
    for u, v in itertools.pairwise(nodes):
        if (u, v) in joins:
            coords = joins[(u, v)][1]
        else:
            piece = g.arcs[g.arc_key(u, v)]
            line = g.lines[abs(piece) - 1]
            coords = line if piece > 0 else line[::-1]
            way = g.way_ids[abs(piece) - 1]
            if way not in ways:
                ways.append(way)
        chunks.append(coords if not chunks else coords[1:])
    return chunks, ways
