"""A trail's display geometry: its line thinned to at most a number of vertices.

A trail of a million vertices (a GPS log recorded every metre) is kept whole — its
export and its metrics use every vertex — but a page, a map's list or a tile
drawing it whole sent 27.8 MB (Trust D8). ``display_geom`` is NULL for a trail
within the cap (its line is its display); beyond it, the line simplified
(Douglas-Peucker, each part kept) until at most ``max_vertices`` remain. It is
stored rather than computed per request: simplifying a million vertices takes
some 0.4 s of the database each time, reading 50,000 stored ones a few ms.

``atlas_display_geometry`` is called by ``layers.services.trails_display_refresh``
with the cap of the settings (``ATLAS_DISPLAY_MAX_VERTICES``).
"""

from django.db import migrations

import geo.fields

FUNCTION = """
CREATE OR REPLACE FUNCTION atlas_display_geometry(g geometry, max_vertices integer)
RETURNS geometry LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  tolerance double precision;
  simple geometry;
BEGIN
  IF g IS NULL OR max_vertices IS NULL OR ST_NPoints(g) <= max_vertices THEN
    RETURN NULL;
  END IF;
  -- A first guess a little under what keeps max_vertices evenly spaced along the line;
  -- doubled until the line fits. Each part keeps at least its two ends, so a line of
  -- more parts than half the cap never fits: after 40 doublings it is what it is.
  tolerance := greatest(ST_Length(g) / max_vertices / 4, 1e-9);
  FOR i IN 1..40 LOOP
    simple := ST_Simplify(g, tolerance, true);
    EXIT WHEN ST_NPoints(simple) <= max_vertices;
    tolerance := tolerance * 2;
  END LOOP;
  RETURN ST_Multi(simple);
END
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0014_partner_welcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="trail",
            name="display_geom",
            field=geo.fields.MultiLineStringAnyZField(
                editable=False, null=True, srid=4326, verbose_name="display geometry"),
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS atlas_display_geometry(geometry, integer);"),
    ]
