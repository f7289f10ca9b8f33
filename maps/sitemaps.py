"""sitemap.xml: every public page, in every interface language (`?lang=`), each with its
translations as alternates; built by Django's sitemaps framework (an index of sections,
long sections cut into pages).

A new kind of public page adds a section to ``SITEMAPS``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from campaigns.models import Announcement
from campaigns.selectors import shown
from exchange.models import GoodPractice
from exchange.vocabulary import PUBLIC_STATUSES as PRACTICE_PUBLIC
from layers.models import Attraction, Layer, Partner, Trail
from layers.vocabulary import Visibility
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES


class _Translated(Sitemap):
    """Each page once per language: Django's i18n sitemaps ask for an item's location
    with the language active, and our pages take it from `?lang=`."""

    i18n = True
    alternates = True
    languages = [code for code, _name in settings.LANGUAGES]
    # Addresses per page of a section (a page in four languages is four): about 8 MB.
    limit = 10_000

    def path(self, item: Any) -> str:
        raise NotImplementedError

    def location(self, item: Any) -> str:
        # Django calls it with each language active in turn (i18n sitemaps).
        return f"{self.path(item)}?lang={get_language() or 'en'}"

    def get_languages_for_item(self, item: Any) -> list[str]:
        return list(self.languages)


class PagesSitemap(_Translated):
    def items(self) -> list[str]:
        return ["explorer", "route-list", "planner", "layer-list", "announcement-list",
                "practice-list", "transfer-list", "visit-list", "strategy-list"]

    def path(self, item: str) -> str:
        return reverse(item)


class LayersSitemap(_Translated):
    def items(self) -> QuerySet[Layer]:
        return Layer.objects.filter(visibility=Visibility.PUBLIC).order_by("slug")

    def path(self, item: Layer) -> str:
        return reverse("layer-page", args=[item.slug])


class RoutesSitemap(_Translated):
    def items(self) -> QuerySet[PilotRoute]:
        return (PilotRoute.objects.filter(status__in=PUBLIC_STATUSES)
                .exclude(partners__sandbox=True).order_by("slug"))

    def path(self, item: PilotRoute) -> str:
        return reverse("route-page", args=[item.slug])


class AttractionsSitemap(_Translated):
    def items(self) -> QuerySet[Attraction]:
        return (Attraction.objects.filter(layer__visibility=Visibility.PUBLIC,
                                          retired_at__isnull=True)
                .only("uid").order_by("id"))

    def path(self, item: Attraction) -> str:
        return reverse("attraction-page", args=[item.uid])


class TrailsSitemap(_Translated):
    def items(self) -> QuerySet[Trail]:
        return (Trail.objects.filter(layer__visibility=Visibility.PUBLIC,
                                     retired_at__isnull=True)
                .only("uid").order_by("id"))

    def path(self, item: Trail) -> str:
        return reverse("trail-page", args=[item.uid])


class AnnouncementsSitemap(_Translated):
    """The announcements shown today (the others are not public pages)."""

    def items(self) -> QuerySet[Announcement]:
        return shown().order_by("id")

    def path(self, item: Announcement) -> str:
        return reverse("announcement-page", args=[item.uid])

    def lastmod(self, item: Announcement) -> Any:
        return item.updated_at


class PracticesSitemap(_Translated):
    """Published practices (a training partner's never are public)."""

    def items(self) -> QuerySet[GoodPractice]:
        return (GoodPractice.objects.filter(status__in=PRACTICE_PUBLIC,
                                            partner__sandbox=False)
                .only("uid", "updated_at").order_by("id"))

    def path(self, item: GoodPractice) -> str:
        return reverse("practice-page", args=[item.uid])

    def lastmod(self, item: GoodPractice) -> Any:
        return item.updated_at


class StrategiesSitemap(_Translated):
    """Each partner's strategy page (not a training partner's)."""

    def items(self) -> QuerySet[Partner]:
        return Partner.objects.filter(sandbox=False).order_by("slug")

    def path(self, item: Partner) -> str:
        return reverse("strategy-page", args=[item.slug])


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "layers": LayersSitemap,
    "routes": RoutesSitemap,
    "attractions": AttractionsSitemap,
    "trails": TrailsSitemap,
    "announcements": AnnouncementsSitemap,
    "practices": PracticesSitemap,
    "strategies": StrategiesSitemap,
}
