from django.contrib import admin
from django.urls import include, path

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


def _not_found(request, exception):
    """Under /ogc/, /tiles/ and /api/ an unknown path is answered in JSON, as every
    other error of those endpoints; pages get Django's own."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/ogc/"):
        return JsonResponse({"code": "NotFound", "description": f"no {request.path}"},
                            status=404)
    if request.path.startswith(("/tiles/", "/api/")):
        return JsonResponse({"error": f"no {request.path}"}, status=404)
    return page_not_found(request, exception)


handler404 = _not_found
