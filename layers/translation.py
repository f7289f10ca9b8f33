"""Which fields are translated into bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from layers.audit_tracking import audit_track
from layers.models import (
    TRAIL_METRICS,
    Attraction,
    Layer,
    LayerMetadata,
    Partner,
    Trail,
)


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name",)


@register(Layer)
class LayerTranslation(TranslationOptions):
    fields = ("title", "description")


@register(LayerMetadata)
class LayerMetadataTranslation(TranslationOptions):
    fields = ("keywords",)


@register(Attraction)
class AttractionTranslation(TranslationOptions):
    fields = ("name", "description", "accessibility")


@register(Trail)
class TrailTranslation(TranslationOptions):
    fields = ("name", "description")



# Audited (layers/audit_tracking.py, audit_track) here rather than on the classes: the event
# tables copy the model's fields as they are when tracking is declared, and the translated
# fields (name_bg …) exist only from the registrations above.
audit_track(Partner)
audit_track(Layer, exclude=["import_settings"])
audit_track(LayerMetadata)
audit_track(Attraction, bulk=True, exclude=["display_footprint"])
audit_track(Trail, bulk=True, exclude=["display_geom", *TRAIL_METRICS])
