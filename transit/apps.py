from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    name = "transit"
    verbose_name = _("Public transport")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A route's bus and train legs follow the feeds' lines (transit/legs.py).
        from routes.services import transit_finder_register
        from transit.legs import transit_path

        transit_finder_register(transit_path)
