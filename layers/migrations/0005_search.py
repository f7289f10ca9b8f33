"""Text search across scripts: every feature gets a `search` column in plain Latin.

Names and descriptions in all four languages are folded to lower-case Latin
without accents: Cyrillic by the Bulgarian Streamlined System, Greek by ELOT
743, and repeated letters squeezed (Larissa, Larisa). A query is folded the
same way, so "Стара" finds "Stara Zagora" and "Larisa" finds "Λάρισα". A
trigram index serves substring search.
"""

from django.db import migrations

# Multi-letter transliterations first, then letter by letter with translate().
# (|| rather than concat_ws below: generated columns need immutable expressions.)
LATIN = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION atlas_latin(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace(
    translate(
      replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        lower(t),
        'щ', 'sht'), 'ж', 'zh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'),
        'θ', 'th'), 'χ', 'ch'), 'ψ', 'ps'), 'ου', 'ou'), 'ού', 'ou'), 'αυ', 'av'), 'ευ', 'ev'),
        'αύ', 'av'), 'εύ', 'ev'), 'ξ', 'x'), 'ъ', 'a'), 'ь', 'y'), 'й', 'y'),
      'абвгдезиклмнопрстуфхэыёαβγδεζηικλμνοπρσςτυφωάέήίόύώϊϋΐΰàâäáãåçèéêëìíîïñòóôöõùúûüýÿœæčďěňřšťůžąćęłńśźżőűășț',
      'abvgdeziklmnoprstufheyeavgdeziiklmnoprsstyfoaeiioyoiyiyaaaaaaceeeeiiiinooooouuuuyyoacdenrstuzacelnszzouast'),
    '(.)\1+', '\1', 'g')
$$;

ALTER TABLE layers_attraction ADD COLUMN search text GENERATED ALWAYS AS (atlas_latin(
  coalesce(name_bg, '') || ' ' || coalesce(name_el, '') || ' ' || coalesce(name_fr, '') || ' '
  || coalesce(name_en, '') || ' ' || coalesce(description_bg, '') || ' '
  || coalesce(description_el, '') || ' ' || coalesce(description_fr, '') || ' '
  || coalesce(description_en, ''))) STORED;
ALTER TABLE layers_trail ADD COLUMN search text GENERATED ALWAYS AS (atlas_latin(
  coalesce(name_bg, '') || ' ' || coalesce(name_el, '') || ' ' || coalesce(name_fr, '') || ' '
  || coalesce(name_en, '') || ' ' || coalesce(description_bg, '') || ' '
  || coalesce(description_el, '') || ' ' || coalesce(description_fr, '') || ' '
  || coalesce(description_en, ''))) STORED;
CREATE INDEX attraction_search_trgm ON layers_attraction USING gin (search gin_trgm_ops);
CREATE INDEX trail_search_trgm ON layers_trail USING gin (search gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS trail_search_trgm;
DROP INDEX IF EXISTS attraction_search_trgm;
ALTER TABLE layers_trail DROP COLUMN IF EXISTS search;
ALTER TABLE layers_attraction DROP COLUMN IF EXISTS search;
DROP FUNCTION IF EXISTS atlas_latin(text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0004_trail_metrics_trigger"),
    ]

    operations = [migrations.RunSQL(LATIN, DROP)]
