from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Tourism actors and listings")

    def ready(self) -> None:
        from actors.feature_kind import register_kind
        from actors.models import Listing, Submission
        from actors.rules import may_see_listing
        from actors.vocabulary import ListingStatus
        from layers.registry import register_editor_permissions
        from media.access import register_public

        register_kind()
        # A listing's photos are everyone's once it is published; before, those who see
        # the draft: its partner's editors and moderators, and its actor.
        register_public(Listing, lambda x: x.status == ListingStatus.PUBLISHED
                        and not x.partner.sandbox,
                        may_see=lambda x, user: may_see_listing(user, x))
        # A submission's photos are the actor's and its moderators' until it is approved
        # (maps/pages/actors.py serves them to those).
        register_public(Submission, lambda x: False)
        register_editor_permissions("actors", EDITOR_PERMISSIONS)


EDITOR_PERMISSIONS = {
    # A partner's editors write the listings in their partner's territory; the admin
    # narrows each action to those (actors/admin.py).
    "listing": ("add", "change", "delete", "view"),
}
