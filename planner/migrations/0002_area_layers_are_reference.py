from django.db import migrations


def mark(apps, schema_editor):
    Layer = apps.get_model("layers", "Layer")
    AreaLayer = apps.get_model("coverage", "AreaLayer")
    Layer.objects.filter(pk__in=AreaLayer.objects.values("layer_id")).update(reference=True)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0001_initial"),
        ("layers", "0010_layer_reference"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
