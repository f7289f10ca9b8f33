from django.urls import path

from routes import api

urlpatterns = [
    path("", api.Routes.as_view(), name="routes"),
    path("preview/", api.RoutePreview.as_view(), name="route-preview"),
    path("<slug:slug>/", api.RouteDetail.as_view(), name="route-detail"),
    path("<slug:slug>/profile/", api.RouteProfile.as_view(), name="route-profile"),
    path("<slug:slug>/export/", api.RouteExport.as_view(), name="route-export"),
    path("<slug:slug>/composition/", api.RouteComposition.as_view(), name="route-composition"),
]
