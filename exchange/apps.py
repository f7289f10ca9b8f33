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

        from notices.languages import register_fallback

        # Who never chose a language on the site reads their partner's main one.
        register_fallback(partner_languages)

        from exchange.models import GoodPractice, StudyVisit
        from exchange.rules import may_view
        from media.access import register_public

        # A practice's attachments are served as the practice is shown: to everyone once
        # it is public (a sandbox's never is), before that to those who see it (its
        # partner's people, its reviewers); a visit's, to all.
        register_public(GoodPractice, lambda p: p.is_public and not p.partner.sandbox,
                        may_see=lambda p, user: may_view(user, p))
        register_public(StudyVisit, lambda v: True)


def partner_languages(user_ids: list[int]) -> dict[int, str]:
    """User id -> the main language of a partner they belong to (in any role)."""
    from django.contrib.auth.models import User

    from layers.models import Partner

    out: dict[int, str] = {}
    for partner in Partner.objects.filter(sandbox=False).order_by("id"):
        groups = [g for g in (partner.members_id, partner.editors_id, partner.moderators_id)
                  if g is not None]
        if not groups:
            continue
        for user_id in (User.objects.filter(pk__in=user_ids, groups__in=groups)
                        .values_list("pk", flat=True)):
            out.setdefault(user_id, partner.main_language)
    return out
