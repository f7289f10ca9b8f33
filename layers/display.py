"""What maps draw of a feature: its geometry thinned to a bounded number of vertices.

A trail's line is kept whole (exports, metrics), and beside it, beyond
``ATLAS_DISPLAY_MAX_VERTICES``, a thinned copy (``Trail.display_geom``, migration
0015) that pages, the API's lists and tiles draw (Trust D8: a million-vertex trail
made its page 27.8 MB). ``display_sql`` is the geometry to draw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def max_vertices() -> int:
    """The most vertices a feature is drawn with (the settings' ATLAS_DISPLAY_MAX_VERTICES)."""
    return int(settings.ATLAS_DISPLAY_MAX_VERTICES)


def display_sql(alias: str = "x") -> str:
    """SQL of a trail's line as maps draw it: the thinned copy when there is one."""
    return f"COALESCE({alias}.display_geom, {alias}.geom)"


def trails_display_refresh(*, trail_id: int | None = None, layer_id: int | None = None) -> int:
    """Thin again the lines of one trail, or of a layer's trails written in this
    transaction (their ``updated_at`` is the transaction's ``now()``, as an import and
    an undo set it); the number of trails whose display geometry changed.

    Only trails over the cap, or that were, are written: an import of 40,000 short
    trails writes none of them again.
    """
    if trail_id is None and layer_id is None:
        raise ValueError("a trail or a layer")
    cap = max_vertices()
    which = "id = %s" if trail_id is not None else (
        "layer_id = %s AND updated_at = now() AND retired_at IS NULL")
    with connection.cursor() as cur:
        cur.execute(f"""
            UPDATE layers_trail SET display_geom = atlas_display_geometry(geom, %s)
            WHERE {which} AND (display_geom IS NOT NULL OR ST_NPoints(geom) > %s)
        """, [cap, trail_id if trail_id is not None else layer_id, cap])
        return cur.rowcount
