from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns.models import Announcement
        from campaigns.rules import writing_partners
        from campaigns.selectors import is_shown
        from media.access import register_public

        # An announcement's image is public exactly while the announcement is shown; before
        # and after, its partner's writers (editors, moderators), who manage it, see it.
        register_public(Announcement, is_shown, may_see=lambda a, user: writing_partners(
            user).filter(pk=a.partner_id).exists())
