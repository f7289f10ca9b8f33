"""What a device saves of a route (the URLs, the tiles of its corridor and their size),
and the route pack's download."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from procrastinate.contrib.django import app

from geo.errors import NotFound
from geo.http import read_only
from geo.params import parse_lang, refuse_unknown
from offline import corridor as corridors
from offline.pack import PackSpec, kept_pack, public_route, route_pack_build
from offline.params import parse_days
from offline.tasks import QUEUE, TASK
from offline.versions import route_version
from routes import selectors

RETRY_AFTER_S = 5


def inline_tiles() -> int:
    """A pack of at most this many corridor tiles is made in the request that asks for
    it; a bigger one by the background worker."""
    return int(getattr(settings, "ATLAS_OFFLINE_PACK_INLINE_TILES", 400))


def _route_or_404(slug: str, lang: str) -> dict[str, Any]:
    detail = None
    if public_route(slug) is not None:
        detail = selectors.route_detail(slug=slug, lang=lang, along_m=None)
    if detail is None:
        raise NotFound(_("No public route %(slug)s.") % {"slug": slug})
    return detail


def offline_basemap() -> str | None:
    """The operator's basemap for saved routes, a URL template with {z}/{x}/{y}, or None:
    only a tile server whose terms allow keeping its tiles (never OpenStreetMap's)."""
    return getattr(settings, "ATLAS_OFFLINE_BASEMAP_URL", "") or None


@read_only
def saved_route(request: HttpRequest, slug: str) -> JsonResponse:
    """Everything a device keeps to open the route without a network."""
    refuse_unknown(request.GET, {"lang", "date"})
    lang = parse_lang(request.GET)
    days = parse_days(request.GET)
    detail = _route_or_404(slug, lang)
    found = corridors.corridor(detail["geometry"])
    page = reverse("route-page", args=[slug])
    tile = reverse("tile", args=[corridors.COLLECTION, 0, 0, 0]).replace("/0/0/0.mvt", "")
    # As the route page asks for them: the page in the visitor's language (their cookie),
    # with each day's timetable as its date form asks for it; its data as its script does.
    pages = [page] + [f"{page}?date={d.isoformat()}" for d in days]
    gpx = reverse("route-export", args=[slug]) + "?format=gpx"
    data = [reverse("route-detail", args=[slug]) + f"?lang={lang}",
            reverse("route-profile", args=[slug]), gpx]
    tiles = [f"{tile}/{z}/{x}/{y}.mvt?lang={lang}&v={found.version}"
             for z, x, y in found.tiles]
    basemap = offline_basemap()
    return JsonResponse({
        "route": slug, "name": detail["properties"]["name"],
        "data_date": timezone.localdate().isoformat(), "data_version": found.version,
        "version": route_version(slug, days, lang),
        "version_url": reverse("route-offline-version", args=[slug]) + f"?lang={lang}&date="
        + ",".join(d.isoformat() for d in days),
        "plan_url": reverse("route-offline", args=[slug]),
        "days": [d.isoformat() for d in days], "pages": pages, "data": data,
        "gpx": gpx,
        "tiles": {"count": len(found.tiles), "zooms": [corridors.MIN_ZOOM, found.max_zoom],
                  "capped": found.capped, "cap": corridors.max_tiles(),
                  "estimated_bytes": corridors.estimated_bytes(found, lang),
                  "urls": tiles,
                  "template": f"{tile}/{{z}}/{{x}}/{{y}}.mvt?lang={lang}&v={found.version}"},
        "basemap": basemap and [basemap.format(z=z, x=x, y=y) for z, x, y in found.tiles],
        "pack": reverse("route-pack", args=[slug]) + "?date="
        + ",".join(d.isoformat() for d in days),
    })


@read_only
def saved_route_version(request: HttpRequest, slug: str) -> JsonResponse:
    """The version of the route as a device keeps it (``lang``, ``date`` as it saved it):
    a device online compares it with its saved copy's and updates the copy when they
    differ (save.js). Cheap beside the plan: no tile is made."""
    refuse_unknown(request.GET, {"lang", "date"})
    lang = parse_lang(request.GET)
    days = parse_days(request.GET)
    version = route_version(slug, days, lang) if public_route(slug) is not None else None
    if version is None:
        raise NotFound(_("No public route %(slug)s.") % {"slug": slug})
    response = JsonResponse({"route": slug, "version": version,
                             "data_date": timezone.localdate().isoformat()})
    response["Cache-Control"] = "no-cache"
    return response


@require_safe  # a zip streamed from its file (geo.http.read_only takes whole bodies)
def route_pack(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The pack as a zip, named after the route; 202 while the worker makes it."""
    refuse_unknown(request.GET, {"date", "lang"})
    parse_lang(request.GET)
    spec = PackSpec(slug=slug, days=parse_days(request.GET))
    detail = _route_or_404(slug, "en")
    path, key = kept_pack(spec)
    if not path.exists():
        site = request.build_absolute_uri("/")
        if len(corridors.corridor(detail["geometry"]).tiles) <= inline_tiles():
            route_pack_build(spec, site_url=site)
        else:
            if not _queued(key):
                app.configure_task(TASK, queue=QUEUE, queueing_lock=key).defer(
                    slug=slug, days=[d.isoformat() for d in spec.days], site_url=site)
            waiting = JsonResponse({"status": "making", "retry_after": RETRY_AFTER_S},
                                   status=202)
            waiting["Retry-After"] = str(RETRY_AFTER_S)
            return waiting
    # FileResponse closes the file once sent.
    response = FileResponse(open(path, "rb"), content_type="application/zip",  # noqa: SIM115
                            as_attachment=True, filename=spec.filename(key))
    response["ETag"] = f'"{key}"'
    response["Cache-Control"] = "no-cache"
    return response


def _queued(key: str) -> bool:
    """A job for this pack is waiting or running (procrastinate's queueing lock would
    refuse a second one with an error)."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    return ProcrastinateJob.objects.filter(queueing_lock=key,
                                           status__in=["todo", "doing"]).exists()
