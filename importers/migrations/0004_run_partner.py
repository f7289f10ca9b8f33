"""Each import run keeps its partner's id: who may read and undo it (not the layer's slug)."""

import django.db.models.deletion
from django.db import migrations, models

# A run that reached a layer was that layer's partner's. A failed run that found no layer
# kept only a slug, which names no owner for sure: it stays without one (superusers only).
BACKFILL = """
    UPDATE importers_importrun r SET partner_id = l.partner_id
    FROM layers_layer l WHERE r.layer_id = l.id
"""


class Migration(migrations.Migration):

    dependencies = [
        ("importers", "0003_run_messages"),
        ("layers", "0011_elevation_stats_rounded"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="partner",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="import_runs", to="layers.partner"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
