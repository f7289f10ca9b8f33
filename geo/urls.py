from django.contrib import admin
from django.urls import include, path

from layers import tiles

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/routes/", include("routes.urls")),
    path("", include("coverage.urls")),
    path("api/", include("layers.urls")),
    path("api/imports/", include("importers.api_urls")),
    path("import/", include("importers.urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("tiles/<str:cid>.json", tiles.tilejson, name="tilejson"),
    path("tiles/<str:cid>/<int:z>/<int:x>/<int:y>.mvt", tiles.tile, name="tile"),
    path("", include("maps.urls")),
]
