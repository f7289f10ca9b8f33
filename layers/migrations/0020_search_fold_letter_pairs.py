"""Trust D5: ``atlas_latin`` without a back-reference, and digits no longer squeezed.

The fold squeezed every run of one character with ``regexp_replace(…, '(.)\\1+', '\\1')``.
A back-reference takes PostgreSQL's backtracking regular-expression engine: 2.75 s of
the 6.2 s a changed re-import of 40,000 rows spent (the update trigger folds the rows
whose names changed), which made that re-import 2.35× the first import (target ≤ 2×).
It also squeezed digits: "1000" became "10", and ``?q=1000`` found "Bunker 10".

Now only doubled Latin letters become one (Larissa, Larisa), by one ``replace`` per
letter a–z, after the transliteration: each pair of the same letter, left to right,
becomes one letter ("ss" → "s"; a rare run of three, "sss", leaves "ss"). Digits,
spaces and other characters are kept as they are. ``layers/search.py`` folds the same
way in Python, the explorer's script too; the stored ``search`` text is folded again
here (routes fold their own generated column in their migration 0006).
"""

from django.db import migrations

TRANSLITERATED = r"""translate(
      replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
      replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        lower(t),
        'щ', 'sht'), 'ж', 'zh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'),
        'θ', 'th'), 'χ', 'ch'), 'ψ', 'ps'), 'ου', 'ou'), 'ού', 'ou'), 'αυ', 'av'), 'ευ', 'ev'),
        'αύ', 'av'), 'εύ', 'ev'), 'ξ', 'x'), 'ъ', 'a'), 'ь', 'y'), 'й', 'y'),
      'абвгдезиклмнопрстуфхэыёαβγδεζηικλμνοπρσςτυφωάέήίόύώϊϋΐΰàâäáãåçèéêëìíîïñòóôöõùúûüýÿœæčďěňřšťůžąćęłńśźżőűășț',
      'abvgdeziklmnoprstufheyeavgdeziiklmnoprsstyfoaeiioyoiyiyaaaaaaceeeeiiiinooooouuuuyyoacdenrstuzacelnszzouast')"""

LETTERS = "abcdefghijklmnopqrstuvwxyz"
PAIRS = "replace(" * len(LETTERS) + TRANSLITERATED + "".join(
    f", '{c}{c}', '{c}')" for c in LETTERS)

NEW = f"""
CREATE OR REPLACE FUNCTION atlas_latin(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT {PAIRS}
$$;
"""
OLD = f"""
CREATE OR REPLACE FUNCTION atlas_latin(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT regexp_replace({TRANSLITERATED}, '(.)\\1+', '\\1', 'g')
$$;
"""

FOLDED = """atlas_latin(
    coalesce(name_bg, '') || ' ' || coalesce(name_el, '') || ' ' || coalesce(name_fr, '')
    || ' ' || coalesce(name_en, '') || ' ' || coalesce(description_bg, '') || ' '
    || coalesce(description_el, '') || ' ' || coalesce(description_fr, '') || ' '
    || coalesce(description_en, ''))"""

# Only the rows whose text folds differently now are written (those with a run of three
# letters, or doubled digits or other characters); the audit records none of them, as
# ``search`` is derived.
REFOLD = "".join(f"""
UPDATE {table} t SET search = n.folded
FROM (SELECT id, {FOLDED} AS folded FROM {table}) n
WHERE n.id = t.id AND t.search IS DISTINCT FROM n.folded;
""" for table in ("layers_attraction", "layers_trail"))


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0019_audit_links"),
    ]

    operations = [migrations.RunSQL(NEW + REFOLD, OLD + REFOLD)]
