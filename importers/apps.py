from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "importers"
    verbose_name = "Importers"

    def ready(self) -> None:
        # The import history is the lineage of a layer's metadata record.
        from importers.lineage import import_history
        from layers.metadata.lineage import register_lineage

        register_lineage(import_history)
