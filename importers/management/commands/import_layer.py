"""manage.py import_layer FILE --partner SLUG --layer SLUG --kind attractions|trails …"""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils import translation

from geo.crs import CrsError, identify
from importers.exceptions import Refused, RowErrors
from importers.pipeline import ImportRequest, ImportResult, run_import
from importers.pipeline.run import STAGES
from layers.models import Partner
from layers.vocabulary import LayerKind


class Command(BaseCommand):
    help = ("Import a shapefile (.shp or .zip), GPX, GeoJSON or KML/KMZ file into a partner's "
            "layer. One transaction: on any error nothing is written.")
    # No system checks: they import every URL configuration, view and map builder of
    # the web site (some 20 MB), none of which an import uses. `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--partner", required=True, help="partner slug")
        parser.add_argument("--layer", required=True,
                            help="layer slug (created when it does not exist)")
        parser.add_argument("--kind", required=True, choices=[k.value for k in LayerKind])
        parser.add_argument("--encoding", help="text encoding of the DBF, e.g. cp1251")
        parser.add_argument("--srs", help="the file's CRS when it does not say, e.g. EPSG:2100")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                            help="map a column to a field, e.g. name_bg=IME (repeatable)")
        parser.add_argument("--id-field", help="column holding stable feature ids")
        parser.add_argument("--source-layer", help="which shapefile of a zip / folder of a KML")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would be imported; write nothing")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="import the valid rows and list the skipped ones")
        parser.add_argument("--sync", action="store_true",
                            help="retire the layer's features that the file no longer has")
        parser.add_argument("--keep-duplicate-routes", action="store_true",
                            help="GPX: keep routes that retrace a track of the same file")
        parser.add_argument("--allow-outside", action="store_true",
                            help="import features beyond the partner's territory (without "
                                 "it they stop the import)")

    def handle(self, *args: Any, **opts: Any) -> None:
        # The command line speaks English, whatever the language of the partner's data.
        with translation.override("en"):
            try:
                self._handle(**opts)
            except DatabaseError as exc:
                # A server that is down or refuses us is not a bug to show a traceback for.
                if connection.connection is not None and connection.is_usable():
                    raise
                raise CommandError(_database_unreachable(exc)) from None

    def _handle(self, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        try:
            partner = Partner.objects.get(slug=opts["partner"])
        except Partner.DoesNotExist:
            known = ", ".join(Partner.objects.values_list("slug", flat=True))
            raise CommandError(f"no partner {opts['partner']!r}; partners: {known}") from None
        field_map = {}
        for item in opts["map"]:
            fld, sep, col = item.partition("=")
            if not sep or not fld or not col:
                raise CommandError(f"--map {item!r}: write FIELD=COLUMN, e.g. name_bg=IME")
            field_map[fld.strip()] = col.strip()
        srs = None
        if opts["srs"]:
            try:
                srs = identify(opts["srs"])
            except CrsError as exc:
                raise CommandError(f"--srs {opts['srs']}: {exc}") from None
        request = ImportRequest(
            path=path, partner=partner, layer_slug=opts["layer"], kind=opts["kind"],
            encoding=opts["encoding"], srs=srs, field_map=field_map, id_field=opts["id_field"],
            source_layer=opts["source_layer"], dry_run=opts["dry_run"],
            skip_invalid=opts["skip_invalid"], sync=opts["sync"],
            keep_duplicate_routes=opts["keep_duplicate_routes"],
            allow_outside=opts["allow_outside"])
        started = time.perf_counter()
        tty = sys.stderr.isatty()

        def progress(stage: str) -> None:
            if opts["verbosity"] >= 1:
                step = next(i for i, s in enumerate(STAGES, 1) if stage.startswith(s))
                bar = "#" * (step * 8) + "-" * ((len(STAGES) - step) * 8)
                elapsed = time.perf_counter() - started
                end = "\r" if tty else "\n"
                sys.stderr.write(f"[{bar}] {step}/{len(STAGES)} {stage}… {elapsed:.1f} s"
                                 f"{' ' * 10}{end}")

        try:
            result = run_import(request, progress=progress)
        except RowErrors as exc:
            lines = [str(exc)] + [f"  {issue}" for issue in exc.issues[:200]]
            if len(exc.issues) > 200:
                lines.append(f"  … and {len(exc.issues) - 200} more")
            lines.append("Fix the rows, or import the valid ones with --skip-invalid.")
            raise CommandError("\n".join(lines)) from None
        except Refused as exc:
            raise CommandError(f"refused: {exc}") from None
        if tty:
            sys.stderr.write(" " * 60 + "\r")
        self._report(result, opts["dry_run"])

    def _report(self, result: ImportResult, dry_run: bool) -> None:
        w = self.stdout.write
        w(f"file      {result.label}")
        w(f"format    {result.format}")
        if result.encoding:
            w(f"encoding  {result.encoding} ({result.encoding_reason})")
        w(f"CRS       {result.crs} ({result.crs_reason})")
        w("mapping   " + (", ".join(f"{f} <- {c}" for f, c in sorted(result.mapping.items()))
                          or "(no attribute maps to a field)"))
        w(f"id        {result.id_field or 'stable hash of the geometry (no id column)'}")
        for note in result.notes:
            w(f"note      {note}")
        shown = [i for i in result.issues if i.severity != "error"]
        for issue in shown[:50]:
            w(f"{issue.severity:9s} {issue}")
        if len(shown) > 50:
            w(f"          … and {len(shown) - 50} more")
        for issue in result.skipped:
            w(f"skipped   {issue}")
        c = result.counts
        w("")
        w(f"  {'read':>10} {'created':>8} {'updated':>8} {'unchanged':>10} {'skipped':>8} "
          f"{'left out':>9} {'retired':>8}")
        w(f"  {c.get('read', 0):>10} {c.get('created', 0):>8} {c.get('updated', 0):>8} "
          f"{c.get('unchanged', 0):>10} {c.get('skipped', 0):>8} {c.get('left_out', 0):>9} "
          f"{c.get('retired', 0):>8}")
        if dry_run:
            w("\nThe first rows as they would be stored:")
            for row in result.preview:
                w(f"  {row}")
            w(self.style.WARNING("\nDry run: nothing was written. The counts are those the "
                                 "import would give."))
            return
        run = result.run
        assert run is not None, "an import that is not a dry run keeps its run"
        w(self.style.SUCCESS(f"Imported into layer {run.layer_slug!r} "
                             f"(run {run.pk}, {run.duration_s:.2f} s)."))


def _database_unreachable(exc: Exception) -> str:
    """One line saying which database could not be reached, and PostgreSQL's reason."""
    s = connection.settings_dict
    where = f"{s.get('HOST') or 'local socket'}:{s.get('PORT') or 5432}/{s.get('NAME')}"
    reason = next((line.strip() for line in str(exc).splitlines() if line.strip()),
                  type(exc).__name__)
    return (f"cannot reach the database {where} ({reason}); start it (make setup, or "
            "python -m geo.pgcluster start) or check DATABASE_URL")
