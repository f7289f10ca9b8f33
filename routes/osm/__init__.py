"""A partner's network of ways for routing, from an OpenStreetMap extract (``.osm.pbf``).

- ``pbf``: the file's framing checked whole first (not a PBF, truncated, a block larger
  than the format allows: a decompression bomb), and its checksum;
- ``reader``: read with pyosmium (libosmium), one pass over the file keeps the ways
  tagged ``highway`` that a walker, cyclist or driver may use (``tags``), their lines
  built from their nodes' locations;
- ``edges``: each way cut where it shares a node with another kept way, so the pieces
  (``RoadEdge``) meet at real junctions, each named by its location's key
  (``node_keys``); ways that do not come within ``margin_m`` of the partner's territory
  are left out (whole ways are kept: a road that leaves the territory and comes back
  still joins its two ends);
- ``graph`` and ``rows``: the edges packed for routing (``RoadNetwork.graph``) and as
  one binary COPY;
- ``importing``: ``network_import``. The file is read and checked whole before anything
  is written; the network is then replaced in one transaction, so a failed import
  leaves the partner's previous network as it was (decision 0011).
"""

from routes.osm.edges import Edges, NetworkEdges, kept, node_keys, split
from routes.osm.graph import GRAPH_ARRAYS, GRAPH_MODES, pack, unpack
from routes.osm.importing import MARGIN_M, ImportResult, network_import
from routes.osm.reader import Extract, read
from routes.osm.tags import BIKE, CAR, ROUTABLE, TAGS, WALK, access_of, oneway_of

__all__ = ["BIKE", "CAR", "GRAPH_ARRAYS", "GRAPH_MODES", "MARGIN_M", "ROUTABLE", "TAGS",
           "WALK", "Edges", "Extract", "ImportResult", "NetworkEdges", "access_of", "kept",
           "network_import", "node_keys", "oneway_of", "pack", "read", "split", "unpack"]
