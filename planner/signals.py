"""A layer of sub-areas is reference data: marking it so keeps its polygons out of the
attractions a visitor sees (``layers.models.Layer.reference``)."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from layers.models import Layer
from planner.models import AreaLayer


@receiver(pre_save, sender=AreaLayer)
def _area_layer_saving(sender: type[AreaLayer], instance: AreaLayer, **kwargs: Any) -> None:
    instance._previous_layer_id = (AreaLayer.objects.filter(pk=instance.pk)
                                   .values_list("layer_id", flat=True).first()
                                   if instance.pk else None)


@receiver(post_save, sender=AreaLayer)
def _area_layer_saved(sender: type[AreaLayer], instance: AreaLayer, **kwargs: Any) -> None:
    Layer.objects.filter(pk=instance.layer_id, reference=False).update(reference=True)
    # A layer that stops being sub-areas (the role moved to another layer) shows again.
    previous = getattr(instance, "_previous_layer_id", None)
    if previous and previous != instance.layer_id:
        Layer.objects.filter(pk=previous).update(reference=False)


@receiver(post_delete, sender=AreaLayer)
def _area_layer_deleted(sender: type[AreaLayer], instance: AreaLayer, **kwargs: Any) -> None:
    Layer.objects.filter(pk=instance.layer_id).update(reference=False)
