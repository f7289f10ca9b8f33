from django.urls import path

from transit import api

urlpatterns = [
    path("feeds/", api.Feeds.as_view(), name="transit-feeds"),
    path("stops/", api.Stops.as_view(), name="transit-stops"),
    path("departures/", api.Departures.as_view(), name="transit-departures"),
    path("access/", api.Access.as_view(), name="transit-access"),
]
