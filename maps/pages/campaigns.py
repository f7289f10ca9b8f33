"""Campaign pages: partners' announcements (the list, an announcement's page with its
OpenGraph and Twitter card, the Atom feed), the pages where partners' editors and
moderators write, publish and feature (in the site shell), the QR codes of routes,
attractions and practices, and a route's printable A5 leaflet. Reads go through
campaigns' selectors, writes through its services, which refuse what its rules forbid.
"""

from __future__ import annotations

import math
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns import rules, selectors, services
from campaigns.forms import AnnouncementForm, link_specs
from campaigns.models import Announcement
from campaigns.vocabulary import Status
from exchange import rules as practice_rules
from exchange.models import GoodPractice
from geo.errors import AtlasError, InvalidFields
from geo.i18n import LANGUAGE_CODES, page_language
from geo.units import duration_text
from layers.models import Attraction
from layers.vocabulary import Visibility
from maps.leaflet_pdf import pdf_of
from maps.pages.practices import LANGUAGE_NAMES
from maps.qr import FORMATS, qr_response, qr_svg_inline
from media.models import Licence
from media.services import upload_bytes
from routes import selectors as route_selectors
from routes.models import PilotRoute
from routes.vocabulary import PUBLIC_STATUSES as ROUTE_PUBLIC

FEED_SIZE = 50


def _get(uid: UUID) -> Announcement:
    found = Announcement.objects.select_related("partner").filter(uid=uid).first()
    if found is None:
        raise Http404(_("No such announcement."))
    return found


def _may_see(request: HttpRequest, announcement: Announcement) -> bool:
    return (selectors.is_shown(announcement)
            or rules.visible(request.user).filter(pk=announcement.pk).exists())


def text_html(value: str) -> str:
    """An announcement's plain text as HTML: escaped, paragraphs kept, web addresses made
    links (nofollow)."""
    return linebreaks(urlize(value, nofollow=True, autoescape=True), autoescape=False)


@require_safe
def announcement_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    return render(request, "campaigns/list.html", {
        "announcements": [selectors.card(a, lang=lang) for a in selectors.shown()[:100]],
        "may_manage": rules.may_create(request.user)
        or rules.featurable_routes(request.user).exists()})


@require_safe
def announcement_page(request: HttpRequest, uid: UUID) -> HttpResponse:
    announcement = _get(uid)
    if not _may_see(request, announcement):
        raise Http404(_("No such announcement."))
    lang = page_language()
    card = selectors.card(announcement, lang=lang)
    image = card["image"]
    return render(request, "campaigns/detail.html", {
        "a": card, "announcement": announcement, "text_html": text_html(card["text"]),
        "links": selectors.links(announcement, lang=lang),
        "og_image": request.build_absolute_uri(image["sizes"]["1200"]) if image else "",
        "may_edit": rules.may_edit(request.user, announcement),
        "may_publish": rules.may_publish(request.user, announcement)})


def _licences() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Licence.choices]


def _form_page(request: HttpRequest, announcement: Announcement | None) -> HttpResponse:
    partners = list(rules.writing_partners(request.user))
    if announcement is None and not partners:
        raise PermissionDenied(_("Only a partner's editors and moderators write "
                                 "announcements."))
    if announcement is not None and not rules.may_edit(request.user, announcement):
        raise PermissionDenied(_("Only the partner's editors change its draft "
                                 "announcements, and only its moderators the published "
                                 "ones."))
    lang = page_language()
    errors: dict[str, list[str]] = {}
    links_text = "\n".join(
        request.build_absolute_uri(link["url"]) for link in
        selectors.links(announcement, lang=lang, public=False)) if announcement else ""
    status = 200
    if request.method == "POST":
        form = AnnouncementForm(data=request.POST)
        links_text = request.POST.get("links", "")
        upload = request.FILES.get("image")
        try:
            if not form.is_valid():
                raise InvalidFields(form.errors)
            links = link_specs(links_text)
            if announcement is None:
                partner = next((p for p in partners
                                if p.slug == request.POST.get("partner")), None)
                if partner is None:
                    raise InvalidFields({"partner": [_("Choose the partner you write for.")]})
                announcement = services.announcement_create(
                    user=request.user, partner=partner, values=form.values(), links=links)
            else:
                services.announcement_update(user=request.user, announcement=announcement,
                                             values=form.values(), links=links)
            if upload is not None:
                services.announcement_image_set(
                    user=request.user, announcement=announcement, data=upload_bytes(upload),
                    declared_type=upload.content_type or "",
                    author=request.POST.get("image_author", ""),
                    licence=request.POST.get("image_licence", ""))
            return HttpResponseRedirect(reverse("announcement-page", args=[announcement.uid]))
        except InvalidFields as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
            status = 400
        except AtlasError as exc:
            if exc.status == 403:
                raise PermissionDenied(str(exc)) from None
            errors = {"image": [str(exc)]}
            status = exc.status
    else:
        initial: dict[str, Any] = {}
        if announcement is not None:
            initial = {name: getattr(announcement, name)
                       for name in services.ANNOUNCEMENT_FIELDS}
        form = AnnouncementForm(initial=initial)
    by_language = [(code, LANGUAGE_NAMES[code], form[f"title_{code}"], form[f"text_{code}"])
                   for code in LANGUAGE_CODES]
    return render(request, "campaigns/form.html", {
        "form": form, "announcement": announcement, "partners": partners,
        "by_language": by_language, "errors": errors, "links_text": links_text,
        "licences": _licences(), "chosen_partner": request.POST.get("partner", ""),
        "image": selectors.image(announcement, lang) if announcement else None,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, uid: UUID) -> HttpResponse:
    announcement = _get(uid)
    if not rules.visible(request.user).filter(pk=announcement.pk).exists():
        raise Http404(_("No such announcement."))
    return _form_page(request, announcement)


@require_POST
@login_required
def announcement_act(request: HttpRequest, uid: UUID) -> HttpResponse:
    """Publish, withdraw or delete."""
    announcement = _get(uid)
    if not _may_see(request, announcement):
        raise Http404(_("No such announcement."))
    action = request.POST.get("action", "")
    # A refusal (AtlasError) is the site's page for its status, in the reader's language,
    # naming the field (geo.middleware.AtlasErrors).
    if action in ("publish", "withdraw"):
        services.announcement_publish(user=request.user, announcement=announcement,
                                      published=action == "publish")
    elif action == "delete":
        services.announcement_delete(user=request.user, announcement=announcement)
        return HttpResponseRedirect(reverse("announcement-manage"))
    else:
        raise InvalidFields({"action": [_("Publish, withdraw or delete.")]})
    return HttpResponseRedirect(reverse("announcement-page", args=[uid]))


@login_required
@require_safe
def announcement_manage(request: HttpRequest) -> HttpResponse:
    """A partner's announcements in every state, and the routes they may feature."""
    lang = page_language()
    rows = rules.visible(request.user).select_related("partner").order_by("-starts_on", "-id")
    routes = rules.featurable_routes(request.user).filter(status__in=ROUTE_PUBLIC)
    featured = selectors.featured_slugs()
    if not rules.may_create(request.user) and not routes.exists():
        raise PermissionDenied(_("Only a partner's editors and moderators write "
                                 "announcements."))
    return render(request, "campaigns/manage.html", {
        "announcements": [(selectors.card(a, lang=lang), rules.may_publish(request.user, a))
                          for a in rows[:200]],
        "may_create": rules.may_create(request.user),
        "routes": [(r.slug, selectors.text(r, "title", lang) or r.slug, r.slug in featured)
                   for r in routes.order_by("slug")],
        "statuses": dict(Status.choices)})


@require_POST
@login_required
def route_feature(request: HttpRequest) -> HttpResponse:
    route = PilotRoute.objects.filter(slug=request.POST.get("route", "")).first()
    if route is None:
        raise Http404(_("No such route."))
    services.route_feature(user=request.user, route=route,
                           featured=request.POST.get("on", "1") == "1")
    return HttpResponseRedirect(reverse("announcement-manage") + "#featured-routes")


class AnnouncementFeed(Feed):
    """The partners' current announcements, as Atom, in the reader's language."""

    feed_type = Atom1Feed
    title = gettext_lazy("Announcements — Regional Tourism Atlas")
    subtitle = gettext_lazy("What the partners announce: events, seasons, new routes")

    def link(self) -> str:
        return reverse("announcement-list")

    def items(self) -> list[Announcement]:
        return list(selectors.shown()[:FEED_SIZE])

    def item_title(self, item: Announcement) -> str:
        return selectors.text(item, "title", page_language()) or "—"

    def item_description(self, item: Announcement) -> str:
        with translation.override(page_language()):
            return text_html(selectors.text(item, "text", page_language()))

    def item_link(self, item: Announcement) -> str:
        return reverse("announcement-page", args=[item.uid])

    def item_guid(self, item: Announcement) -> str:
        return f"urn:uuid:{item.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Announcement) -> Any:
        return item.published_at

    def item_updateddate(self, item: Announcement) -> Any:
        return item.updated_at

    def item_author_name(self, item: Announcement) -> str:
        return str(item.partner)


# QR codes -----------------------------------------------------------------------------


def _qr(request: HttpRequest, path: str, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("QR codes are .svg or .png")
    url = request.build_absolute_uri(path)
    lang = request.GET.get("lang", "")
    if lang in LANGUAGE_CODES:
        url += f"?lang={lang}"
    return qr_response(url, fmt, filename=name)


@require_safe
def route_qr(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if not PilotRoute.objects.filter(slug=slug, status__in=ROUTE_PUBLIC).exists():
        raise Http404(_("No such route."))
    return _qr(request, reverse("route-page", args=[slug]), fmt, f"route-{slug}-qr")


@require_safe
def attraction_qr(request: HttpRequest, uid: UUID, fmt: str) -> HttpResponse:
    if not Attraction.objects.filter(uid=uid, layer__visibility=Visibility.PUBLIC,
                                     retired_at__isnull=True).exists():
        raise Http404("no such attraction")
    return _qr(request, reverse("attraction-page", args=[uid]), fmt, f"attraction-{uid}-qr")


@require_safe
def practice_qr(request: HttpRequest, uid: UUID, fmt: str) -> HttpResponse:
    practice = GoodPractice.objects.filter(uid=uid).first()
    if practice is None or not practice_rules.may_view(request.user, practice) \
            or practice.status not in practice_rules.PUBLIC_STATUSES:
        raise Http404("no such practice")
    return _qr(request, reverse("practice-page", args=[uid]), fmt, f"practice-{uid}-qr")


# The leaflet ---------------------------------------------------------------------------

SKETCH_W, SKETCH_H, SKETCH_PAD = 400.0, 240.0, 14.0


def route_sketch(geometry: dict | None, stops: list[dict]) -> dict[str, Any] | None:
    """The route's line and numbered stops drawn to fit a box (SVG user units), in a
    local equirectangular projection: a printed page has no map tiles."""
    lines = []
    if geometry and geometry.get("type") == "MultiLineString":
        lines = [[(c[0], c[1]) for c in line] for line in geometry["coordinates"]]
    points = [pt for line in lines for pt in line] + [tuple(s["location"]) for s in stops]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width = max((max(lons) - min(lons)) * k, 1e-6)
    height = max(max(lats) - min(lats), 1e-6)
    scale = min((SKETCH_W - 2 * SKETCH_PAD) / width, (SKETCH_H - 2 * SKETCH_PAD) / height)
    # The drawing centred in the box, whichever side it fills.
    left = (SKETCH_W - width * scale) / 2
    bottom = (SKETCH_H + height * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round(left + (lon - min(lons)) * k * scale, 1),
                round(bottom - (lat - min(lats)) * scale, 1))

    paths = [" ".join(f"{'M' if i == 0 else 'L'}{x},{y}"
                      for i, (x, y) in enumerate(xy(*pt) for pt in line)) for line in lines]
    # Numbered as the list of stops beside it is, in their order.
    return {"width": SKETCH_W, "height": SKETCH_H, "paths": paths,
            "stops": [{"n": n, "x": xy(*s["location"])[0], "y": xy(*s["location"])[1]}
                      for n, s in enumerate(stops, start=1)]}


@require_safe
def route_leaflet(request: HttpRequest, slug: str) -> HttpResponse:
    """A route on one A5 page to print, with its QR code, in the page's language."""
    return render(request, "campaigns/leaflet.html", _leaflet_context(request, slug))


@require_safe
def route_leaflet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The same page as an A5 PDF (WeasyPrint)."""
    context = _leaflet_context(request, slug)
    html = render(request, "campaigns/leaflet.html", {**context, "pdf": True})
    response = HttpResponse(pdf_of(html.content.decode(), stylesheet=LEAFLET_CSS),
                            content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{slug}-{page_language()}.pdf"')
    return response


LEAFLET_CSS = "campaigns/leaflet.css"


def _leaflet_context(request: HttpRequest, slug: str) -> dict[str, Any]:
    lang = page_language()
    detail = route_selectors.route_detail(slug=slug, lang=lang, along_m=None)
    if detail is None:
        raise Http404(_("No such route."))
    p = detail["properties"]
    url = request.build_absolute_uri(reverse("route-page", args=[slug])) + f"?lang={lang}"
    return {
        "route": p, "length_km": (p.get("length_m") or 0) / 1000,
        "duration": duration_text(p.get("duration_min") or 0),
        "sketch": route_sketch(detail.get("geometry"), p.get("stops", [])),
        "qr_svg": qr_svg_inline(url, title=_("QR code of this route's page")), "url": url,
        "stylesheet": LEAFLET_CSS}
