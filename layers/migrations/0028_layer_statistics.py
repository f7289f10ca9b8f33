"""Each layer's feature count, extent and first and last dates, kept per kind in
``layers_layerstatistics`` by statement triggers on the features' tables, so that the
layer list, the OGC collections and the metadata records cost the same at any size of data
(counting and measuring the features at each request took 25 s at 11 million points).

Each INSERT, UPDATE or DELETE adds what its new rows bring and takes away what its old
rows held (from the statement's transition tables, so the cost follows the rows written,
not the layer's size). The count is exact by difference. The extent and the dates only
grow by themselves; when a row that leaves held one of the bounds and no arriving row
reaches it, the layer's statistics are made again from its features
(``atlas_layer_statistics_refresh``), which is what deleting or moving a feature on the
layer's edge costs. A TRUNCATE empties the kind's statistics. A bulk writer that turns the
triggers off calls ``atlas_layer_statistics_refresh(kind, layer_ids)`` after (the
benchmarks do).

The kinds and their tables are frozen here as they are today (layers/registry.py: the
layered kinds are attraction and trail, both this app's).
"""

import django.db.models.deletion
from django.db import migrations, models

KINDS = {"attraction": ("layers_attraction", "location"), "trail": ("layers_trail", "geom")}


def _aggregate(rows: str, geom: str) -> str:
    """Per layer: how many of ``rows`` are current, their extent and dates."""
    return f"""SELECT layer_id, n, ST_XMin(e) AS w, ST_YMin(e) AS s,
                      ST_XMax(e) AS e, ST_YMax(e) AS nn, f, l
               FROM (SELECT layer_id, count(*) AS n, ST_Extent({geom}) AS e,
                            min(created_at) AS f, max(updated_at) AS l
                     FROM {rows} WHERE retired_at IS NULL GROUP BY layer_id) a"""


def _stale(low: str, high: str) -> str:
    """True when a bound the gone rows held is still the bound and no new row holds it."""
    return " OR ".join(
        [f"(d.g{c} <= s.{col} AND NOT COALESCE(d.c{c} <= d.g{c}, false))" for c, col in low]
        + [f"(d.g{c} >= s.{col} AND NOT COALESCE(d.c{c} >= d.g{c}, false))" for c, col in high])


STALE = _stale([("w", "west"), ("s", "south"), ("f", "first_created")],
               [("e", "east"), ("nn", "north"), ("l", "last_updated")])


def _trigger_function(kind: str, op: str) -> str:
    table, geom = KINDS[kind]
    empty = ("SELECT NULL::bigint AS layer_id, 0::bigint AS n, NULL::float8 AS w, "
             "NULL::float8 AS s, NULL::float8 AS e, NULL::float8 AS nn, "
             "NULL::timestamptz AS f, NULL::timestamptz AS l WHERE false")
    came = _aggregate("new_rows", geom) if op != "delete" else empty
    gone = _aggregate("old_rows", geom) if op != "insert" else empty
    make_rows = "" if op == "delete" else f"""
  INSERT INTO layers_layerstatistics (layer_id, kind, feature_count)
    SELECT DISTINCT layer_id, '{kind}', 0 FROM new_rows WHERE retired_at IS NULL
    ORDER BY layer_id
    ON CONFLICT (layer_id, kind) DO NOTHING;"""
    touched = {"insert": "SELECT layer_id FROM new_rows",
               "delete": "SELECT layer_id FROM old_rows",
               "update": "SELECT layer_id FROM new_rows UNION SELECT layer_id FROM old_rows"}[op]
    # The rows locked in one order, so that two statements writing several layers each
    # wait for one another instead of deadlocking.
    lock = f"""
  PERFORM 1 FROM layers_layerstatistics s
    WHERE s.kind = '{kind}' AND s.layer_id IN ({touched})
    ORDER BY s.layer_id FOR UPDATE;"""
    return f"""
CREATE FUNCTION atlas_layer_statistics_{kind}_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stale bigint[];
BEGIN{make_rows}{lock}
  WITH came AS ({came}), gone AS ({gone}),
  d AS (SELECT COALESCE(c.layer_id, g.layer_id) AS layer_id,
               COALESCE(c.n, 0) - COALESCE(g.n, 0) AS dn,
               c.w AS cw, c.s AS cs, c.e AS ce, c.nn AS cnn, c.f AS cf, c.l AS cl,
               g.w AS gw, g.s AS gs, g.e AS ge, g.nn AS gnn, g.f AS gf, g.l AS gl
        FROM came c FULL JOIN gone g ON g.layer_id = c.layer_id),
  changed AS (
    UPDATE layers_layerstatistics s SET
      feature_count = s.feature_count + d.dn,
      west = CASE WHEN s.feature_count + d.dn > 0 THEN LEAST(s.west, d.cw) END,
      south = CASE WHEN s.feature_count + d.dn > 0 THEN LEAST(s.south, d.cs) END,
      east = CASE WHEN s.feature_count + d.dn > 0 THEN GREATEST(s.east, d.ce) END,
      north = CASE WHEN s.feature_count + d.dn > 0 THEN GREATEST(s.north, d.cnn) END,
      first_created = CASE WHEN s.feature_count + d.dn > 0
                           THEN LEAST(s.first_created, d.cf) END,
      last_updated = CASE WHEN s.feature_count + d.dn > 0
                          THEN GREATEST(s.last_updated, d.cl) END
    FROM d WHERE s.layer_id = d.layer_id AND s.kind = '{kind}'
    RETURNING s.layer_id, s.feature_count > 0 AND ({STALE}) AS stale)
  SELECT array_agg(layer_id) INTO stale FROM changed WHERE changed.stale;
  IF stale IS NOT NULL THEN
    PERFORM atlas_layer_statistics_refresh('{kind}', stale);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER layer_statistics_{op} AFTER {op.upper()} ON {table}
  REFERENCING {"OLD TABLE AS old_rows " if op != "insert" else ""}{"NEW TABLE AS new_rows" if op != "delete" else ""}
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_layer_statistics_{kind}_{op}();"""


def _refresh_branch(kind: str) -> str:
    table, geom = KINDS[kind]
    chosen = "retired_at IS NULL AND (which_layers IS NULL OR layer_id = ANY(which_layers))"
    counted = _aggregate(table, geom).replace("WHERE retired_at IS NULL", f"WHERE {chosen}")
    # In place (the rows keep their ids), and to nothing where no feature is left.
    return f"""
  IF which_kind = '{kind}' THEN
    WITH a AS ({counted}),
    kept AS (
      INSERT INTO layers_layerstatistics (layer_id, kind, feature_count, west, south, east,
                                          north, first_created, last_updated)
        SELECT layer_id, '{kind}', n, w, s, e, nn, f, l FROM a ORDER BY layer_id
      ON CONFLICT (layer_id, kind) DO UPDATE SET
        feature_count = EXCLUDED.feature_count, west = EXCLUDED.west,
        south = EXCLUDED.south, east = EXCLUDED.east, north = EXCLUDED.north,
        first_created = EXCLUDED.first_created, last_updated = EXCLUDED.last_updated)
    UPDATE layers_layerstatistics s SET feature_count = 0, west = NULL, south = NULL,
      east = NULL, north = NULL, first_created = NULL, last_updated = NULL
    WHERE s.kind = '{kind}' AND (which_layers IS NULL OR s.layer_id = ANY(which_layers))
      AND s.layer_id NOT IN (SELECT layer_id FROM a);
    RETURN;
  END IF;"""


SQL = "\n".join([
    f"""
-- Made again from the features: the layers ``which_layers`` (all when NULL) of a kind.
CREATE FUNCTION atlas_layer_statistics_refresh(which_kind text, which_layers bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN{"".join(_refresh_branch(k) for k in KINDS)}
  RAISE EXCEPTION 'atlas_layer_statistics_refresh: no kind %', which_kind;
END
$$;

CREATE FUNCTION atlas_layer_statistics_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM layers_layerstatistics WHERE kind = TG_ARGV[0];
  RETURN NULL;
END
$$;""",
    *(_trigger_function(k, op) for k in KINDS for op in ("insert", "update", "delete")),
    *(f"""CREATE TRIGGER layer_statistics_truncate AFTER TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION atlas_layer_statistics_truncate('{k}');"""
      for k, (table, _g) in KINDS.items()),
    *(f"SELECT atlas_layer_statistics_refresh('{k}', NULL);" for k in KINDS),
])

DROP = "\n".join([
    *(f"DROP TRIGGER IF EXISTS layer_statistics_{op} ON {table};"
      for table, _g in KINDS.values() for op in ("insert", "update", "delete", "truncate")),
    *(f"DROP FUNCTION IF EXISTS atlas_layer_statistics_{k}_{op}();"
      for k in KINDS for op in ("insert", "update", "delete")),
    "DROP FUNCTION IF EXISTS atlas_layer_statistics_truncate();",
    "DROP FUNCTION IF EXISTS atlas_layer_statistics_refresh(text, bigint[]);",
])


class Migration(migrations.Migration):

    dependencies = [
        ('layers', '0027_attraction_practical_fields'),
    ]

    operations = [
        migrations.CreateModel(
            name='LayerStatistics',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('feature_count', models.BigIntegerField(default=0)),
                ('west', models.FloatField(null=True)),
                ('south', models.FloatField(null=True)),
                ('east', models.FloatField(null=True)),
                ('north', models.FloatField(null=True)),
                ('first_created', models.DateTimeField(null=True)),
                ('last_updated', models.DateTimeField(null=True)),
                ('layer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statistics', to='layers.layer')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('layer', 'kind'), name='layer_statistics_kind')],
            },
        ),
        migrations.RunSQL(SQL, DROP),
    ]
