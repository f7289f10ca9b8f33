"""A version number per table, bumped by every statement that writes it.

Vector tiles take their ETag from it. The bump is part of the writing
transaction, so a new version is seen exactly when the new data is: no client
can cache old data under a new ETag.
"""

from django.db import migrations

SQL = """
CREATE TABLE atlas_data_version (name text PRIMARY KEY, version bigint NOT NULL DEFAULT 0);
INSERT INTO atlas_data_version (name) VALUES
  ('layers_attraction'), ('layers_trail'), ('layers_layer');

CREATE OR REPLACE FUNCTION atlas_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE atlas_data_version SET version = version + 1 WHERE name = TG_TABLE_NAME;
  RETURN NULL;
END
$$;

CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON layers_attraction
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON layers_trail
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON layers_layer
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""

DROP = """
DROP TRIGGER IF EXISTS data_version ON layers_layer;
DROP TRIGGER IF EXISTS data_version ON layers_trail;
DROP TRIGGER IF EXISTS data_version ON layers_attraction;
DROP FUNCTION IF EXISTS atlas_bump_data_version();
DROP TABLE IF EXISTS atlas_data_version;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0005_search"),
    ]

    operations = [migrations.RunSQL(SQL, DROP)]
