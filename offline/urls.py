from django.urls import path

from offline import api

urlpatterns = [
    path("routes/<slug:slug>/", api.saved_route, name="route-offline"),
    path("routes/<slug:slug>/pack/", api.route_pack, name="route-pack"),
]
