from django.apps import AppConfig


class OfflineConfig(AppConfig):
    """A route kept for the road: what a device saves of it (the tiles of its corridor and
    the URLs to keep) and the route pack, a zip made on the server (decision 0012)."""

    name = "offline"
    default_auto_field = "django.db.models.BigAutoField"
