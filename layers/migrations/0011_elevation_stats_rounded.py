"""Trail elevations to a tenth of a metre, from the vertices themselves.

ST_ZMin/ST_ZMax read the geometry's cached bounding box, which PostGIS keeps in
single precision: a lowest point of 25.6 m came out as 25.600000381469727. The
vertices' own Z values are doubles, and the profile loop visits each of them
anyway; no GPS or DEM is better than a decimetre, so the results are rounded.
"""

from django.db import migrations

STATS = """
CREATE OR REPLACE FUNCTION atlas_elevation_stats(
  g geometry, threshold double precision,
  OUT ascent double precision, OUT descent double precision,
  OUT min_ele double precision, OUT max_ele double precision)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  part geometry;
  z double precision;
  ref double precision;
BEGIN
  IF ST_NDims(g) < 3 OR ST_IsEmpty(g) THEN
    RETURN;
  END IF;
  ascent := 0; descent := 0;
  FOR part IN SELECT (ST_Dump(g)).geom LOOP
    ref := NULL;
    FOR z IN SELECT ST_Z((dp).geom) FROM ST_DumpPoints(part) AS dp ORDER BY (dp).path LOOP
      min_ele := least(min_ele, z); max_ele := greatest(max_ele, z);
      IF ref IS NULL THEN
        ref := z;
      ELSIF z - ref > threshold THEN
        ascent := ascent + (z - ref); ref := z;
      ELSIF ref - z > threshold THEN
        descent := descent + (ref - z); ref := z;
      END IF;
    END LOOP;
  END LOOP;
  ascent := round(ascent::numeric, 1); descent := round(descent::numeric, 1);
  min_ele := round(min_ele::numeric, 1); max_ele := round(max_ele::numeric, 1);
END
$$;
"""

BEFORE = """
CREATE OR REPLACE FUNCTION atlas_elevation_stats(
  g geometry, threshold double precision,
  OUT ascent double precision, OUT descent double precision,
  OUT min_ele double precision, OUT max_ele double precision)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  part geometry;
  z double precision;
  ref double precision;
BEGIN
  IF ST_NDims(g) < 3 OR ST_IsEmpty(g) THEN
    RETURN;
  END IF;
  ascent := 0; descent := 0;
  min_ele := ST_ZMin(g); max_ele := ST_ZMax(g);
  FOR part IN SELECT (ST_Dump(g)).geom LOOP
    ref := NULL;
    FOR z IN SELECT ST_Z((dp).geom) FROM ST_DumpPoints(part) AS dp ORDER BY (dp).path LOOP
      IF ref IS NULL THEN
        ref := z;
      ELSIF z - ref > threshold THEN
        ascent := ascent + (z - ref); ref := z;
      ELSIF ref - z > threshold THEN
        descent := descent + (ref - z); ref := z;
      END IF;
    END LOOP;
  END LOOP;
END
$$;
"""

# The trigger recomputes the metrics of the trails that have elevations.
RECOMPUTE = "UPDATE layers_trail SET activity = activity WHERE min_elevation_m IS NOT NULL;"


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0010_layer_reference"),
    ]

    operations = [
        migrations.RunSQL(STATS + RECOMPUTE, BEFORE + RECOMPUTE),
    ]
