from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Photos and media")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from media import signals  # noqa: F401  (connects the receivers)
