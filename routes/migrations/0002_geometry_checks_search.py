"""Geometry checks for the bare ``geometry`` columns, and cross-script search on routes.

``search`` holds the titles and summaries in plain Latin (``atlas_latin`` from
layers/0005), so ``?q=`` finds a route by its name in any script, as for features.
"""

from django.db import migrations

SQL = """
ALTER TABLE routes_pilotroute ADD CONSTRAINT route_geom_is_multilinestring
  CHECK (geom IS NULL OR (GeometryType(geom) = 'MULTILINESTRING' AND ST_SRID(geom) = 4326));
ALTER TABLE routes_routeleg ADD CONSTRAINT leg_geom_is_linestring
  CHECK (geom IS NULL OR (GeometryType(geom) = 'LINESTRING' AND ST_SRID(geom) = 4326));
ALTER TABLE routes_routeleg ADD CONSTRAINT leg_drawn_is_linestring
  CHECK (drawn IS NULL OR (GeometryType(drawn) = 'LINESTRING' AND ST_SRID(drawn) = 4326));
ALTER TABLE routes_pilotroute ADD COLUMN search text GENERATED ALWAYS AS (atlas_latin(
  coalesce(title_bg, '') || ' ' || coalesce(title_el, '') || ' ' || coalesce(title_fr, '')
  || ' ' || coalesce(title_en, '') || ' ' || coalesce(summary_bg, '') || ' '
  || coalesce(summary_el, '') || ' ' || coalesce(summary_fr, '') || ' '
  || coalesce(summary_en, ''))) STORED;
INSERT INTO atlas_data_version (name) VALUES ('routes_pilotroute') ON CONFLICT DO NOTHING;
CREATE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE ON routes_pilotroute
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""

REVERSE = """
DROP TRIGGER IF EXISTS data_version ON routes_pilotroute;
DELETE FROM atlas_data_version WHERE name = 'routes_pilotroute';
ALTER TABLE routes_pilotroute DROP COLUMN IF EXISTS search;
ALTER TABLE routes_routeleg DROP CONSTRAINT IF EXISTS leg_drawn_is_linestring;
ALTER TABLE routes_routeleg DROP CONSTRAINT IF EXISTS leg_geom_is_linestring;
ALTER TABLE routes_pilotroute DROP CONSTRAINT IF EXISTS route_geom_is_multilinestring;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("routes", "0001_initial"),
        ("layers", "0006_data_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
