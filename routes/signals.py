"""Routes are recomputed when what they are made of changes.

Changes to stops, legs and partners of a route, to a trail a leg follows, and to
any layer written by an import (``layers.signals.layer_written``) mark the
routes concerned (``routes/queue.py``); each is recomputed once, when the transaction
commits.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from layers.models import Attraction, Layer, Trail
from layers.signals import layer_written
from routes import queue, services
from routes.models import PilotRoute, RouteLeg, RouteStop
from routes.vocabulary import LegSource

queue.connect(services.routes_refresh)


@receiver([post_save, post_delete], sender=RouteStop)
@receiver([post_save, post_delete], sender=RouteLeg)
def _part_changed(sender: type[RouteStop | RouteLeg], instance: RouteStop | RouteLeg,
                  **kwargs: Any) -> None:
    queue.schedule([instance.route_id])


@receiver(m2m_changed, sender=PilotRoute.partners.through)
def _partners_changed(sender: type[Model], instance: Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, PilotRoute):
        queue.schedule([instance.pk])


@receiver([post_save, post_delete], sender=Trail)
def _trail_changed(sender: type[Trail], instance: Trail, **kwargs: Any) -> None:
    queue.schedule(services.routes_following([instance.pk]))


@receiver(post_save, sender=Attraction)
def _attraction_changed(sender: type[Attraction], instance: Attraction, **kwargs: Any) -> None:
    queue.schedule(RouteStop.objects.filter(attraction=instance).values_list("route_id", flat=True))


@receiver(layer_written)
def _layer_written(sender: object, layer: Layer, **kwargs: Any) -> None:
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
                       [layer.pk, layer.pk, layer.pk, LegSource.ROUTED])
        queue.schedule(r[0] for r in cursor.fetchall())
