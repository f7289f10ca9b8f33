"""What maps draw of a feature: its geometry thinned to a bounded number of vertices.

A trail's line is kept whole (exports, metrics), and beside it, beyond
``ATLAS_DISPLAY_MAX_VERTICES``, a thinned copy (``Trail.display_geom``, migration
0015) that pages, the API's lists and tiles draw (Trust D8: a million-vertex trail
made its page 27.8 MB). An attraction's footprint the same (``display_footprint``,
migration 0023). ``display_sql`` is the geometry to draw.
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


def _refresh(table: str, source: str, target: str, pk: int | None,
             layer_id: int | None) -> int:
    if pk is None and layer_id is None:
        raise ValueError("a feature or a layer")
    cap = max_vertices()
    which = "id = %s" if pk is not None else (
        "layer_id = %s AND updated_at = now() AND retired_at IS NULL")
    with connection.cursor() as cur:
        cur.execute(f"""
            UPDATE {table} SET {target} = atlas_display_geometry({source}, %s)
            WHERE {which} AND ({target} IS NOT NULL OR ST_NPoints({source}) > %s)
        """, [cap, pk if pk is not None else layer_id, cap])
        return cur.rowcount


def trails_display_refresh(*, trail_id: int | None = None, layer_id: int | None = None) -> int:
    """Thin again the lines of one trail, or of a layer's trails written in this
    transaction (their ``updated_at`` is the transaction's ``now()``, as an import and
    an undo set it); the number of trails whose display geometry changed.

    Only trails over the cap, or that were, are written: an import of 40,000 short
    trails writes none of them again.
    """
    return _refresh("layers_trail", "geom", "display_geom", trail_id, layer_id)


def footprints_display_refresh(*, attraction_id: int | None = None,
                               layer_id: int | None = None) -> int:
    """As ``trails_display_refresh``, for attractions' footprints (a castle's walls
    traced to the centimetre, a park's boundary from a survey): the number written."""
    return _refresh("layers_attraction", "footprint", "display_footprint", attraction_id,
                    layer_id)
