"""An attraction's footprint past the display's vertex cap gets a thinned copy to draw,
as a trail's line has (migration 0015; Trust section 6): a footprint of a million
vertices made its page and its popup as large. ``atlas_display_geometry`` now starts
from a polygon's perimeter (a polygon has no length: its first tolerance was a
nanodegree, and forty doublings of ST_Simplify over the whole footprint followed).
"""

from importlib import import_module

import django.contrib.gis.db.models.fields
from django.db import migrations

lines = import_module("layers.migrations.0015_trail_display_geom")

FUNCTION = lines.FUNCTION.replace(
    "tolerance := greatest(ST_Length(g) / max_vertices / 4, 1e-9);",
    "tolerance := greatest(CASE WHEN ST_Dimension(g) = 2 THEN ST_Perimeter(g) "
    "ELSE ST_Length(g) END / max_vertices / 4, 1e-9);")
assert FUNCTION != lines.FUNCTION


class Migration(migrations.Migration):

    dependencies = [
        ('layers', '0022_attraction_opening_hours_checked'),
    ]

    operations = [
        migrations.AddField(
            model_name='attraction',
            name='display_footprint',
            field=django.contrib.gis.db.models.fields.MultiPolygonField(blank=True, editable=False, null=True, spatial_index=False, srid=4326, verbose_name='display footprint'),
        ),
        migrations.RunSQL(FUNCTION, lines.FUNCTION),
    ]
