from django.urls import path

from offline import api

urlpatterns = [
    path("routes/<slug:slug>/", api.saved_route, name="route-offline"),
    path("routes/<slug:slug>/pack/", api.route_pack, name="route-pack"),
    path("routes/<slug:slug>/version/", api.saved_route_version, name="route-offline-version"),
]
