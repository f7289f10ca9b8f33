from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("layers.urls")),
    path("api/imports/", include("importers.api_urls")),
    path("import/", include("importers.urls")),
    path("ogc/", include("layers.ogc_urls")),
    path("", include("maps.urls")),
]
