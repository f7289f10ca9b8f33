from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Good practices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from exchange.feature_kind import register_kind
        from exchange.strategy import missing_links
        from planner.links import register_missing_links

        register_kind()
        register_missing_links(missing_links)

        from exchange.admin import EDITOR_PERMISSIONS
        from layers.registry import register_editor_permissions

        # Partners' editors correct transfers and visits in the admin (exchange/admin.py).
        register_editor_permissions("exchange", EDITOR_PERMISSIONS)

        from exchange.models import GoodPractice, StudyVisit
        from media.access import register_public

        # A practice's attachments are served as the practice is shown; a visit's, to all.
        register_public(GoodPractice, lambda p: p.is_public)
        register_public(StudyVisit, lambda v: True)

