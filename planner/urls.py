from django.urls import path

from planner import api

urlpatterns = [
    path("", api.CoverageStatistics.as_view(), name="coverage"),
    path("areas/", api.CoverageAreas.as_view(), name="coverage-areas"),
    path("gaps/", api.CoverageGaps.as_view(), name="coverage-gaps"),
    path("indicators/", api.EnteredIndicators.as_view(), name="coverage-indicators"),
    path("indicators/<int:pk>/", api.EnteredIndicatorDetail.as_view(),
         name="coverage-indicator"),
    path("snapshots/", api.IndicatorSnapshots.as_view(), name="coverage-snapshots"),
]
