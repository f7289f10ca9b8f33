"""Journeys: the routes' trigram index for a close ``?q=`` (see layers migration 0019)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0021_search_trigrams"),
        ("routes", "0007_search_fold_letter_pairs"),
    ]

    operations = [migrations.RunSQL(
        "CREATE INDEX route_search_trgm ON routes_pilotroute "
        "USING gin (atlas_loose(search) gin_trgm_ops);",
        "DROP INDEX IF EXISTS route_search_trgm;")]
