from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    # The package is not called ``coverage``: that name is coverage.py's, which it would
    # hide from the test tools. The label stays, and with it the tables and migrations.
    name = "planner"
    label = "coverage"
    verbose_name = _("Coverage analysis")

    def ready(self) -> None:
        from layers.registry import register_reference_role
        from planner import signals  # noqa: F401  (connects the receivers)
        from planner.models import AreaLayer

        # A sub-area layer's polygons are analysed as sub-areas: its reference flag is
        # the planner's, not the Layer admin's to untick.
        register_reference_role(lambda layer: AreaLayer.objects.filter(layer=layer).exists())
