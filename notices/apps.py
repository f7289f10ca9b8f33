from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(remember_sign_in_language,
                               dispatch_uid="notices.remember_sign_in_language")


def remember_sign_in_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The language of the page someone signs in on is theirs until they choose another
    (on their notices page). Signing in writes anyway; reading a page never does."""
    from geo.i18n import LANGUAGE_CODES
    from notices.languages import reader_language_set

    lang = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if lang in LANGUAGE_CODES:
        reader_language_set(user=user, language=lang)
