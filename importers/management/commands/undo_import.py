from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from importers.exceptions import Refused
from importers.pipeline import undo_last_import
from layers.models import Layer


class Command(BaseCommand):
    help = "Undo the latest import into a layer: the layer is restored exactly as before it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--layer", required=True, help="layer slug")

    def handle(self, *args: Any, **opts: Any) -> None:
        # The command line speaks English, whatever the language of the partner's data.
        with translation.override("en"):
            self._handle(**opts)

    def _handle(self, **opts: Any) -> None:
        try:
            layer = Layer.objects.get(slug=opts["layer"])
        except Layer.DoesNotExist:
            raise CommandError(f"no layer {opts['layer']!r}") from None
        try:
            run = undo_last_import(layer=layer)
        except Refused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Undid run {run.pk} ({run.file_name}, {run.started_at:%Y-%m-%d %H:%M}): "
            f"{run.counts.get('created', 0)} created features removed, "
            f"{run.counts.get('updated', 0) + run.counts.get('retired', 0)} restored."))
