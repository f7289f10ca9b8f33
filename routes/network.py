"""Walking and cycling legs that follow the partners' trail network.

The network is built on demand from the public trails near the two stops:
PostGIS nodes the lines where they cross (``ST_Node``, Z kept), trail ends that
stop short of another trail within ``JOIN_M`` are joined to it, and a shortest
path by geodesic length is searched with networkx. Each stop is attached to the
network at the nearest point of the nearest trail, if that is within
``ACCESS_M``; otherwise there is no path and the leg stays a straight line,
marked as such.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from django.db import connection

from geo.crs import WGS84
from layers.vocabulary import Visibility
from routes.metrics import GEOD, cumulative_distance

if TYPE_CHECKING:
    import networkx as nx

ACCESS_M = 1500.0
"""How far a stop may lie from a trail and still be joined to it (metres)."""
JOIN_M = 25.0
"""Trail ends closer than this to another trail are joined to it (GPS tracks of the
same junction rarely meet exactly)."""
CONNECTOR_MIN_M = 10.0
"""From a stop to its trail, a straight connector is drawn when longer than this."""
SEARCH_MARGIN_M = 5000.0


@dataclass
class Path:
    coords: np.ndarray  # (lon, lat, z) rows, from the first stop to the second
    access_m: tuple[float, float]  # stop-to-trail distances at each end
    trail_ids: list[int]


def _metres(lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and latitude near ``lat`` (to compare distances)."""
    return 111_320.0 * np.cos(np.radians(lat)), 110_540.0


def _network_lines(partner_ids: list[int], a: tuple[float, float],
                   b: tuple[float, float]) -> list[tuple[np.ndarray, int]]:
    """The noded trail lines (lon, lat, z) near the two stops, with the trail they are from."""
    lat = (a[1] + b[1]) / 2
    mx, my = _metres(lat)
    pad_x, pad_y = SEARCH_MARGIN_M / mx, SEARCH_MARGIN_M / my
    box = (min(a[0], b[0]) - pad_x, min(a[1], b[1]) - pad_y,
           max(a[0], b[0]) + pad_x, max(a[1], b[1]) + pad_y)
    sql = f"""
        WITH lines AS (
            SELECT t.id, ST_NDims(t.geom) AS ndims, ST_Force3D((ST_Dump(t.geom)).geom) AS g
            FROM layers_trail t JOIN layers_layer l ON l.id = t.layer_id
            WHERE l.partner_id = ANY(%s) AND l.visibility = '{Visibility.PUBLIC}'
              AND t.retired_at IS NULL
              AND t.geom && ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})),
        noded AS (SELECT (ST_Dump(ST_Node(ST_Collect(g)))).geom AS seg FROM lines)
        SELECT ST_AsBinary(n.seg), src.id, src.ndims, ST_AsBinary(src.g)
        FROM noded n CROSS JOIN LATERAL (
            SELECT id, ndims, g FROM lines
            ORDER BY ST_Distance(lines.g, ST_LineInterpolatePoint(ST_Force2D(n.seg), 0.5))
            LIMIT 1) src
        WHERE ST_NPoints(n.seg) >= 2
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [partner_ids, *box])
        rows = cursor.fetchall()
    out = []
    for wkb, trail_id, ndims, source_wkb in rows:
        coords = shapely.get_coordinates(shapely.from_wkb(bytes(wkb)), include_z=True)
        if ndims < 3:  # ST_Force3D's zeros are not elevations
            coords[:, 2] = np.nan
        else:
            _own_elevations(coords, shapely.get_coordinates(
                shapely.from_wkb(bytes(source_wkb)), include_z=True))
        if len(coords) >= 2:
            out.append((coords, trail_id))
    return out


def _own_elevations(coords: np.ndarray, source: np.ndarray) -> None:
    """Give each vertex of a noded piece the elevation of its own trail.

    Where two trails cross, GEOS gives the new node the mean of both trails' Z (and 0
    stands for "none" on a trail without elevation): the node's Z is taken again from
    the trail the piece belongs to, interpolated along it.
    """
    known = {_key(c): c[2] for c in source}
    for i, c in enumerate(coords):
        z = known.get(_key(c))
        if z is None:
            z = project(source, (c[0], c[1]))[3][2]
        coords[i, 2] = z


def _key(xy: np.ndarray | tuple[float, ...]) -> tuple[float, float]:
    return (round(float(xy[0]), 7), round(float(xy[1]), 7))


def project(coords: np.ndarray, point: tuple[float, float]) -> tuple[float, int, float,
                                                                       np.ndarray]:
    """(distance in metres, segment index, fraction along it, projected point with z)."""
    mx, my = _metres(point[1])
    p = np.array([point[0] * mx, point[1] * my])
    xy = coords[:, :2] * [mx, my]
    a, b = xy[:-1], xy[1:]
    ab = b - a
    denom = np.maximum((ab**2).sum(axis=1), 1e-12)
    t = np.clip(((p - a) * ab).sum(axis=1) / denom, 0, 1)
    proj = a + ab * t[:, None]
    d = np.hypot(*(proj - p).T)
    i = int(np.argmin(d))
    at = coords[i] + (coords[i + 1] - coords[i]) * t[i]
    return float(d[i]), i, float(t[i]), at


def split_at(coords: np.ndarray, i: int, t: float, at: np.ndarray) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    head = np.vstack([coords[: i + 1], at])
    tail = np.vstack([at, coords[i + 1:]])
    return head, tail


def shortest_path(*, partner_ids: list[int], start: tuple[float, float],
                  end: tuple[float, float]) -> Path | None:
    """The shortest way along the partners' public trails from ``start`` to ``end``
    (lon, lat), or None when either stop is too far from a trail or the trails do not
    connect them."""
    # networkx (some 11 MB) is loaded by the first route that needs it, not by every
    # process that loads the routes app (web workers, imports).
    import networkx as nx

    lines = _network_lines(partner_ids, start, end)
    if not lines:
        return None
    graph = nx.Graph()

    def add(coords: np.ndarray, trail_id: int | None) -> None:
        u, v = _key(coords[0]), _key(coords[-1])
        if u == v and len(coords) < 3:
            return
        length = float(cumulative_distance(coords)[-1])
        if graph.has_edge(u, v) and graph[u][v]["length"] <= length:
            return  # parallel ways between two junctions: keep the shorter
        graph.add_edge(u, v, length=length, coords=coords, start=u, trail=trail_id)

    # Attach the stops first: the lines they sit on are split where they join them.
    stops = {}
    for name, point in (("start", start), ("end", end)):
        best = min(((project(c, point), n) for n, (c, _t) in enumerate(lines)),
                   key=lambda item: item[0][0])
        (dist, i, t, at), n = best
        if dist > ACCESS_M:
            return None
        stops[name] = (dist, n, i, t, at)
    pieces: dict[int, list[tuple[np.ndarray, int]]] = {}
    for n, (coords, trail_id) in enumerate(lines):
        cuts = sorted(((i, t, at) for _d, m, i, t, at in stops.values() if m == n),
                      key=lambda c: (c[0], c[1]))
        parts = [coords]
        for i, t, at in reversed(cuts):  # from the far end, so indices stay valid
            first = parts.pop(0)
            head, tail = split_at(first, i, t, at)
            parts = [head, tail, *parts]
        pieces[n] = [(p, trail_id) for p in parts if len(p) >= 2]
    for kept in pieces.values():
        for coords, trail_id in kept:
            add(coords, trail_id)
    _join_dangling_ends(graph)
    source, target = _key(stops["start"][4]), _key(stops["end"][4])
    if source == target:
        return None
    try:
        nodes = nx.shortest_path(graph, source, target, weight="length")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    chunks: list[np.ndarray] = []
    trails: list[int] = []
    for u, v in itertools.pairwise(nodes):
        edge = graph[u][v]
        coords = edge["coords"] if edge["start"] == u else edge["coords"][::-1]
        chunks.append(coords if not chunks else coords[1:])
        if edge["trail"] is not None and edge["trail"] not in trails:
            trails.append(edge["trail"])
    body = np.vstack(chunks)
    lead_in = _connector(start, body[0])
    lead_out = _connector(end, body[-1])
    if lead_in is not None:
        body = np.vstack([lead_in, body])
    if lead_out is not None:
        body = np.vstack([body, lead_out])
    return Path(body, (stops["start"][0], stops["end"][0]), trails)


def _connector(stop: tuple[float, float], at: np.ndarray) -> np.ndarray | None:
    _, _, d = GEOD.inv(stop[0], stop[1], at[0], at[1])
    if d < CONNECTOR_MIN_M:
        return None
    # The stop is taken at the elevation of the trail where it is joined.
    return np.array([[stop[0], stop[1], at[2]]])


def _join_dangling_ends(graph: nx.Graph) -> None:
    """Connect each dead end to the nearest other node within ``JOIN_M``."""
    nodes = list(graph.nodes)
    if len(nodes) < 2:
        return
    xy = np.array(nodes)
    mx, my = _metres(float(xy[:, 1].mean()))
    scaled = xy * [mx, my]
    tree = shapely.STRtree(shapely.points(scaled))
    for k, node in enumerate(nodes):
        if graph.degree(node) != 1:
            continue
        near = tree.query(shapely.points(scaled[k]).buffer(JOIN_M))
        best, best_d = None, JOIN_M
        for j in near:
            if j == k or graph.has_edge(node, nodes[j]):
                continue
            d = float(np.hypot(*(scaled[j] - scaled[k])))
            if d <= best_d:
                best, best_d = nodes[j], d
        if best is not None:
            za = _z_of(graph, node)
            zb = _z_of(graph, best)
            coords = np.array([[node[0], node[1], za], [best[0], best[1], zb]])
            graph.add_edge(node, best, length=best_d, coords=coords, start=node, trail=None)


def _z_of(graph: nx.Graph, node: tuple[float, float]) -> float:
    for _u, _v, data in graph.edges(node, data=True):
        c = data["coords"]
        return float(c[0][2] if data["start"] == node else c[-1][2])
    return float("nan")
