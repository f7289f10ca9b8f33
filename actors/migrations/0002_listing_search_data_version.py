"""Cross-script search on listings, and the data version the tiles and stored exports
follow (as routes 0002 does for routes).

``search`` holds the names and descriptions in plain Latin (``atlas_latin``, layers
0005), so that ``?q=`` finds a listing by its name in any script.
"""

from django.db import migrations

SQL = """
ALTER TABLE actors_listing ADD COLUMN search text GENERATED ALWAYS AS (atlas_latin(
  coalesce(name_bg, '') || ' ' || coalesce(name_el, '') || ' ' || coalesce(name_fr, '')
  || ' ' || coalesce(name_en, '') || ' ' || coalesce(description_bg, '') || ' '
  || coalesce(description_el, '') || ' ' || coalesce(description_fr, '') || ' '
  || coalesce(description_en, ''))) STORED;
INSERT INTO atlas_data_version (name) VALUES ('actors_listing') ON CONFLICT DO NOTHING;
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON actors_listing
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""

REVERSE = """
DROP TRIGGER IF EXISTS data_version ON actors_listing;
DELETE FROM atlas_data_version WHERE name = 'actors_listing';
ALTER TABLE actors_listing DROP COLUMN IF EXISTS search;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("actors", "0001_initial"),
        ("layers", "0006_data_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
