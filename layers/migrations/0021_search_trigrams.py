"""Journeys: typo- and transliteration-tolerant search, a trigram index of the loosened text.

``atlas_loose`` makes the letters that transliterations of one name differ in the same
(y, j → i; w → v): "Tuyda" and Туида (tuida), "Yambol" and "Jambol". A query word of
four letters or more that starts no word of a feature matches when its trigrams are
close to a word of the feature's loosened text (pg_trgm's ``<%``, word similarity at its
default of 0.6), ranked below exact matches (layers/search_query.py). The index is GIN
over trigrams (pg_trgm, created by migration 0005), with the large pending list bulk
imports append to (as migration 0007 had for the trigram index 0009 dropped).
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION atlas_loose(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(t, 'yjw', 'iiv')
$$;
CREATE INDEX attraction_search_trgm ON layers_attraction
  USING gin (atlas_loose(search) gin_trgm_ops) WITH (fastupdate = on, gin_pending_list_limit = 65536);
CREATE INDEX trail_search_trgm ON layers_trail
  USING gin (atlas_loose(search) gin_trgm_ops) WITH (fastupdate = on, gin_pending_list_limit = 65536);
"""

REVERSE = """
DROP INDEX IF EXISTS trail_search_trgm;
DROP INDEX IF EXISTS attraction_search_trgm;
DROP FUNCTION IF EXISTS atlas_loose(text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0020_search_fold_letter_pairs"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
