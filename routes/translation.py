"""Which route fields are translated into bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from routes.models import PilotRoute, RouteStop


@register(PilotRoute)
class PilotRouteTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(RouteStop)
class RouteStopTranslation(TranslationOptions):
    fields = ("note",)
