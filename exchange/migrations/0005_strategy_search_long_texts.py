"""``q`` finds a practice by its long texts too: the problem, what was done and the
lessons join the titles and summaries in ``search``, folded to Latin as before, so that a
planner who looks for "parking" or "паркинг" finds the practice that solved it."""

from django.db import migrations

LANGS = ("bg", "el", "fr", "en")


def _folded(fields: tuple[str, ...]) -> str:
    parts = [f"coalesce({f}_{c}, '')" for f in fields for c in LANGS]
    return "atlas_latin(" + " || ' ' || ".join(parts) + ")"


SQL = f"""
DROP INDEX IF EXISTS exchange_goodpractice_search;
ALTER TABLE exchange_goodpractice DROP COLUMN search;
ALTER TABLE exchange_goodpractice ADD COLUMN search text GENERATED ALWAYS AS (
  {_folded(("title", "summary", "problem", "actions", "lessons"))}) STORED;
CREATE INDEX exchange_goodpractice_search ON exchange_goodpractice
  USING gin (to_tsvector('simple', search));
"""

REVERSE = f"""
DROP INDEX IF EXISTS exchange_goodpractice_search;
ALTER TABLE exchange_goodpractice DROP COLUMN search;
ALTER TABLE exchange_goodpractice ADD COLUMN search text GENERATED ALWAYS AS (
  {_folded(("title", "summary"))}) STORED;
CREATE INDEX exchange_goodpractice_search ON exchange_goodpractice
  USING gin (to_tsvector('simple', search));
"""


class Migration(migrations.Migration):

    dependencies = [("exchange", "0004_transfers_visits")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
