"""Reads: which announcements are shown today, what a page or the API shows of one, and
the home page's content (current announcements, featured routes and practices)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Announcement, AnnouncementLink, FeaturedRoute
from campaigns.vocabulary import Status
from exchange.models import GoodPractice
from exchange.vocabulary import PUBLIC_STATUSES as PRACTICE_PUBLIC
from exchange.vocabulary import Status as PracticeStatus
from geo.i18n import fallback_chain
from layers.vocabulary import Visibility
from media.selectors import media_of, photo_card
from routes.vocabulary import PUBLIC_STATUSES as ROUTE_PUBLIC

HOME_ANNOUNCEMENTS = 6
HOME_ROUTES = 6
HOME_PRACTICES = 4
SUMMARY_CHARS = 200


def today() -> date:
    """The site's day (a test sets ATLAS_NOW to see a fixed day)."""
    fixed = getattr(settings, "ATLAS_NOW", None)
    return (datetime.fromisoformat(fixed) if fixed else timezone.now()).date()


def shown() -> QuerySet[Announcement]:
    """Announcements the public sees today: published, today within their period."""
    day = today()
    return (Announcement.objects.filter(status=Status.PUBLISHED, starts_on__lte=day,
                                        ends_on__gte=day)
            .select_related("partner").order_by("-starts_on", "-published_at", "-id"))


def is_shown(announcement: Announcement) -> bool:
    day = today()
    return (announcement.status == Status.PUBLISHED
            and announcement.starts_on <= day <= announcement.ends_on)


def text(obj: Any, field: str, lang: str) -> str:
    """``field`` in ``lang``, else in the next language of the fallback chain."""
    for code in fallback_chain(lang):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


def summary(value: str) -> str:
    """The first paragraph, cut at a word within SUMMARY_CHARS."""
    first = value.strip().split("\n\n")[0].replace("\n", " ").strip()
    if len(first) <= SUMMARY_CHARS:
        return first
    return first[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def image(announcement: Announcement, lang: str) -> dict[str, Any] | None:
    item = media_of(announcement).first()
    return photo_card(item, lang) if item is not None else None


def card(announcement: Announcement, *, lang: str) -> dict[str, Any]:
    """What the home page, the lists, the feed and the API show of an announcement."""
    body = text(announcement, "title", lang), text(announcement, "text", lang)
    return {"id": str(announcement.uid), "title": body[0] or "—", "text": body[1],
            "summary": summary(body[1]), "partner": str(announcement.partner),
            "partner_slug": announcement.partner.slug,
            "starts_on": announcement.starts_on.isoformat(),
            "ends_on": announcement.ends_on.isoformat(), "status": announcement.status,
            # For the pages, which write dates the reader's way.
            "starts": announcement.starts_on, "ends": announcement.ends_on,
            "shown": is_shown(announcement), "demo": announcement.demo,
            "image": image(announcement, lang),
            "url": reverse("announcement-page", args=[announcement.uid])}


def public_links() -> Q:
    """Links whose target a visitor may open: a public layer's current attraction, a
    public route, a published or featured practice."""
    return (Q(attraction__layer__visibility=Visibility.PUBLIC,
              attraction__retired_at__isnull=True)
            | Q(route__status__in=ROUTE_PUBLIC) | Q(practice__status__in=PRACTICE_PUBLIC))


def links(announcement: Announcement, *, lang: str, public: bool = True
          ) -> list[dict[str, Any]]:
    """What the announcement points to, in its order (only what a visitor may open,
    unless ``public`` is False: the form shows everything it keeps)."""
    rows = AnnouncementLink.objects.filter(announcement=announcement).select_related(
        "attraction", "route", "practice")
    if public:
        rows = rows.filter(public_links())
    out = []
    for link in rows:
        if link.attraction is not None:
            out.append({"kind": "attraction", "id": str(link.attraction.uid),
                        "title": text(link.attraction, "name", lang) or "—",
                        "url": reverse("attraction-page", args=[link.attraction.uid])})
        elif link.route is not None:
            out.append({"kind": "route", "id": link.route.slug,
                        "title": text(link.route, "title", lang) or link.route.slug,
                        "url": reverse("route-page", args=[link.route.slug])})
        elif link.practice is not None:
            out.append({"kind": "practice", "id": str(link.practice.uid),
                        "title": text(link.practice, "title", lang) or "—",
                        "url": reverse("practice-page", args=[link.practice.uid])})
    return out


def featured_routes(*, lang: str, limit: int = HOME_ROUTES) -> list[dict[str, Any]]:
    rows = (FeaturedRoute.objects.filter(route__status__in=ROUTE_PUBLIC)
            .select_related("route").order_by("-featured_at", "-id")[:limit])
    return [{"slug": f.route.slug, "title": text(f.route, "title", lang) or f.route.slug,
             "summary": text(f.route, "summary", lang),
             "length_km": f.route.length_m / 1000 if f.route.length_m else None,
             "url": reverse("route-page", args=[f.route.slug])} for f in rows]


def featured_practices(*, lang: str, limit: int = HOME_PRACTICES) -> list[dict[str, Any]]:
    rows = (GoodPractice.objects.filter(status=PracticeStatus.FEATURED)
            .select_related("partner").order_by("-published_at", "-id")[:limit])
    return [{"id": str(p.uid), "title": text(p, "title", lang) or "—",
             "summary": text(p, "summary", lang), "partner": str(p.partner),
             "url": reverse("practice-page", args=[p.uid])} for p in rows]


def home(*, lang: str) -> dict[str, Any]:
    """The home panel's content; ``any`` is False when there is nothing to show."""
    announcements = [card(a, lang=lang) for a in shown()[:HOME_ANNOUNCEMENTS]]
    routes = featured_routes(lang=lang)
    practices = featured_practices(lang=lang)
    return {"announcements": announcements, "routes": routes, "practices": practices,
            "any": bool(announcements or routes or practices)}


def featured_slugs() -> set[str]:
    return set(FeaturedRoute.objects.values_list("route__slug", flat=True))
