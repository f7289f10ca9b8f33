from django.contrib import admin
from django.urls import include, path

from layers import tiles
from routes import views as route_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/routes/", include("routes.urls")),
    path("", include("planner.urls")),
    path("api/", include("layers.urls")),
    path("api/imports/", include("importers.api_urls")),
    path("import/", include("importers.urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("tiles/<str:cid>.json", tiles.tilejson, name="tilejson"),
    path("tiles/<str:cid>/<int:z>/<int:x>/<int:y>.mvt", tiles.tile, name="tile"),
    path("routes/", route_views.route_list, name="route-list"),
    path("routes/<slug:slug>/", route_views.route_page, name="route-page"),
    path("routes/<slug:slug>/edit/", route_views.editor, name="route-editor"),
    path("embed/routes/<slug:slug>/", route_views.route_embed, name="route-embed"),
    path("", include("maps.urls")),
]
