"""Content languages and the fallback chain used when a translation is missing."""

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)


def fallback_chain(lang: str) -> tuple[str, ...]:
    """Languages to try, in order, for content asked for in ``lang``.

    The asked language first, then the configured fallbacks (English, then the
    partners' languages), so a feature always shows some name.
    """
    chain = [lang, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["default"], *LANGUAGE_CODES]
    return tuple(dict.fromkeys(code for code in chain if code in LANGUAGE_CODES))


def page_language() -> str:
    """The language of the page being built, one of the content languages.

    LocaleMiddleware has chosen it (cookie, Accept-Language) and ``?lang=`` has overridden
    it (geo.middleware.LanguageFromQuery: a shared link keeps its language).
    """
    lang = get_language()
    return lang if lang in LANGUAGE_CODES else "en"
