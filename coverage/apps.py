from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "coverage"
    verbose_name = _("Coverage analysis")

    def ready(self) -> None:
        from coverage import signals  # noqa: F401  (connects the receivers)
