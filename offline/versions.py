"""The version of what a device keeps of a route: changes when, and only when, something a
saved copy or a pack holds has changed on the platform.

A saved copy (save.js) and a pack hold the route (its stops, legs, line, elevations and
metrics), the timetable of its days (from the transit feeds) and the platform's tiles of
its corridor (every public feature within ``corridor.HALF_WIDTH_M`` of the line). The
version hashes each of these: an edit to an attraction on the corridor changes it; an
edit on the other side of the region does not, so an unchanged route keeps its saved
copy and its pack (by checksum). The platform-wide data version (``layers.versions``),
which the tiles' URLs carry, changes with any write anywhere and would make every saved
route look changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.db import connection

from layers import registry
from layers.params import FeatureFilters
from layers.selectors import conditions
from offline import corridor as corridors
from routes import selectors
from routes.models import PilotRoute
from transit.models import Feed

VERSION_FORMAT = 1
"""Raised when what the version covers changes: every saved copy then updates once."""


def _corridor_digest(geometry: dict | None) -> str:
    """A digest of every public feature whose geometry reaches the route's corridor:
    its kind, id and whole row (any column written changes it)."""
    if not geometry:
        return ""
    selects: list[str] = []
    params: list = []
    for kind in registry.kinds():
        found = conditions(kind, FeatureFilters(), params)
        if found is None:
            continue
        where, _distance = found
        selects.append(f"""
            SELECT '{kind.name}' AS kind, x.id, md5(x::text) AS row
            FROM {kind.table} x {kind.joins()}, band
            WHERE x.{kind.geom} && band.box AND ST_Intersects(x.{kind.geom}, band.g)
              AND {where}""")
    with connection.cursor() as cur:
        cur.execute(f"""
            WITH band AS (
              SELECT b AS g, ST_Envelope(b) AS box FROM (
                SELECT ST_Buffer(ST_GeomFromGeoJSON(%s)::geography, %s)::geometry AS b) t),
            found AS ({" UNION ALL ".join(selects)})
            SELECT md5(coalesce(string_agg(kind || ':' || id || ':' || row, ','
                                           ORDER BY kind, id), ''))
            FROM found""", [json.dumps(geometry), corridors.HALF_WIDTH_M, *params])
        return str(cur.fetchone()[0])


def route_version(slug: str, days: tuple[date, ...], lang: str) -> str | None:
    """The version of the route ``slug`` as a device keeps it in ``lang`` with the
    timetable of ``days``; None when it is not public."""
    detail = selectors.route_detail(slug=slug, lang=lang, along_m=None)
    if detail is None:
        return None
    route_id = PilotRoute.objects.values_list("pk", flat=True).get(slug=slug)
    legs = hashlib.sha256()
    for leg in selectors.route_legs(route_id):  # the elevations the profile and GPX give
        legs.update(leg.coords.round(7).tobytes())
    feeds = list(Feed.objects.order_by("pk").values_list("sha256", "valid_to"))
    made_of = {
        "format": VERSION_FORMAT, "route": detail, "legs": legs.hexdigest(),
        "feeds": [[sha, str(end)] for sha, end in feeds],
        "days": [d.isoformat() for d in days],
        "corridor": _corridor_digest(detail["geometry"]),
    }
    return hashlib.sha256(json.dumps(made_of, sort_keys=True, default=str)
                          .encode()).hexdigest()

