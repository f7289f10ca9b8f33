"""manage.py import_gtfs --partner SLUG FILE: import a GTFS zip as one of a partner's
public-transport feeds (replacing the feed of the same name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.text import slugify

from geo.errors import Refused
from layers.models import Partner
from transit.services import FeedErrors, feed_import


class Command(BaseCommand):
    help = "Import a GTFS feed (zip) for a partner; a faulty feed writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the GTFS zip")
        parser.add_argument("--partner", required=True, help="the partner's slug")
        parser.add_argument("--licence", required=True,
                            help='the feed\'s licence, e.g. "CC BY 4.0" (shown with it)')
        parser.add_argument("--attribution", default="", help="the credit the licence asks")
        parser.add_argument("--name", help="the feed's name within the partner (default: "
                                           "the file's name); the same name replaces it")

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
            name = slugify(opts["name"] or path.stem)[:100] or "feed"
            try:
                result = feed_import(partner=partner, path=path, name=name,
                                     licence=opts["licence"], attribution=opts["attribution"])
            except FeedErrors as exc:
                lines = [str(exc), *(str(i) for i in exc.issues)]
                raise CommandError("\n".join(lines)) from None
            except Refused as exc:
                raise CommandError(f"refused: {exc}") from None
            feed = result.feed
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
            self.stdout.write(f"{partner.slug}/{feed.name}: {counts}; valid "
                              f"{feed.valid_from} to {feed.valid_to}")
