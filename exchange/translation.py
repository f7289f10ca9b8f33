"""Which practice fields are translated into bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from exchange.models import GoodPractice
from exchange.vocabulary import TRANSLATED_TEXTS


@register(GoodPractice)
class GoodPracticeTranslation(TranslationOptions):
    fields = TRANSLATED_TEXTS
