"""Controlled vocabularies of pilot routes, and the constants their metrics use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    WINE_GASTRONOMY = "wine_gastronomy", _("Wine and gastronomy")
    CULTURAL_HERITAGE = "cultural_heritage", _("Cultural heritage")
    ARCHAEOLOGY = "archaeology", _("Archaeology")
    NATURE = "nature", _("Nature and eco-tourism")
    RURAL_LIFE = "rural_life", _("Rural life")
    RELIGIOUS_HERITAGE = "religious_heritage", _("Religious heritage")
    SPA_WELLNESS = "spa_wellness", _("Spa and wellness")
    ADVENTURE = "adventure", _("Adventure")
    CRAFTS = "crafts", _("Crafts")


class RouteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PILOT = "pilot", _("Pilot")  # tested with visitors, public, still changing
    PUBLISHED = "published", _("Published")


PUBLIC_STATUSES = (RouteStatus.PILOT, RouteStatus.PUBLISHED)


class Mode(models.TextChoices):
    WALK = "walk", _("Walk")
    BIKE = "bike", _("Bike")
    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    TRAIN = "train", _("Train")


ACTIVE_MODES = (Mode.WALK, Mode.BIKE)
"""Modes whose legs follow trails, and whose climb counts towards difficulty."""

MOTOR_SPEED_KMH = {Mode.CAR: 50.0, Mode.BUS: 35.0, Mode.TRAIN: 60.0}
"""Average door-to-door speeds on the partners' rural roads and regional lines (km/h):
slower than the limits, because the routes run on minor roads with villages."""


class LegSource(models.TextChoices):
    TRAIL = "trail", _("Follows a trail")
    ROUTED = "routed", _("Routed along the trail network")
    DRAWN = "drawn", _("Drawn by hand")
    STRAIGHT = "straight", _("Straight line (no trail between the stops)")
    NETWORK = "network", _("Routed along paths and roads (OpenStreetMap)")
    TRANSIT = "transit", _("Follows a timetabled line (a public transport feed)")


class StraightReason(models.TextChoices):
    """Why a leg is a straight line: the leg says so wherever it is shown."""

    NO_NETWORK = "no_network", _("no network of paths and roads is imported for this area")
    TOO_FAR = "too_far", _("a stop lies too far from any way this mode may use")
    NOT_JOINED = "not_joined", _("no way this mode may use joins these stops")
    ESTIMATE = "estimate", _("a timed estimate: no timetabled line joins these stops")


class Season(models.TextChoices):
    SPRING = "spring", _("Spring")
    SUMMER = "summer", _("Summer")
    AUTUMN = "autumn", _("Autumn")
    WINTER = "winter", _("Winter")


SEASON_MONTHS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11),
                 "winter": (12, 1, 2)}
