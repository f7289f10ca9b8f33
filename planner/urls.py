from django.urls import path

from planner import api

urlpatterns = [
    path("", api.CoverageStatistics.as_view(), name="coverage"),
    path("areas/", api.CoverageAreas.as_view(), name="coverage-areas"),
    path("gaps/", api.CoverageGaps.as_view(), name="coverage-gaps"),
]
