"""Which route fields are translated into bg / el / fr / en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from layers.audit_tracking import audit_track
from routes.models import PilotRoute, RouteLeg, RouteStop


@register(PilotRoute)
class PilotRouteTranslation(TranslationOptions):
    fields = ("title", "summary", "description")


@register(RouteStop)
class RouteStopTranslation(TranslationOptions):
    fields = ("note",)


# Audited here, once the translated fields exist (see layers/translation.py). Only what
# editors write: a route's geometry and metrics, and a leg's, are worked out again from
# the legs (route_recompute), which would otherwise log a change at every recompute.
COMPUTED = ["geom", "transport_modes", "length_m", "ascent_m", "descent_m", "min_elevation_m",
            "max_elevation_m", "steepest_grade_pct", "moving_min", "stops_min",
            "duration_min", "duration_by_mode", "difficulty", "difficulty_basis"]
audit_track(PilotRoute, exclude=COMPUTED)
audit_track(RouteStop)
audit_track(RouteLeg, exclude=["geom", "elevations", "length_m", "duration_min", "ascent_m",
                               "descent_m"])
