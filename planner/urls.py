from django.urls import path

from planner import api, indicator_api

urlpatterns = [
    path("", api.CoverageStatistics.as_view(), name="coverage"),
    path("areas/", api.CoverageAreas.as_view(), name="coverage-areas"),
    path("gaps/", api.CoverageGaps.as_view(), name="coverage-gaps"),
    path("indicators/", indicator_api.EnteredIndicators.as_view(), name="coverage-indicators"),
    path("indicators/<int:pk>/", indicator_api.EnteredIndicatorDetail.as_view(),
         name="coverage-indicator"),
    path("snapshots/", indicator_api.IndicatorSnapshots.as_view(), name="coverage-snapshots"),
]
