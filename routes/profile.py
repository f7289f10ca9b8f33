"""A public route's elevation profile: distance and elevation along the legs the public
may see, where none is known and why, and the climb's totals (the routes' other reads are
``routes.selectors``').
"""

from __future__ import annotations

from django.db import connection

from routes import metrics
from routes.feature_kind import in_sandbox
from routes.selectors import route_legs
from routes.vocabulary import PUBLIC_STATUSES


def route_profile(*, slug: str) -> dict | None:
    """The elevation profile of a public route: [distance_m, elevation_m, lon, lat] rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, length_m, ascent_m, descent_m, min_elevation_m, "
                       "max_elevation_m FROM routes_pilotroute r WHERE slug = %s "
                       f"AND status = ANY(%s) AND NOT {in_sandbox('r')}",
                       [slug, [str(s) for s in PUBLIC_STATUSES]])
        row = cursor.fetchone()
    if row is None:
        return None
    route_id, length, ascent, descent, lo, hi = row
    stored = route_legs(route_id)
    legs = [(leg.coords, metrics.leg_metrics(leg.mode, leg.coords)) for leg in stored]
    return {"slug": slug, "columns": ["distance_m", "elevation_m", "lon", "lat"],
            "points": metrics.profile(legs), "length_m": round(length or 0),
            # Where the chart has no line, and why: the leg and how it goes there.
            "no_elevation": [
                {"from_m": round(a, 1), "to_m": round(b, 1), "leg": stored[n].order,
                 "mode": stored[n].mode, "source": stored[n].source}
                for a, b, n in metrics.without_elevation(legs) if b - a >= 1.0],
            "elevation_known_m": round(sum(m.elevation_known_m for _c, m in legs)),
            "ascent_m": None if ascent is None else round(ascent),
            "descent_m": None if descent is None else round(descent),
            "min_elevation_m": lo, "max_elevation_m": hi,
            "elevation_threshold_m": metrics.ELEVATION_THRESHOLD_M}
