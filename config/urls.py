import logging
import sys
from functools import cache

from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

from geo.errors import (
    AtlasError,
    Forbidden,
    NotFound,
    ServerError,
    database_unavailable,
    error_response,
    wants_json,
)
from layers import tiles

log = logging.getLogger(__name__)

admin.site.site_header = _("Regional Tourism Atlas")
admin.site.site_title = _("Regional Tourism Atlas")
admin.site.index_title = _("Administration")


@cache
def _favicon_path() -> str | None:
    return finders.find("atlas/favicon.ico")


@cache_control(public=True, max_age=24 * 3600)
def favicon(request: HttpRequest) -> FileResponse:
    """/favicon.ico, which browsers ask for by themselves (the admin's pages, the API's
    documentation); the site's pages link it, and its SVG, under /static/."""
    found = _favicon_path()
    if found is None:  # not among the static files: a 404, not open(None)'s 500
        raise Http404("no favicon")
    return FileResponse(open(found, "rb"), content_type="image/x-icon")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/routes/", include("routes.urls")),
    path("api/coverage/", include("planner.urls")),
    path("api/practices/", include("exchange.urls")),
    path("api/transit/", include("transit.urls")),
    path("api/tokens/", include("accounts.urls")),
    path("api/services/", include("actors.urls")),
    path("api/offline/", include("offline.urls")),
    path("api/announcements/", include("campaigns.urls")),
    path("api/", include("layers.urls")),
    path("api/imports/", include("importers.api_urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("tiles/<str:cid>.json", tiles.tilejson, name="tilejson"),
    path("tiles/<str:cid>/<int:z>/<int:x>/<int:y>.mvt", tiles.tile, name="tile"),
    path("media/", include("media.urls")),
    path("favicon.ico", favicon),
    path("", include("maps.urls")),
]


# Errors. Under /ogc/, /tiles/ and /api/ an error is answered in JSON, in the shape its
# client reads (geo/errors.py: the OGC exception, or the API's); pages get the site's own
# page, in the visitor's language, with the header and a way on.


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return error_response(request, AtlasError("bad request"))
    return TemplateResponse(request, "400.html", status=400).render()


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return error_response(request, Forbidden(str(exception) or "forbidden"))
    # Our views' refusals are sentences for the visitor ("You are not an editor of …").
    context = {"reason": str(exception)}
    return TemplateResponse(request, "403.html", context, status=403).render()


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return error_response(request, NotFound(f"no {request.path}"))
    return TemplateResponse(request, "404.html", status=404).render()


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page reads nothing from the database, which may be what failed: it is
    rendered with the request but without the context processors (no user, no session).
    A database that refused a middleware (the session's, the user's) is a 503, as in a view."""
    unavailable = database_unavailable(sys.exc_info()[1])
    if unavailable is not None:
        return error_response(request, unavailable)
    if wants_json(request):
        return error_response(request, ServerError("internal error; it has been logged"))
    try:
        body = loader.get_template("500.html").render({"request": request})
    except Exception:  # the page of last resort must not fail in turn
        log.exception("the 500 page could not be rendered")
        body = "<!DOCTYPE html><title>500</title><h1>Server error (500)</h1>"
    return HttpResponse(body, status=500)


handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
