from django.urls import path

from planner import api, views

urlpatterns = [
    path("api/coverage/", api.CoverageStatistics.as_view(), name="coverage"),
    path("api/coverage/areas/", api.CoverageAreas.as_view(), name="coverage-areas"),
    path("api/coverage/gaps/", api.CoverageGaps.as_view(), name="coverage-gaps"),
    path("planner/", views.planner, name="planner"),
    path("planner/tables/", views.planner_tables, name="planner-tables"),
    path("planner/report/", views.planner_report, name="planner-report"),
]
