"""Which routes a change touches (a trail, a layer written by an import), and their
recompute: what ``routes/signals.py`` queues and connects (``routes/queue.py``)."""

from __future__ import annotations

from django.db import connection

from routes.models import PilotRoute
from routes.services import route_recompute
from routes.vocabulary import LegSource


def routes_following(trail_ids: list[int]) -> list[int]:
    """Routes with a leg on one of these trails, or routed along the network near them."""
    if not trail_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT DISTINCT leg.route_id FROM routes_routeleg leg
            WHERE leg.trail_id = ANY(%s)
               OR (leg.source = %s AND EXISTS (
                   SELECT 1 FROM layers_trail t WHERE t.id = ANY(%s)
                   AND t.geom && ST_Expand(leg.geom, 0.05)))""",
                       [trail_ids, LegSource.ROUTED, trail_ids])
        return [r[0] for r in cursor.fetchall()]


def routes_using_layer(layer_id: int) -> list[int]:
    """Routes with a stop or a leg's trail in this layer, or routed legs that its trails
    may carry (the layer is one of the route's partners' trail layers)."""
    # From the stops and legs (a few hundred) to their features, one lookup each: right
    # after an import the statistics still say the layer is empty, and a join walked
    # the 100,000 rows just written (0.27 s) looking for stops.
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.route_id FROM routes_routestop s
            WHERE (SELECT a.layer_id FROM layers_attraction a WHERE a.id = s.attraction_id) = %s
            UNION
            SELECT leg.route_id FROM routes_routeleg leg
            WHERE (SELECT t.layer_id FROM layers_trail t WHERE t.id = leg.trail_id) = %s
            UNION
            SELECT leg.route_id FROM routes_routeleg leg
            JOIN routes_pilotroute_partners rp ON rp.pilotroute_id = leg.route_id
            JOIN layers_layer l ON l.partner_id = rp.partner_id
            WHERE l.id = %s AND l.kind = 'trails' AND leg.source = %s""",
                       [layer_id, layer_id, layer_id, LegSource.ROUTED])
        return [r[0] for r in cursor.fetchall()]


def routes_refresh(route_ids: list[int]) -> None:
    for route in PilotRoute.objects.filter(pk__in=route_ids):
        route_recompute(route=route)
