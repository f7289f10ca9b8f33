"""Which fields of a listing are translated into bg / el / fr / en (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from actors.models import Actor, Listing
from layers.audit_tracking import audit_track


@register(Listing)
class ListingTranslation(TranslationOptions):
    fields = ("name", "description", "accessibility")


@register(Actor)
class ActorTranslation(TranslationOptions):
    fields = ("description",)


# Audited as partners' data is (docs/architecture.md, "Audit").
audit_track(Listing)
