"""Partners' editors correct transfers and study visits in the admin: every partner's
editors group made before this gets the permissions that new groups get from
``layers.services.partner_editors_group_ensure`` (exchange/admin.py: EDITOR_PERMISSIONS).
The admin narrows each to the editors' partners' rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen here as it was when written (the app's list may change after).
EDITOR_PERMISSIONS = {
    "transfer": ("change", "delete", "view"),
    "transferstep": ("add", "change", "delete", "view"),
    "transferindicator": ("add", "change", "delete", "view"),
    "transferevent": ("view",),
    "studyvisit": ("add", "change", "delete", "view"),
    "visitplace": ("add", "change", "delete", "view"),
}


def grant_editors_exchange_permissions(apps: Any, schema_editor: Any) -> None:
    # The permissions are made after the migrations of a fresh database: make them now.
    config = apps.get_app_config("exchange")
    kept = getattr(config, "models_module", None)
    config.models_module = kept or True  # create_permissions skips an app without models
    try:
        create_permissions(config, verbosity=0, apps=apps)
    finally:
        config.models_module = kept
    Permission = apps.get_model("auth", "Permission")
    Partner = apps.get_model("layers", "Partner")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items()
                 for action in actions]
    perms = list(Permission.objects.filter(content_type__app_label="exchange",
                                           codename__in=codenames))
    for partner in Partner.objects.exclude(editors=None).select_related("editors"):
        partner.editors.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_indicator_measure"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_editors_exchange_permissions, migrations.RunPython.noop),
    ]
