"""Which models the audit trail follows, and how (docs/architecture.md, "Audit")."""

from __future__ import annotations

from collections.abc import Sequence

import pghistory
from django.contrib.gis.db import models
from django.utils.module_loading import import_string

# The audit trail (docs/architecture.md, "Audit"): PostgreSQL triggers copy every insert,
# change and deletion into an event table, whatever wrote it (the admin, the import
# writer's bulk SQL, an undo), with pghistory's context (who, from where). They are set up
# in translation.py (audit_track), once the translated fields exist. Timestamps and what PostgreSQL
# derives from the row (metrics, display line, search words) are left out: they would
# make a change where nobody made one.
UNAUDITED = ["created_at", "updated_at"]


def audit_track(model: type[models.Model], *, exclude: Sequence[str] = (),
                bulk: bool = False) -> None:
    """Record every insert, change and deletion of ``model``'s rows (but the fields in
    ``exclude`` and UNAUDITED) in its event table, ``<Model>Event``.

    Every event keeps its context (who, from where) as JSON of its own, rather than a
    link to a shared context row that each event would upsert. A model written ``bulk`` by
    the importers copies inserted and deleted rows once per statement; an update is
    recorded row by row, for the rows whose audited fields changed (a condition PostgreSQL
    checks before it calls the trigger).
    """
    level = pghistory.Statement if bulk else pghistory.Row
    excluded = {*UNAUDITED, *exclude}
    # A version's geometry is read with its version, never searched by place: no spatial
    # index, which would cost each event more than the rest of it.
    unindexed = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.GeometryField) and field.name not in excluded:
            _name, path, args, kwargs = field.deconstruct()
            unindexed[field.name] = import_string(path)(*args, **{**kwargs,
                                                                  "spatial_index": False})
    # "Did an audited field change?", as pghistory would ask it but with geometries
    # compared as bytes: a restore (pg_dump's empty search_path) cannot find PostGIS's
    # "=" again in a trigger's WHEN clause ("operator is not unique").
    changed = " OR ".join(
        f'OLD."{f.column}"::bytea IS DISTINCT FROM NEW."{f.column}"::bytea'
        if isinstance(f, models.GeometryField) else
        f'OLD."{f.column}" IS DISTINCT FROM NEW."{f.column}"'
        for f in model._meta.concrete_fields if f.name not in excluded)
    pghistory.track(pghistory.InsertEvent(level=level),
                    pghistory.UpdateEvent(condition=pghistory.Condition(changed)),
                    pghistory.DeleteEvent(level=level), exclude=sorted(excluded),
                    context_field=pghistory.ContextJSONField(), attrs=unindexed)(model)


def audit_track_links(proxy: type[models.Model]) -> None:
    """Record every link added to and removed from a many-to-many field: ``proxy`` is a
    proxy model of the field's through table (pgtrigger puts triggers on a proxy of an
    auto-created table, whose migrations are the proxy's app's). Its inserts and deletes
    go, with their context, into ``<Proxy>Event``. A link has no version to return to,
    so its events refer to no row (``obj_field=None``); the history of the object that
    holds the field shows them (audit/admin.py)."""
    pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None,
                    context_field=pghistory.ContextJSONField())(proxy)
