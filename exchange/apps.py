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

        from exchange.models import GoodPractice, StudyVisit
        from exchange.rules import may_view
        from media.access import register_public

        # A practice's attachments are served as the practice is shown: to everyone once
        # it is public (a sandbox's never is), before that to those who see it (its
        # partner's people, its reviewers); a visit's, to all.
        register_public(GoodPractice, lambda p: p.is_public and not p.partner.sandbox,
                        may_see=lambda p, user: may_view(user, p))
        register_public(StudyVisit, lambda v: True)
