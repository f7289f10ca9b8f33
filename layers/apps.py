from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from layers.models import Attraction


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Layers and features"

    def ready(self) -> None:
        from layers.feature_kinds import register_kinds
        from layers.models import Attraction
        from layers.vocabulary import Visibility
        from media.access import register_public

        register_kinds()
        # An attraction's photos are public with it: its layer public, itself not retired.
        register_public(Attraction, lambda a: a.layer.visibility == Visibility.PUBLIC
                        and a.retired_at is None, may_see=_may_see_attraction)


def _may_see_attraction(attraction: Attraction, user: User | AnonymousUser) -> bool:
    """An attraction's photos before its layer is public: its partner's people, who review
    the layer (layers.permissions.unpublished_layers_seen)."""
    from layers.permissions import unpublished_layers_seen

    return unpublished_layers_seen(user).filter(pk=attraction.layer_id).exists()
