from django.urls import path

from coverage import api

urlpatterns = [
    path("api/coverage/", api.CoverageStatistics.as_view(), name="coverage"),
    path("api/coverage/areas/", api.CoverageAreas.as_view(), name="coverage-areas"),
    path("api/coverage/gaps/", api.CoverageGaps.as_view(), name="coverage-gaps"),
]
