"""Content languages and the fallback chain used when a translation is missing."""

from django.conf import settings

LANGUAGE_CODES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


def fallback_chain(lang: str) -> tuple[str, ...]:
    """Languages to try, in order, for content asked for in ``lang``.

    The asked language first, then the configured fallbacks (English, then the
    partners' languages), so a feature always shows some name.
    """
    chain = [lang, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"], *LANGUAGE_CODES]
    return tuple(dict.fromkeys(code for code in chain if code in LANGUAGE_CODES))
