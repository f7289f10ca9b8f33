"""``network_import``: a partner's network replaced by the ways of a PBF file near its
territory (the package's docstring says how)."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psycopg
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext as _
from shapely.geometry import shape

from geo.errors import Refused
from layers.models import Partner
from routes import queue
from routes.models import PilotRoute, RoadEdge, RoadNetwork
from routes.osm import pbf
from routes.osm.edges import kept, split
from routes.osm.graph import pack
from routes.osm.reader import read
from routes.osm.rows import COLUMNS, copy_rows

MARGIN_M = 5000.0
"""Ways within this distance of the territory are kept: a leg between two stops near
the border may need a road just beyond it."""


def _box(partner: Partner, margin_m: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = partner.boundary.extent
    lat = max(abs(y0), abs(y1))
    dx = margin_m / (111_320.0 * max(np.cos(np.radians(lat)), 0.05))
    dy = margin_m / 110_540.0
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


@dataclass(frozen=True)
class ImportResult:
    network: RoadNetwork
    counts: dict[str, int]


def network_import(*, partner: Partner, path: Path, margin_m: float = MARGIN_M
                   ) -> ImportResult:
    """Replace ``partner``'s road network with the ways of the PBF at ``path`` within
    ``margin_m`` of its territory. Raises ``Refused`` naming the file (not a PBF,
    truncated, nothing within the territory); then nothing was written."""
    # The reading makes tens of thousands of short-lived objects (a way's tags, its line,
    # its name), which set off the collector's passes over the whole process: a third of
    # the import's CPU in one run of three (docs/benchmarks.md). They hold no cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(partner, path, margin_m)
    finally:
        if was_enabled:
            gc.enable()


def _import(partner: Partner, path: Path, margin_m: float) -> ImportResult:
    # The file's framing first (a bomb refused before a byte of it is inflated), and its
    # checksum from the same read.
    framing = pbf.check(path)
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
    network_edges = kept(extract, edges, np.flatnonzero(near))
    counts = {"ways": len(np.unique(network_edges.way_id)), "edges": len(network_edges.way),
              "walk": int(network_edges.walk.sum()), "bike": int(network_edges.bike.sum()),
              "car": int(network_edges.car.sum()), "cut_ways": extract.cut_ways}
    graph = pack(network_edges)
    with transaction.atomic():
        # Two imports for one partner at once: the second waits, then replaces the first.
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        RoadNetwork.objects.filter(partner=partner).delete()
        network = RoadNetwork.objects.create(
            partner=partner, file_name=path.name, sha256=framing.sha256,
            data_date=extract.data_date, margin_m=margin_m, counts=counts)
        with psycopg.Cursor(connection.connection) as raw:
            # Bound as binary on the server: Django's client-side binding sent the 1 MB as
            # an escaped literal in the query's text (0.1–0.3 s of the import).
            raw.execute(f"UPDATE {RoadNetwork._meta.db_table} SET graph = %b WHERE id = %s",
                        [graph, network.pk])
            with raw.copy(f"COPY {RoadEdge._meta.db_table} ({', '.join(COLUMNS)}) "
                          "FROM STDIN (FORMAT binary)") as copy:
                copy.write(copy_rows(network_edges, extract, network.pk))
        # The partner's routes are routed again on the new network when this commits.
        queue.schedule(PilotRoute.objects.filter(partners=partner).values_list("pk", flat=True))
    return ImportResult(network=network, counts=counts)
