"""Template helpers of the platform's pages: the site shell's sections, languages and help.

The shell (atlas/base.html) also frames the 500 page, which Django may render with an
empty context (no request, no user) while the database is down: every helper here works
without them and none reads the database unless a signed-in user is in the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from actors.rules import actor_of
from layers.permissions import editable_partners, is_sandbox_account, moderated_partners
from maps.help import guide_url, help_url
from maps.tours import page_tour as tour_of_page
from maps.tours import tour_for

register = template.Library()


@dataclass(frozen=True)
class Section:
    """A part of the site with a link in the header."""

    url_name: str
    label: Promise
    # Pages below these paths belong to the section too (its own URL always does).
    paths: tuple[str, ...] = ()
    # Who sees the link: everyone, a partner's editors, or those who may use the admin.
    audience: str = "everyone"


SECTIONS = (
    Section("explorer", _("Map"), ("/attractions/", "/trails/")),
    Section("route-list", _("Routes"), ("/routes/",)),
    Section("practice-list", _("Good practices"), ("/practices/",)),
    Section("announcement-list", _("Announcements"), ("/announcements/",)),
    Section("planner", _("Planner"), ("/planner/",)),
    Section("strategy-list", _("Strategy"), ("/strategy/",)),
    Section("layer-list", _("Layers"), ("/layers/",)),
    Section("api-docs", _("API"), ("/api/", "/ogc/")),  # /ogc/: the OGC API's pages
    Section("imports:upload", _("Import"), ("/import/",), audience="editors"),
    Section("admin:index", _("Admin"), ("/admin/",), audience="staff"),
)


def _may_see(section: Section, user: User | AnonymousUser | None) -> bool:
    if section.audience == "everyone":
        return True
    if user is None or not user.is_authenticated:
        return False
    if section.audience == "staff":
        return user.is_staff
    return editable_partners(user).exists()


@register.simple_tag(takes_context=True)
def site_sections(context: template.Context) -> list[dict[str, Any]]:
    """The header's links that this visitor may follow, the current section marked."""
    request = context.get("request")
    path = request.path if request is not None else None
    user = context.get("user")
    links = []
    for section in SECTIONS:
        if not _may_see(section, user):
            continue
        url = reverse(section.url_name)
        # aria-current: "page" on the section's own page, "true" on a page within it.
        current = ("page" if path == url
                   else "true" if path is not None and path.startswith(section.paths)
                   else "")
        links.append({"url": url, "label": section.label, "current": current})
    return links


@register.simple_tag(takes_context=True)
def after_sign_out(context: template.Context) -> str:
    """Where signing out leads: back to this page, unless it is one for signed-in users
    only (it would ask to sign in again at once); then the map."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    # login_required marks the views it wraps with the attribute Django's
    # LoginRequiredMiddleware reads.
    if request is None or match is None or hasattr(match.func, "login_url"):
        return reverse("explorer")
    return request.get_full_path()


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """The interface languages, each with this page's URL in that language (none when
    the page was rendered without its request, as Django renders a 500 page)."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language() or "en"
    links = []
    for code, _name in settings.LANGUAGES:
        query = request.GET.copy()
        query["lang"] = code
        info = get_language_info(code)
        links.append({"code": code, "name": info["name_local"][:1].upper() + info["name_local"][1:],
                      "current": code == current,
                      "url": f"{request.path}?{query.urlencode()}"})
    return links


@register.simple_tag(takes_context=True)
def help_link(context: template.Context) -> str:
    """The guide section that explains this page, in the page's language (maps/help.py);
    the guides' home on a page rendered without its request."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return help_url(match.view_name if match is not None else None, get_language() or "en")


@register.simple_tag
def guide_section(topic: str) -> str:
    """A guide section's address (``"guides/editor/#crs"``) in the page's language."""
    return guide_url(topic, get_language() or "en")


# OpenGraph names a language with its country.
OG_LOCALES = {"bg": "bg_BG", "el": "el_GR", "fr": "fr_FR", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def social_meta(context: template.Context, image: str = "") -> dict[str, Any] | None:
    """This page's address, picture (``image``, an absolute URL the page gives, else the
    site's icon) and locales for its OpenGraph and Twitter card tags (none on a page
    rendered without its request)."""
    request = context.get("request")
    if request is None:
        return None
    current = get_language() or "en"
    return {
        "url": request.build_absolute_uri(),
        "image": image or request.build_absolute_uri(static("atlas/apple-touch-icon.png")),
        # A page's own picture is shown large; the site's icon small.
        "card": "summary_large_image" if image else "summary",
        "locale": OG_LOCALES.get(current, "en_GB"),
        "alternates": [OG_LOCALES[code] for code, _name in settings.LANGUAGES
                       if code != current and code in OG_LOCALES],
    }


@register.simple_tag(takes_context=True)
def page_tour(context: template.Context) -> dict[str, Any] | None:
    """This page's first-visit tour (maps/tours.py), if it has one."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else None
    return tour_for(view_name) if request is None else tour_of_page(request, view_name)


@register.simple_tag(takes_context=True)
def sandbox_banner(context: template.Context) -> bool:
    """Whether the signed-in user is a training sandbox's account (the shell says so)."""
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and is_sandbox_account(user))


@register.simple_tag(takes_context=True)
def actor_link(context: template.Context) -> dict[str, Any] | None:
    """The header's way to tourism actors' pages: sign-up for a visitor, the dashboard for
    an actor or a moderator of listings; nothing for anyone else (nor on the 500 page)."""
    user = context.get("user")
    if user is None:
        return None
    if not user.is_authenticated:
        return {"url": reverse("actor-sign-up"), "label": _("List your business")}
    if actor_of(user) is not None:
        return {"url": reverse("actor-dashboard"), "label": _("Your listings")}
    if moderated_partners(user).exists():
        return {"url": reverse("actor-queue"), "label": _("Listings to moderate")}
    return None


@register.filter
def iso_date(value: Any) -> Any:
    """A date that a selector's dict carries as ISO text ("2025-12-06"), written the page
    language's way; anything else as it is."""
    parsed = parse_date(value) if isinstance(value, str) else None
    return formats.date_format(parsed) if parsed else value
