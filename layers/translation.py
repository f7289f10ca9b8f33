"""Which fields are translated into bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from layers.models import Attraction, Layer, Partner, Trail


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name",)


@register(Layer)
class LayerTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Attraction)
class AttractionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Trail)
class TrailTranslation(TranslationOptions):
    fields = ("name", "description")
