"""Reading the audit's events: an object's history as a list of changes, field by field,
and the values of one version to restore.

Each audited model has an event model (``<Model>Event``, made by pghistory) holding a copy
of its audited fields at every insert, update and deletion, and the context of the change
(``pgh_context``, JSON: user, url, method, import_run, undo_of_layer, command …).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# Words for the events' labels, in the reader's language.
LABELS = {"insert": gettext_lazy("creation"), "update": gettext_lazy("change"),
          "delete": gettext_lazy("deletion"),
          "snapshot": gettext_lazy("as it was when auditing began")}
LINK_LABELS = {"insert": pgettext_lazy("audit", "added"),
               "delete": pgettext_lazy("audit", "removed")}


def event_model(model: type[models.Model]) -> type[models.Model] | None:
    """The event model pghistory keeps for ``model``, or None if it is not audited."""
    for candidate in apps.get_models():
        if getattr(candidate, "pgh_tracked_model", None) is model:
            return candidate
    return None


def link_events(model: type[models.Model]) -> list[tuple[type[models.Model], str, str, str]]:
    """For each audited many-to-many field of ``model`` (audit_track_links): its links'
    event model, the column naming ``model``'s row, the field naming the other end, and
    the field's name in the reader's language."""
    found = []
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        for proxy in apps.get_models():
            if not (proxy._meta.proxy and proxy._meta.concrete_model is through):
                continue
            events = event_model(proxy)
            if events is None:
                continue
            source = m2m.m2m_field_name()
            target = m2m.m2m_reverse_field_name()
            found.append((events, f"{source}_id", target, str(m2m.verbose_name)))
    return found


def audited_fields(events: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields an event copies from its object."""
    tracked = getattr(events, "pgh_tracked_model")  # noqa: B009 (made by pghistory)
    names = {f.name for f in tracked._meta.concrete_fields}
    return [f for f in events._meta.concrete_fields
            if f.name in names and not f.name.startswith("pgh_") and f.name != "id"]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    event: Any
    what: str  # creation, change or deletion, and of what (a route's stops and legs)
    who: str
    where: str
    changes: list[Change] = field(default_factory=list)
    restorable: bool = False


def _show(f: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(f, GeometryField):
        return _("a geometry of %(n)s points") % {"n": getattr(value, "num_coords", "?")}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        target = f.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else f"#{value}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:300]
    return str(value)


def _who(metadata: dict[str, Any], users: dict[Any, str]) -> str:
    if metadata.get("user") is not None:
        return users.get(metadata["user"], f"#{metadata['user']}")
    if metadata.get("command"):
        return _("command %(command)s") % {"command": metadata["command"]}
    return _("unknown (a change made outside the site)")


def _where(metadata: dict[str, Any]) -> str:
    parts = []
    if metadata.get("import_run"):
        parts.append(_("import run %(run)s") % {"run": metadata["import_run"]})
    if metadata.get("undo_of_layer"):
        parts.append(_("undo of the layer's latest import"))
    if metadata.get("restored_event"):
        parts.append(_("restored from version %(event)s") % {"event": metadata["restored_event"]})
    if metadata.get("url"):
        parts.append(f"{metadata.get('method', '')} {metadata['url']}".strip())
    return " · ".join(parts)


def entries(events: type[models.Model], *, filters: dict[str, Any], what: str = "",
            restorable: bool = False, only: str | None = None) -> list[Entry]:
    """The events matching ``filters``, oldest first, each with what it changed from the
    one before it for the same object (``only``: show that field alone)."""
    fields = [f for f in audited_fields(events) if only is None or f.name == only]
    rows: list[Any] = list(events._default_manager.filter(**filters).order_by("pgh_id"))
    metadata = [r.pgh_context or {} for r in rows]
    ids = {m["user"] for m in metadata if m.get("user") is not None}
    users = {u.pk: u.get_username()
             for u in get_user_model()._default_manager.filter(pk__in=ids)}
    out: list[Entry] = []
    last: dict[Any, Any] = {}
    for row, meta in zip(rows, metadata, strict=True):
        # A link's event (audit_track_links) refers to no row: each stands alone.
        key = getattr(row, "pgh_obj_id", None)
        before = last.get(key) if key is not None else None
        changes = []
        if row.pgh_label != "snapshot":
            for f in fields:
                new, old = getattr(row, f.attname), (getattr(before, f.attname)
                                                     if before is not None else None)
                if row.pgh_label == "delete":
                    new, old = None, new
                if before is None or new != old or row.pgh_label == "delete":
                    if new in (None, "") and old in (None, ""):
                        continue
                    changes.append(Change(str(f.verbose_name), _show(f, old), _show(f, new)))
        if key is not None:
            last[key] = row
        label = str((LINK_LABELS if key is None else LABELS).get(row.pgh_label, row.pgh_label))
        out.append(Entry(event=row, what=_("%(what)s: %(label)s") % {"what": what,
                                                                    "label": label}
                         if what else label,
                         who=_who(meta, users), where=_where(meta), changes=changes,
                         restorable=restorable and row.pgh_label != "delete"))
    return out


# Not written back by a restore: the public id never changes, and a partner's editors
# and role groups are the platform's to set (layers.services), not a version's.
NOT_RESTORED = ("uid", "editors", "moderators", "members")


def version_values(event: Any) -> dict[str, Any]:
    """The audited fields of one version, by attribute name, to write back."""
    return {f.attname: getattr(event, f.attname) for f in audited_fields(type(event))
            if f.name not in NOT_RESTORED}


def deleted_versions(events: type[models.Model], *, limit: int = 500) -> list[Any]:
    """The last version of each object of ``events``' model that no longer exists (its
    delete event), newest first: what the "deleted" page offers to restore."""
    tracked = getattr(events, "pgh_tracked_model")  # noqa: B009 (made by pghistory)
    rows = (events._default_manager.filter(pgh_label="delete")
            .exclude(pgh_obj_id__in=tracked._default_manager.values("pk")).order_by("-pgh_id"))
    found: dict[Any, Any] = {}
    row: Any
    for row in rows[:limit * 4]:
        found.setdefault(row.pgh_obj_id, row)
    return list(found.values())[:limit]


# A recreated object keeps its public id; a partner gets new role groups (layers.services),
# since its old ones went with it.
NOT_RECREATED = ("editors", "moderators", "members")


def recreated(event: Any) -> Any:
    """The object a delete event kept, unsaved, with its id and values as they were."""
    tracked = getattr(type(event), "pgh_tracked_model")  # noqa: B009
    values = {f.attname: getattr(event, f.attname) for f in audited_fields(type(event))
              if f.name not in NOT_RECREATED}
    return tracked(pk=event.pgh_obj_id, **values)


def provenance(event: Any) -> tuple[str, str]:
    """Who made ``event`` and from where (an import run, an undo, an address)."""
    meta = event.pgh_context or {}
    users = {}
    if meta.get("user") is not None:
        users = {u.pk: u.get_username()
                 for u in get_user_model()._default_manager.filter(pk=meta["user"])}
    return _who(meta, users), _where(meta)
