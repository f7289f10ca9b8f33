"""Trust D5: the routes' ``search`` folded again by layers' new ``atlas_latin``.

``search`` is a generated column (migration 0002): PostgreSQL computes it again when a
row is written, not when the function it calls changes. Only the routes whose text now
folds differently are written (a title with "1000" in it, say); the audit records
nothing, as no copied field changes.
"""

from django.db import migrations

FOLDED = """atlas_latin(
  coalesce(title_bg, '') || ' ' || coalesce(title_el, '') || ' ' || coalesce(title_fr, '')
  || ' ' || coalesce(title_en, '') || ' ' || coalesce(summary_bg, '') || ' '
  || coalesce(summary_el, '') || ' ' || coalesce(summary_fr, '') || ' '
  || coalesce(summary_en, ''))"""

REFOLD = f"""
UPDATE routes_pilotroute SET title_en = title_en WHERE search IS DISTINCT FROM {FOLDED};
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0020_search_fold_letter_pairs"),
        ("routes", "0006_audit_links"),
    ]

    # Going back, layers' migration restores the old fold after this one is undone: the
    # routes keep the new fold's text until they are next written.
    operations = [migrations.RunSQL(REFOLD, migrations.RunSQL.noop)]
