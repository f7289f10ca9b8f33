from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = _("Pilot routes")

    def ready(self) -> None:
        from routes import signals  # noqa: F401  (connects the receivers)
        from routes.feature_kind import register_kind

        register_kind()
