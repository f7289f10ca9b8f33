"""Routes are recomputed when what they are made of changes.

Changes to stops, legs and partners of a route, to a trail a leg follows, to
any layer written by an import (``layers.signals.layer_written``) and to a layer's
visibility (saved) mark the routes concerned (``routes/queue.py``); each is
recomputed once, when the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from layers.models import Attraction, Layer, Trail
from layers.signals import layer_written
from routes import queue, touched
from routes.models import PilotRoute, RouteLeg, RouteStop

queue.connect(touched.routes_refresh)


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
    queue.schedule(touched.routes_following([instance.pk]))


@receiver(post_save, sender=Attraction)
def _attraction_changed(sender: type[Attraction], instance: Attraction, **kwargs: Any) -> None:
    queue.schedule(RouteStop.objects.filter(attraction=instance).values_list("route_id", flat=True))


@receiver(layer_written)
def _layer_written(sender: object, layer: Layer, **kwargs: Any) -> None:
    queue.schedule(touched.routes_using_layer(layer.pk))


@receiver(post_save, sender=Layer)
def _layer_saved(sender: type[Layer], instance: Layer, created: bool,
                 update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    # A layer made partners-only or private takes its features out of the routes' public
    # lines, and routing off its trails; made public again, it puts them back.
    if not created and (update_fields is None or "visibility" in update_fields):
        queue.schedule(touched.routes_using_layer(instance.pk))
