"""Cheaper writes: ``search`` given by bulk imports, a word index, a partial footprint index.

- ``search`` was a generated column: PostgreSQL ran ``atlas_latin`` (some 40 µs)
  for every row written, the largest part of a 100,000-row import. It is now a
  plain column that a trigger fills whenever a write leaves it empty or changes
  a translation; bulk imports give it, folded by the same rules in Python
  (``layers/search.py``, kept equal to ``atlas_latin`` by its tests).
- Search matches word prefixes (``to_tsvector``/``tsquery``, GIN) instead of
  substrings (trigrams): a row adds a handful of words to the index instead of
  some thirty trigrams. "Стара", "Larisa", "stara zag" still find what they did.
- The footprint index is partial, as the model says: Django's PostGIS schema
  editor drops the condition of a spatial index, so every point-only attraction
  (footprint NULL) had an entry in it.
"""

from django.db import migrations

FOLDED = """atlas_latin(
    coalesce({p}name_bg, '') || ' ' || coalesce({p}name_el, '') || ' ' || coalesce({p}name_fr, '')
    || ' ' || coalesce({p}name_en, '') || ' ' || coalesce({p}description_bg, '') || ' '
    || coalesce({p}description_el, '') || ' ' || coalesce({p}description_fr, '') || ' '
    || coalesce({p}description_en, ''))"""
TRANSLATIONS = ("name_bg", "name_el", "name_fr", "name_en",
                "description_bg", "description_el", "description_fr", "description_en")
CHANGED = ("(" + ", ".join(f"NEW.{c}" for c in TRANSLATIONS) + ") IS DISTINCT FROM ("
           + ", ".join(f"OLD.{c}" for c in TRANSLATIONS) + ")")

SQL = r"""
CREATE OR REPLACE FUNCTION atlas_feature_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := """ + FOLDED.format(p="NEW.") + r""";
  RETURN NEW;
END
$$;

-- ?q= as a query of word prefixes, every one required, over the words to_tsvector cuts
-- it into ("stara zag" -> stara:* & zag:*, "saint-vallier" -> saint-vallier:* & saint:*
-- & vallier:*); NULL when it has none.
CREATE OR REPLACE FUNCTION atlas_prefix_query(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*',
                    ' & ')::tsquery
  FROM unnest(to_tsvector('simple', atlas_latin(words)))
$$;
"""
for table, prefix in (("layers_attraction", "attraction"), ("layers_trail", "trail")):
    SQL += f"""
DROP INDEX IF EXISTS {prefix}_search_trgm;
ALTER TABLE {table} DROP COLUMN search;
ALTER TABLE {table} ADD COLUMN search text;
UPDATE {table} SET search = {FOLDED.format(p="")};
ALTER TABLE {table} ALTER COLUMN search SET NOT NULL;
CREATE TRIGGER search_on_insert BEFORE INSERT ON {table} FOR EACH ROW
  WHEN (NEW.search IS NULL) EXECUTE FUNCTION atlas_feature_search();
CREATE TRIGGER search_on_update BEFORE UPDATE ON {table} FOR EACH ROW
  WHEN ({CHANGED} OR NEW.search IS DISTINCT FROM OLD.search)
  EXECUTE FUNCTION atlas_feature_search();
-- Bulk imports append to a pending list, merged later by (auto)vacuum.
CREATE INDEX {prefix}_search_words ON {table} USING gin (to_tsvector('simple', search))
  WITH (fastupdate = on, gin_pending_list_limit = 65536);
"""
SQL += """
DROP INDEX attraction_footprint_gist;
CREATE INDEX attraction_footprint_gist ON layers_attraction USING gist (footprint)
  WHERE footprint IS NOT NULL;
"""

REVERSE = """
DROP INDEX attraction_footprint_gist;
CREATE INDEX attraction_footprint_gist ON layers_attraction USING gist (footprint);
"""
for table, prefix in (("layers_attraction", "attraction"), ("layers_trail", "trail")):
    REVERSE += f"""
DROP INDEX IF EXISTS {prefix}_search_words;
DROP TRIGGER IF EXISTS search_on_update ON {table};
DROP TRIGGER IF EXISTS search_on_insert ON {table};
ALTER TABLE {table} DROP COLUMN search;
ALTER TABLE {table} ADD COLUMN search text GENERATED ALWAYS AS ({FOLDED.format(p="")}) STORED;
CREATE INDEX {prefix}_search_trgm ON {table} USING gin (search gin_trgm_ops)
  WITH (fastupdate = on, gin_pending_list_limit = 65536);
"""
REVERSE += """
DROP FUNCTION IF EXISTS atlas_prefix_query(text);
DROP FUNCTION IF EXISTS atlas_feature_search();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0007_search_index_pending_list"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
