"""A network's edges packed for routing (``RoadNetwork.graph``): numpy arrays, read back
by ``routes.roads`` in one value instead of a query over the edges (decision 0026)."""

from __future__ import annotations

import io

import numpy as np
import shapely

from routes.osm.edges import NetworkEdges

GRAPH_MODES = {"walk": 1, "bike": 2, "car": 4}
"""The bits of ``pack``'s ``modes``: who may use each edge."""
GRAPH_ARRAYS = ("source", "target", "length", "oneway", "bike_oneway", "modes", "way_id",
                "starts", "coords")
"""The arrays of ``RoadNetwork.graph``, in their order."""


def pack(edges: NetworkEdges) -> bytes:
    """The network's edges as ``RoadNetwork.graph``: the ``GRAPH_ARRAYS`` one after the
    other in numpy's ``.npy`` format (read back with ``unpack``), in the order the edges
    are written (their ids): their ends, lengths, one-way directions, modes
    (``GRAPH_MODES``), way ids, and lines (``coords``, each line from ``starts[k]`` to
    ``starts[k + 1]``, in OSM's fixed point of 1e-7 degree: exact, and half the bytes)."""
    coords, index = shapely.get_coordinates(edges.lines, return_index=True)
    modes = (edges.walk * GRAPH_MODES["walk"] + edges.bike * GRAPH_MODES["bike"]
             + edges.car * GRAPH_MODES["car"])
    arrays = {
        "source": edges.source.astype(np.int64),
        "target": edges.target.astype(np.int64),
        "length": edges.length_m.astype(np.float64),
        "oneway": edges.oneway.astype(np.int8),
        "bike_oneway": edges.bike_oneway.astype(np.int8),
        "modes": modes.astype(np.uint8),
        "way_id": edges.way_id.astype(np.int64),
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

