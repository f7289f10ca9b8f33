"""The installable web app: its manifest, its service worker at the site's root, and the
offline page (what a visitor without a network sees, and their saved routes)."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geo.i18n import page_language

THEME_COLOUR = "#1f618d"
"""The mark's blue (static/atlas/favicon.svg): the phone's status bar takes it."""

LANGUAGES = ("bg", "el", "fr", "en")


@cache
def _worker_source(name: str = "offline/sw.js") -> str:
    found = finders.find(name)
    if found is None:
        raise Http404("no service worker")
    with open(found, encoding="utf-8") as f:
        return f.read()


def shell_urls() -> list[str]:
    """What the worker keeps when installed: the offline page in every language, and
    what that page needs (the saved routes' list is drawn by save.js)."""
    offline = reverse("offline-page")
    return [f"{offline}?lang={code}" for code in LANGUAGES] + [
        static("atlas/site.css"), static("atlas/site.js"), static("atlas/favicon.svg"),
        static("offline/sync.js"), static("offline/save.js"),
        static("offline/app-icon-192.png")]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: at the root, so that its scope is the whole site (a worker controls only
    the paths under its own URL; under /static/ it would need a Service-Worker-Allowed
    header and whitenoise's long cache). ``no-cache``: the browser asks each time whether
    it changed, so a new version reaches every visitor at their next page."""
    urls = shell_urls()
    source = _worker_source()
    # The re-sync's code (static/offline/sync.js, shared with the pages): a change to it is
    # a new worker too.
    version = hashlib.sha256((source + _worker_source("offline/sync.js") + json.dumps(urls))
                             .encode()).hexdigest()[:12]
    body = (source.replace("__ATLAS_SW_VERSION__", version)
            .replace("__ATLAS_SHELL_URLS__", json.dumps(urls))
            .replace("__ATLAS_SYNC_URL__", json.dumps(static("offline/sync.js"))))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The Web App Manifest, in the page's language (``?lang=``, as the site shell links
    it): what a phone shows when the platform is installed."""
    lang = page_language()
    icon = static("offline/app-icon.svg")
    response = JsonResponse({
        "id": "/", "lang": lang, "dir": "ltr",
        "name": _("Regional Tourism Atlas"), "short_name": _("Tourism Atlas"),
        "description": _("Attractions, trails and routes of Stara Zagora, Sliven, "
                         "Larissa and the Drôme, on a map and offline."),
        "start_url": f"/?lang={lang}", "scope": "/", "display": "standalone",
        "theme_color": THEME_COLOUR, "background_color": "#ffffff",
        "icons": [
            {"src": static("offline/app-icon-192.png"), "sizes": "192x192",
             "type": "image/png", "purpose": "any"},
            {"src": static("offline/app-icon-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "any"},
            {"src": static("offline/app-icon-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
            {"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
        "shortcuts": [{"name": _("Saved routes"), "url": f"{reverse('offline-page')}"
                       f"?lang={lang}"},
                      {"name": _("Routes"), "url": f"{reverse('route-list')}?lang={lang}"}],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """The saved routes; without a network, also what any page not saved gives."""
    labels = offline_labels()
    return render(request, "offline/offline.html", {"labels": {
        "savedOn": labels["savedOn"], "remove": _("Remove"),
        "updatedList": _("Changed since it was saved: updated on this device (data of "
                         "%(data)s)."),
        "failedList": _("Changed since it was saved, and the copy on this device could not "
                        "be updated: open it to save it again."),
        "none": _("No route is saved on this device. Open a route and choose "
                  "“Save for offline”."),
        "online": _("These routes open without a network."),
        "offline": _("You are offline. The routes saved on this device open without a "
                     "network; other pages need one."),
    }})


def offline_labels() -> dict[str, str]:
    """The words of save.js, in the page's language. Placeholders: %(name)s, filled by
    the script with numbers and dates already formatted for the language."""
    return {
        "measuring": _("Counting what to save…"),
        "plan": _("The page, its data, GPX and timetable, and %(tiles)s map tiles "
                  "(zoom %(zmin)s–%(zmax)s): about %(size)s."),
        "planCapped": _("The page, its data, GPX and timetable, and %(tiles)s map tiles "
                        "(zoom %(zmin)s–%(zmax)s; closer zooms left out, the route is "
                        "long): about %(size)s."),
        "saving": _("Saving… %(done)s of %(all)s"),
        "savedOn": _("Saved on %(saved)s (data of %(data)s; timetable for %(days)s), "
                     "%(size)s on this device."),
        "offlineCopy": _("You are offline: this is the copy saved on %(saved)s, with the "
                         "data of %(data)s."),
        "removed": _("Removed from this device."),
        "failed": _("Could not save:"),
        "unsupported": _("This browser cannot keep pages offline."),
        "packMaking": _("The route pack is being made; the download starts when it is "
                        "ready."),
        "follow": _("Follow"), "stopFollowing": _("Stop following"),
        "locating": _("Finding your position…"),
        "noPosition": _("Your location is not available."),
        "offRoute": _("Off the route: %(distance)s from it."),
        "nextStop": _("Next stop: %(name)s in %(distance)s."),
        "noNextStop": _("No stop ahead: this is the end of the route."),
        "remaining": _("%(distance)s to the end."),
        "changed": _("This route has changed since it was saved on %(saved)s: updating the "
                     "copy on this device…"),
        "updated": _("The copy on this device is up to date again (data of %(data)s)."),
        "updateFailed": _("This route has changed since it was saved on %(saved)s, and the "
                          "copy on this device could not be updated: save it again."),
    }


def offline_options(slug: str, lang: str) -> dict[str, object]:
    """What the route page's offline block and "follow" need."""
    return {
        "slug": slug, "today": timezone.localdate().isoformat(),
        "planUrl": reverse("route-offline", args=[slug]),
        "packUrl": reverse("route-pack", args=[slug]),
        "versionUrl": reverse("route-offline-version", args=[slug]),
        "detailUrl": reverse("route-detail", args=[slug]) + f"?lang={lang}",
        "labels": offline_labels(),
    }
