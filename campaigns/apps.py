from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns.models import Announcement
        from campaigns.selectors import is_shown
        from media.access import register_public

        # An announcement's image is public exactly while the announcement is shown.
        register_public(Announcement, is_shown)
