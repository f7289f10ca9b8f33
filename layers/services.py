"""Writes to partners, layers and features. Keyword-only, typed, atomic."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from geo.errors import Forbidden, Refused
from layers.models import CONTENT_LANGUAGES, Attraction, Layer, Partner, Trail
from layers.permissions import moderated_partners
from layers.registry import EXTRA_EDITOR_PERMISSIONS
from layers.selectors.catalogue import in_uninviting_territories
from layers.vocabulary import Visibility

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


def layer_publication_missing(*, layer: Layer) -> list[str]:
    """What ``layer`` lacks before it may be published, in the active language: a title
    and a description (in any of the content languages), a licence and a source."""
    def given(name: str) -> bool:
        return any((getattr(layer, f"{name}_{code}", "") or "").strip()
                   for code, _label in CONTENT_LANGUAGES)

    missing = []
    if not given("title"):
        missing.append(_("a title"))
    if not given("description"):
        missing.append(_("a description"))
    if not layer.licence.strip():
        missing.append(_("a licence"))
    if not layer.source.strip():
        missing.append(_("a source"))
    return missing


def may_publish(*, layer: Layer, user: User | AnonymousUser) -> bool:
    """Whether ``user`` publishes and unpublishes ``layer``: its partner's moderators."""
    return moderated_partners(user).filter(pk=layer.partner_id).exists()


@transaction.atomic
def layer_publish(*, layer: Layer, user: User | AnonymousUser) -> Layer:
    """Make ``layer`` public. Its partner's moderator does it, once the layer says what it
    is, under which licence and from whom (what an export's metadata and the attribution
    show); features in a territory whose partner has not welcomed them keep it to
    partners (Trust D14). The change is audited (the request's context names who)."""
    layer = Layer.objects.select_for_update().select_related("partner").get(pk=layer.pk)
    if not may_publish(layer=layer, user=user):
        raise Forbidden(_("Only a moderator of %(partner)s may publish or unpublish this "
                          "layer.") % {"partner": layer.partner})
    missing = layer_publication_missing(layer=layer)
    if missing:
        raise Refused(_("Layer %(layer)s cannot be published yet: it needs %(missing)s.")
                      % {"layer": layer.slug, "missing": ", ".join(missing)})
    found = in_uninviting_territories(layer.pk)
    if found:
        where = "; ".join(_("%(count)s in the territory of %(partner)s")
                          % {"count": n, "partner": name} for name, n in found.items())
        raise Refused(_("This layer cannot be public: features lie in territories whose "
                        "partners have not welcomed %(partner)s's public features there "
                        "(%(where)s). They can add %(partner)s to the partners they welcome "
                        "on their partner page.") % {"partner": layer.partner, "where": where})
    if layer.visibility != Visibility.PUBLIC:
        layer.visibility = Visibility.PUBLIC
        layer.save(update_fields=["visibility", "updated_at"])
    return layer


@transaction.atomic
def layer_unpublish(*, layer: Layer, user: User | AnonymousUser) -> Layer:
    """Take ``layer`` back to partners only (its partner's moderator)."""
    layer = Layer.objects.select_for_update().select_related("partner").get(pk=layer.pk)
    if not may_publish(layer=layer, user=user):
        raise Forbidden(_("Only a moderator of %(partner)s may publish or unpublish this "
                          "layer.") % {"partner": layer.partner})
    if layer.visibility == Visibility.PUBLIC:
        layer.visibility = Visibility.PARTNERS
        layer.save(update_fields=["visibility", "updated_at"])
    return layer
