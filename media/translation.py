"""Captions in bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from media.models import MediaItem


@register(MediaItem)
class MediaItemTranslation(TranslationOptions):
    fields = ("caption",)
