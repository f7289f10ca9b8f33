"""Journeys 18: the practices' trigram index for a close ``?q=`` (a typo, another
transliteration), as the routes have theirs (routes 0008, layers 0021)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0021_search_trigrams"),
        ("exchange", "0008_hide_questions_endorsements"),
    ]

    operations = [migrations.RunSQL(
        "CREATE INDEX exchange_goodpractice_search_trgm ON exchange_goodpractice "
        "USING gin (atlas_loose(search) gin_trgm_ops);",
        "DROP INDEX IF EXISTS exchange_goodpractice_search_trgm;")]
