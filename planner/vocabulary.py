"""What a partner's members may enter as indicators, and in which units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorName(models.TextChoices):
    ARRIVALS = "arrivals", _("Arrivals")
    NIGHTS = "nights", _("Nights spent")
    AVERAGE_STAY = "average_stay", _("Average stay")
    OCCUPANCY = "occupancy", _("Bed occupancy")
    VISITORS = "visitors", _("Visitors to sites")
    SPENDING = "spending", _("Visitor spending")
    OTHER = "other", _("Other")


class IndicatorUnit(models.TextChoices):
    PEOPLE = "people", _("people")
    NIGHTS = "nights", _("nights")
    DAYS = "days", _("days")
    PERCENT = "percent", _("%")
    EUR = "EUR", _("euros")
    BGN = "BGN", _("leva")
    COUNT = "count", _("count")


DEFAULT_UNIT = {IndicatorName.ARRIVALS: IndicatorUnit.PEOPLE,
                IndicatorName.NIGHTS: IndicatorUnit.NIGHTS,
                IndicatorName.AVERAGE_STAY: IndicatorUnit.NIGHTS,
                IndicatorName.OCCUPANCY: IndicatorUnit.PERCENT,
                IndicatorName.VISITORS: IndicatorUnit.PEOPLE,
                IndicatorName.SPENDING: IndicatorUnit.EUR}
"""The unit a form proposes for each indicator."""

MEASURED = ("attractions_per_100km2", "covered_share", "trail_km", "published_routes",
            "gap_km2", "attractions")
"""The measured indicators a snapshot keeps that the strategy page draws, in its order."""
