"""Cross-script search on practices, the data version, and the shape of their points.

``search`` holds the titles and summaries in plain Latin (``atlas_latin`` from
layers/0005), so ``?q=`` finds a practice by its title in any script, as for features.
The data version trigger tells the kept exports and tiles that the practices changed.
"""

from django.db import migrations

SQL = """
ALTER TABLE exchange_goodpractice ADD COLUMN search text GENERATED ALWAYS AS (atlas_latin(
  coalesce(title_bg, '') || ' ' || coalesce(title_el, '') || ' ' || coalesce(title_fr, '')
  || ' ' || coalesce(title_en, '') || ' ' || coalesce(summary_bg, '') || ' '
  || coalesce(summary_el, '') || ' ' || coalesce(summary_fr, '') || ' '
  || coalesce(summary_en, ''))) STORED;
CREATE INDEX exchange_goodpractice_search ON exchange_goodpractice
  USING gin (to_tsvector('simple', search));
ALTER TABLE exchange_practiceplace ADD CONSTRAINT place_drawn_srid
  CHECK (drawn IS NULL OR ST_SRID(drawn) = 4326);
INSERT INTO atlas_data_version (name) VALUES ('exchange_goodpractice') ON CONFLICT DO NOTHING;
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON exchange_goodpractice
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""

REVERSE = """
DROP TRIGGER IF EXISTS data_version ON exchange_goodpractice;
DELETE FROM atlas_data_version WHERE name = 'exchange_goodpractice';
ALTER TABLE exchange_practiceplace DROP CONSTRAINT IF EXISTS place_drawn_srid;
DROP INDEX IF EXISTS exchange_goodpractice_search;
ALTER TABLE exchange_goodpractice DROP COLUMN IF EXISTS search;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("exchange", "0001_initial"),
        ("layers", "0006_data_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
