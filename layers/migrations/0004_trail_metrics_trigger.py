"""Trail metrics: from generated columns to one trigger.

Generated columns computed the elevation profile three times per row (ascent,
descent, and again for the duration); the trigger walks it once. Same numbers,
same guarantee: whatever writes a trail's geometry or activity (admin, ORM,
importers' bulk SQL) gets its metrics from PostGIS.
"""

from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION atlas_duration_minutes(
    activity text, length_m double precision, ascent_m double precision)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT round(60 * (length_m / 1000.0 / p.kmh + coalesce(ascent_m, 0) / p.climb_mph))::integer
  FROM (SELECT CASE activity
                 WHEN 'walking' THEN 4.0 WHEN 'hiking' THEN 5.0 WHEN 'running' THEN 9.0
                 WHEN 'cycling' THEN 15.0 WHEN 'mountain_biking' THEN 12.0
                 WHEN 'horse_riding' THEN 6.0 WHEN 'cross_country_skiing' THEN 8.0
                 WHEN 'snowshoeing' THEN 3.0 ELSE 5.0 END AS kmh,
               CASE activity
                 WHEN 'running' THEN 1000.0 WHEN 'cycling' THEN 500.0
                 WHEN 'mountain_biking' THEN 400.0 WHEN 'horse_riding' THEN 700.0
                 WHEN 'snowshoeing' THEN 400.0 ELSE 600.0 END AS climb_mph) AS p
  WHERE length_m IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION atlas_trail_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stats record;
BEGIN
  NEW.length_m := atlas_length_m(NEW.geom);
  stats := atlas_elevation_stats(NEW.geom, 3);
  NEW.ascent_m := stats.ascent;
  NEW.descent_m := stats.descent;
  NEW.min_elevation_m := stats.min_ele;
  NEW.max_elevation_m := stats.max_ele;
  NEW.duration_min := atlas_duration_minutes(NEW.activity, NEW.length_m, NEW.ascent_m);
  NEW.is_loop := atlas_is_loop(NEW.geom);
  RETURN NEW;
END
$$;

CREATE TRIGGER trail_metrics BEFORE INSERT OR UPDATE OF geom, activity ON layers_trail
  FOR EACH ROW EXECUTE FUNCTION atlas_trail_metrics();

UPDATE layers_trail SET activity = activity;
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS trail_metrics ON layers_trail;
DROP FUNCTION IF EXISTS atlas_trail_metrics();
DROP FUNCTION IF EXISTS atlas_duration_minutes(text, double precision, double precision);
"""

METRICS = [
    ("length_m", models.FloatField(editable=False, null=True, verbose_name="length (m)")),
    ("ascent_m", models.FloatField(editable=False, null=True, verbose_name="ascent (m)")),
    ("descent_m", models.FloatField(editable=False, null=True, verbose_name="descent (m)")),
    ("min_elevation_m", models.FloatField(editable=False, null=True,
                                          verbose_name="lowest point (m)")),
    ("max_elevation_m", models.FloatField(editable=False, null=True,
                                          verbose_name="highest point (m)")),
    ("duration_min", models.IntegerField(editable=False, null=True,
                                         verbose_name="estimated duration (min)")),
    ("is_loop", models.BooleanField(editable=False, null=True, verbose_name="loop")),
]


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0003_partial_footprint_index"),
    ]

    operations = [
        *[migrations.RemoveField(model_name="trail", name=name) for name, _ in METRICS],
        *[migrations.AddField(model_name="trail", name=name, field=field)
          for name, field in METRICS],
        migrations.RunSQL(TRIGGER, DROP_TRIGGER),
    ]
