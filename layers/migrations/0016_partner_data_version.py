"""Partners get a data version too (see 0006): an export or a tile names each feature's
partner by its slug, and a kept export must be made again when a slug changes."""

from django.db import migrations

SQL = """
INSERT INTO atlas_data_version (name) VALUES ('layers_partner') ON CONFLICT DO NOTHING;
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON layers_partner
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""

DROP = """
DROP TRIGGER IF EXISTS data_version ON layers_partner;
DELETE FROM atlas_data_version WHERE name = 'layers_partner';
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0015_trail_display_geom"),
    ]

    operations = [migrations.RunSQL(SQL, DROP)]
