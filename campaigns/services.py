"""Writes: announcements (create, update, publish or withdraw, delete, their image) and
the routes featured on the home page. Each is keyword-only, atomic, and refuses what
``campaigns.rules`` does not allow, whoever calls it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import rules
from campaigns.models import Announcement, AnnouncementLink, FeaturedRoute
from campaigns.vocabulary import Status
from exchange.models import GoodPractice
from exchange.vocabulary import PUBLIC_STATUSES as PRACTICE_PUBLIC
from geo.errors import Forbidden, InvalidFields
from layers.models import Attraction, Partner
from layers.vocabulary import Visibility
from media.selectors import media_of
from media.services import image_add, media_delete
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES as ROUTE_PUBLIC

ANNOUNCEMENT_FIELDS = ("starts_on", "ends_on", "title_bg", "title_el", "title_fr", "title_en",
                       "text_bg", "text_el", "text_fr", "text_en")


@dataclass(frozen=True)
class LinkSpec:
    kind: str  # attraction, route or practice
    id: str  # the attraction's or practice's public id, the route's slug


def _targets(specs: list[LinkSpec]) -> list[dict[str, Any]]:
    """The rows ``specs`` name, each public (a link leads a visitor somewhere)."""
    out = []
    for spec in specs:
        target: Any = None
        if spec.kind == "attraction":
            target = Attraction.objects.filter(
                uid=spec.id, layer__visibility=Visibility.PUBLIC,
                retired_at__isnull=True).first()
        elif spec.kind == "route":
            target = PilotRoute.objects.filter(slug=spec.id, status__in=ROUTE_PUBLIC).first()
        elif spec.kind == "practice":
            target = GoodPractice.objects.filter(uid=spec.id,
                                                 status__in=PRACTICE_PUBLIC).first()
        if target is None:
            raise InvalidFields({"links": [_(
                "No public %(kind)s “%(id)s”: link only to what visitors may open.")
                % {"kind": spec.kind, "id": spec.id}]})
        out.append({spec.kind: target})
    return out


def _links_write(announcement: Announcement, specs: list[LinkSpec]) -> None:
    targets = _targets(specs)
    AnnouncementLink.objects.filter(announcement=announcement).delete()
    AnnouncementLink.objects.bulk_create([
        AnnouncementLink(announcement=announcement, position=i, **t)
        for i, t in enumerate(targets)])


def _set(announcement: Announcement, values: Mapping[str, Any]) -> None:
    for name in ANNOUNCEMENT_FIELDS:
        if name not in values:
            continue
        if name.startswith(("title", "text")):
            # A browser sends a textarea's lines ended by CR LF: kept as LF, so that an
            # empty line is a paragraph's end whatever sent it.
            value = (values[name] or "").replace("\r\n", "\n").replace("\r", "\n")
        else:
            value = values[name]
        setattr(announcement, name, value)
    if not getattr(announcement, "starts_on", None) or not getattr(announcement, "ends_on",
                                                                      None):
        raise InvalidFields({"starts_on": [_("Say from which day until which day it is "
                                             "shown.")]})
    if announcement.ends_on < announcement.starts_on:
        raise InvalidFields({"ends_on": [_("The end comes before the start.")]})


@transaction.atomic
def announcement_create(*, user: Any, partner: Partner, values: Mapping[str, Any],
                        links: list[LinkSpec] | None = None, demo: bool = False
                        ) -> Announcement:
    """A draft announcement of ``partner``, by one of its editors or moderators."""
    if not rules.writing_partners(user).filter(pk=partner.pk).exists():
        raise Forbidden(_("Only the partner's editors and moderators write its "
                          "announcements."))
    announcement = Announcement(partner=partner, author=user if user.is_authenticated
                                else None, demo=demo)
    _set(announcement, values)
    announcement.save()
    _links_write(announcement, links or [])
    return announcement


@transaction.atomic
def announcement_update(*, user: Any, announcement: Announcement,
                        values: Mapping[str, Any], links: list[LinkSpec] | None = None
                        ) -> Announcement:
    """Change a draft (its partner's editors and moderators) or a published announcement
    (its partner's moderators). ``links`` None keeps them."""
    if not rules.may_edit(user, announcement):
        raise Forbidden(_("Only the partner's editors change its draft announcements, and "
                          "only its moderators the published ones."))
    _set(announcement, values)
    announcement.save()
    if links is not None:
        _links_write(announcement, links)
    return announcement


@transaction.atomic
def announcement_publish(*, user: Any, announcement: Announcement, published: bool = True
                         ) -> Announcement:
    """Publish (shown within its period) or withdraw (back to a draft)."""
    if not rules.may_publish(user, announcement):
        raise Forbidden(_("Only the partner's moderators publish and withdraw its "
                          "announcements."))
    if published and not any(getattr(announcement, f"title_{c}") for c in
                             ("bg", "el", "fr", "en")):
        raise InvalidFields({"title_en": [_("Give a title in at least one language.")]})
    announcement.status = Status.PUBLISHED if published else Status.DRAFT
    announcement.published_at = timezone.now() if published else None
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    return announcement


@transaction.atomic
def announcement_delete(*, user: Any, announcement: Announcement) -> None:
    if not rules.may_delete(user, announcement):
        raise Forbidden(_("Only the partner's editors delete its draft announcements, and "
                          "only its moderators the published ones."))
    for item in media_of(announcement):
        media_delete(item=item)
    announcement.delete()


def announcement_image_set(*, user: Any, announcement: Announcement, data: bytes,
                           declared_type: str, author: str, licence: str,
                           captions: Mapping[str, str] | None = None) -> None:
    """Put an image (checked by ``media``) on the announcement, in place of its image."""
    if not rules.may_edit(user, announcement):
        raise Forbidden(_("Only the partner's editors change its draft announcements, and "
                          "only its moderators the published ones."))
    old = list(media_of(announcement))
    image_add(owner=announcement, data=data, declared_type=declared_type, author=author,
              licence=licence, captions=captions, uploaded_by=user)
    for item in old:
        media_delete(item=item)


@transaction.atomic
def route_feature(*, user: Any, route: PilotRoute, featured: bool = True) -> None:
    """Put a public route on the home page, or take it off."""
    if not rules.may_feature(user, route):
        raise Forbidden(_("Only a moderator of one of the route's partners, or a curator, "
                          "puts it on the home page."))
    if not featured:
        FeaturedRoute.objects.filter(route=route).delete()
        return
    if route.status not in ROUTE_PUBLIC:
        raise InvalidFields({"route": [_("Only a public route goes on the home page.")]})
    FeaturedRoute.objects.get_or_create(route=route, defaults={"featured_by": user})
