from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.defaults import page_not_found

from geo.errors import NotFound, error_response, wants_json
from layers import tiles

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/routes/", include("routes.urls")),
    path("api/coverage/", include("planner.urls")),
    path("api/", include("layers.urls")),
    path("api/imports/", include("importers.api_urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("tiles/<str:cid>.json", tiles.tilejson, name="tilejson"),
    path("tiles/<str:cid>/<int:z>/<int:x>/<int:y>.mvt", tiles.tile, name="tile"),
    path("", include("maps.urls")),
]


def _not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown URL: in JSON where clients read JSON (/api/, /ogc/, /tiles/), else the
    site's page."""
    if wants_json(request):
        return error_response(request, NotFound(f"no {request.path}"))
    return page_not_found(request, exception)


handler404 = _not_found
