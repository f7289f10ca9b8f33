from django.apps import AppConfig


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
                        and a.retired_at is None)
