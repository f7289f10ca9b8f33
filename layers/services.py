"""Writes to partners, layers and features. Keyword-only, typed, atomic."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from layers.models import Attraction, Layer, Partner, Trail
from layers.registry import EXTRA_EDITOR_PERMISSIONS

# What a partner's editors may do, on their own partner's rows only (the
# admin scopes every queryset to the partner; see layers/admin.py). Higher apps add
# theirs with layers.registry.register_editor_permissions.
EDITOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "layer": ("add", "change", "delete", "view"),
    "attraction": ("add", "change", "delete", "view"),
    "trail": ("add", "change", "delete", "view"),
    "partner": ("view",),
}


def editors_group_name(slug: str) -> str:
    return f"{slug} editors"


@transaction.atomic
def partner_role_groups_ensure(*, partner: Partner) -> None:
    """The partner's moderators and members groups, created if missing (the editors' has
    its own service, for its permissions). The roles carry no admin permission: what a
    moderator or member may do is decided by ``layers.permissions``, page by page."""
    changed = []
    for role in ("moderators", "members"):
        if getattr(partner, role) is None:
            group, _ = Group.objects.get_or_create(name=f"{partner.slug} {role}")
            setattr(partner, role, group)
            changed.append(role)
    if changed:
        partner.save(update_fields=changed)


@transaction.atomic
def partner_editors_group_ensure(*, partner: Partner) -> Group:
    """The partner's editors group, created with the editor permissions if missing."""
    group = partner.editors
    if group is None:
        group, _ = Group.objects.get_or_create(name=editors_group_name(partner.slug))
        partner.editors = group
        partner.save(update_fields=["editors"])
    wanted = Q()
    for app_label, models in {"layers": EDITOR_PERMISSIONS, **EXTRA_EDITOR_PERMISSIONS}.items():
        codenames = [f"{action}_{model}" for model, actions in models.items()
                     for action in actions]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


@transaction.atomic
def partner_upsert(*, slug: str, defaults: dict[str, Any]) -> Partner:
    partner, _ = Partner.objects.update_or_create(slug=slug, defaults=defaults)
    partner_editors_group_ensure(partner=partner)
    partner_role_groups_ensure(partner=partner)
    return partner


def layer_upsert(*, slug: str, partner: Partner, defaults: dict[str, Any]) -> Layer:
    layer, _ = Layer.objects.update_or_create(
        slug=slug, defaults={"partner": partner, **defaults})
    return layer


def feature_upsert(
    *, model: type[Attraction] | type[Trail], layer: Layer, source_id: str,
    values: dict[str, Any],
) -> tuple[Attraction | Trail, bool]:
    """Create or update the feature of ``layer`` with this source id.

    The public ``uid`` of an existing feature is kept. Returns (feature, created).
    """
    return model.objects.update_or_create(layer=layer, source_id=source_id, defaults=values)
