"""Two things left behind by earlier migrations.

- A planner evidence row's "share within R km" names its radius: the planner's snapshots
  answer its standard question only (5 km), so the label says the number.
- ``search`` is a generated column: PostgreSQL computes it when a row is written, not
  when the function it calls changes. Practices written before layers 0020 changed
  ``atlas_latin`` kept the old fold (exchange 0005 did not depend on it); only the rows
  whose text now folds differently are written again, as routes 0007 does for routes.
"""

from django.db import migrations, models

LANGS = ("bg", "el", "fr", "en")
FIELDS = ("title", "summary", "problem", "actions", "lessons")
FOLDED = "atlas_latin(" + " || ' ' || ".join(
    f"coalesce({f}_{c}, '')" for f in FIELDS for c in LANGS) + ")"
REFOLD = (f"UPDATE exchange_goodpractice SET title_en = title_en "
          f"WHERE search IS DISTINCT FROM {FOLDED};")


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0009_search_trigrams'),
        ('layers', '0020_search_fold_letter_pairs'),
    ]

    operations = [
        # Going back leaves the new fold: it is what the function computes anyway.
        migrations.RunSQL(REFOLD, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='indicator',
            name='measure',
            field=models.CharField(blank=True, choices=[('attractions_per_100km2', 'Attractions per 100 km²'), ('share_within', 'Share of the territory within 5 km of an attraction'), ('trail_km', 'Trail kilometres'), ('published_routes', 'Published pilot routes')], max_length=32, verbose_name='planner indicator'),
        ),
        migrations.AlterField(
            model_name='transferindicator',
            name='measure',
            field=models.CharField(blank=True, choices=[('attractions_per_100km2', 'Attractions per 100 km²'), ('share_within', 'Share of the territory within 5 km of an attraction'), ('trail_km', 'Trail kilometres'), ('published_routes', 'Published pilot routes')], max_length=32, verbose_name='planner indicator'),
        ),
    ]
