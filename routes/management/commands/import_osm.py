"""manage.py import_osm --partner SLUG FILE: import the ways of an OpenStreetMap extract
(.osm.pbf) as a partner's network for routing (replacing the one it had)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from geo.errors import Refused
from layers.models import Partner
from routes.osm import MARGIN_M, network_import


class Command(BaseCommand):
    # A data command: the site's checks (its URLs, templates, every view's module) cost
    # more than importing a country's roads (0.35-0.45 s of CPU against 0.14 s for
    # Andorra, docs/benchmarks.md) and say nothing about the file.
    requires_system_checks: list[str] = []
    help = ("Import the ways of an OpenStreetMap extract (.osm.pbf) near a partner's "
            "territory as its network for routing; a faulty file writes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the OpenStreetMap extract (.osm.pbf)")
        parser.add_argument("--partner", required=True, help="the partner's slug")
        parser.add_argument("--margin", type=float, default=MARGIN_M,
                            help="keep ways within this many metres of the territory "
                                 f"(default {MARGIN_M:.0f})")

    def handle(self, *args: Any, **opts: Any) -> None:
        with translation.override("en"):
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                partner = Partner.objects.get(slug=opts["partner"])
            except Partner.DoesNotExist:
                known = ", ".join(Partner.objects.values_list("slug", flat=True))
                raise CommandError(f"no partner {opts['partner']!r}; partners: {known}") from None
            started = time.perf_counter()
            try:
                result = network_import(partner=partner, path=path, margin_m=opts["margin"])
            except Refused as exc:
                raise CommandError(f"refused: {exc}") from None
            c = result.counts
            self.stdout.write(
                f"{partner.slug}: {c['ways']} ways in {c['edges']} pieces from {path.name} "
                f"(walk {c['walk']}, bike {c['bike']}, car {c['car']}) in "
                f"{time.perf_counter() - started:.1f} s; its routes are routed again")
