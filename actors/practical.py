"""Where to sleep, eat and rent a bike: the published listings of those types near a line
(a route) or a point (an attraction), nearest first, with whether each is open at a
given moment. Read by the route and attraction pages (maps/pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from actors.models import Listing
from actors.selectors import listing_state_at
from actors.vocabulary import ListingStatus, ListingType

# What a visitor on a route or at a place looks for first, in the order the block shows.
PRACTICAL_TYPES: tuple[str, ...] = (ListingType.ACCOMMODATION, ListingType.FOOD,
                                    ListingType.RENTAL)
# Metres either side of a route's line: a short detour on foot or by bike (2 km); around
# an attraction, 3 km: a village and its edges.
ROUTE_CORRIDOR_M = 2000.0
AROUND_PLACE_M = 3000.0
PER_TYPE = 5


@dataclass
class Nearby:
    listing: Listing
    distance_m: float
    state: str  # geo.opening_hours: open, closed or unknown


def practical_near(*, geom: GEOSGeometry | None, within_m: float, when: datetime,
                   types: tuple[str, ...] = PRACTICAL_TYPES,
                   per_type: int = PER_TYPE) -> dict[str, list[Nearby]]:
    """For each of ``types``, the nearest ``per_type`` published listings within
    ``within_m`` metres (on the spheroid) of ``geom`` (EPSG:4326), nearest first, with
    their state at ``when`` (aware)."""
    found: dict[str, list[Nearby]] = {t: [] for t in types}
    if geom is None or geom.empty:
        return found
    table = Listing._meta.db_table
    # Geography on both sides: metres on the spheroid. Each type's nearest, ranked in SQL.
    sql = f"""
        WITH g AS (SELECT ST_GeomFromEWKB(%s)::geography AS line)
        SELECT id, distance_m FROM (
            SELECT x.id, x.type, ST_Distance(x.location::geography, g.line) AS distance_m,
                   row_number() OVER (PARTITION BY x.type
                                      ORDER BY ST_Distance(x.location::geography, g.line),
                                               x.id) AS n
            FROM {table} x, g
            WHERE x.status = %s AND x.type = ANY(%s)
              AND ST_DWithin(x.location::geography, g.line, %s)) ranked
        WHERE n <= %s ORDER BY distance_m, id"""
    ewkb = GEOSGeometry(geom.wkt, srid=geom.srid or 4326).ewkb
    with connection.cursor() as cur:
        cur.execute(sql, [bytes(ewkb), ListingStatus.PUBLISHED, list(types), within_m,
                          per_type])
        distances = dict(cur.fetchall())
    listings = Listing.objects.select_related("partner").in_bulk(list(distances))
    for pk, distance in distances.items():
        listing = listings[pk]
        found[listing.type].append(Nearby(listing, float(distance),
                                          listing_state_at(listing, when)))
    return found
