from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Layers and features"

    def ready(self) -> None:
        from layers.feature_kinds import register_kinds

        register_kinds()
