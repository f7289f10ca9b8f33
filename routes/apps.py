from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "routes"
    verbose_name = _("Pilot routes")

    def ready(self) -> None:
        from layers.registry import register_editor_permissions
        from routes import signals  # noqa: F401  (connects the receivers)
        from routes.feature_kind import register_kind

        register_kind()
        register_editor_permissions("routes", EDITOR_PERMISSIONS)


EDITOR_PERMISSIONS = {
    # What a partner's editors may do with routes: the admin and the API narrow each to
    # the routes of their partners (routes/admin.py, routes/api.py: composes).
    "pilotroute": ("add", "change", "delete", "view"),
    "routestop": ("add", "change", "delete", "view"),
    "routeleg": ("add", "change", "delete", "view"),
}
