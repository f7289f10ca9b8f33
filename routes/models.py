"""Alternative-tourism pilot routes: an ordered list of stops joined by legs.

A route's geometry and metrics are computed (``routes.services.route_recompute``)
from its legs whenever its stops or legs change, and whenever a trail that one of
its legs follows changes: they are never typed by hand.
"""

import uuid

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from geo import fields
from geo.crs import WGS84
from layers.audit_tracking import audit_track_links
from layers.models import Attraction, Partner, Trail
from layers.vocabulary import Difficulty
from routes.vocabulary import LegSource, Mode, RouteStatus, StraightReason, Theme


class PilotRoute(models.Model):
    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    themes = ArrayField(models.CharField(max_length=32, choices=Theme.choices),
                        verbose_name=_("themes"), default=list, blank=True)
    partners = models.ManyToManyField(Partner, related_name="routes",
                                      verbose_name=_("partners"))
    status = models.CharField(_("status"), max_length=10, choices=RouteStatus.choices,
                              default=RouteStatus.DRAFT)
    months = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                     MaxValueValidator(12)]),
        verbose_name=_("season (months)"), default=list, blank=True,
        help_text=_("Months in which the route is recommended, 1 = January; empty = all year."))
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"), default=1, validators=[MinValueValidator(1)])

    # Computed from the legs (routes.services.route_recompute).
    geom = fields.MultiLineStringAnyZField(_("geometry"), srid=WGS84, null=True, editable=False)
    transport_modes = ArrayField(models.CharField(max_length=8, choices=Mode.choices),
                                 default=list, editable=False)
    length_m = models.FloatField(_("length (m)"), null=True, editable=False)
    ascent_m = models.FloatField(_("ascent (m)"), null=True, editable=False)
    descent_m = models.FloatField(_("descent (m)"), null=True, editable=False)
    min_elevation_m = models.FloatField(_("lowest point (m)"), null=True, editable=False)
    max_elevation_m = models.FloatField(_("highest point (m)"), null=True, editable=False)
    steepest_grade_pct = models.FloatField(_("steepest sustained grade (%)"), null=True,
                                           editable=False)
    moving_min = models.IntegerField(_("time on the move (min)"), null=True, editable=False)
    stops_min = models.IntegerField(_("time at the stops (min)"), null=True, editable=False)
    duration_min = models.IntegerField(_("total time (min)"), null=True, editable=False)
    duration_by_mode = models.JSONField(default=dict, editable=False)
    difficulty = models.CharField(_("difficulty"), max_length=16, choices=Difficulty.choices,
                                  blank=True, editable=False)
    difficulty_basis = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("pilot route")

    def __str__(self) -> str:
        return self.title or self.slug


class RoutePartner(PilotRoute.partners.through):  # type: ignore[name-defined]
    """A route's partner (``PilotRoute.partners``), audited: who shares a route is a
    change to it as much as its stops."""

    class Meta:
        proxy = True


audit_track_links(RoutePartner)


class RouteStop(models.Model):
    route = models.ForeignKey(PilotRoute, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"))
    attraction = models.ForeignKey(Attraction, on_delete=models.PROTECT,
                                   related_name="route_stops", verbose_name=_("attraction"))
    suggested_min = models.PositiveSmallIntegerField(_("suggested time (min)"), default=30)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["route", "order"]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="stop_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.attraction}"


class RouteLeg(models.Model):
    """The way from stop ``order`` to stop ``order + 1``.

    It follows a trail (or the part of it between ``trail_start_m`` and
    ``trail_end_m``), a drawn geometry, or, when composed, the trail network; where
    there is no trail it is a straight line and says so.
    """

    route = models.ForeignKey(PilotRoute, on_delete=models.CASCADE, related_name="legs")
    order = models.PositiveSmallIntegerField(_("order"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.WALK)
    source = models.CharField(_("source"), max_length=10, choices=LegSource.choices,
                              default=LegSource.STRAIGHT)
    straight_reason = models.CharField(_("why straight"), max_length=12, blank=True,
                                       choices=StraightReason.choices, editable=False)
    trail = models.ForeignKey(Trail, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="route_legs", verbose_name=_("trail"))
    trail_start_m = models.FloatField(_("from (m along the trail)"), null=True, blank=True)
    trail_end_m = models.FloatField(_("to (m along the trail)"), null=True, blank=True,
                                    help_text=_("Smaller than 'from' to walk the trail "
                                                "backwards; empty for its ends."))
    drawn = fields.LineStringAnyZField(_("drawn geometry"), srid=WGS84, null=True, blank=True)
    # The geometry actually travelled (from the trail, the network or the drawing),
    # kept so that the route stands on its own; refreshed with the route.
    geom = fields.LineStringAnyZField(_("geometry"), srid=WGS84, null=True, editable=False)
    # The elevation of each vertex of ``geom`` (then in 2D), None where it has none: a leg
    # along paths and roads that a partner's trail with elevation runs beside for part
    # of its way (routes/elevation.py). A leg with elevation all along keeps it as its
    # line's Z, and one with none has neither; NaN is never stored in a geometry, where
    # PostGIS's lengths and GeoJSON would carry it on.
    elevations = ArrayField(models.FloatField(null=True), null=True, editable=False)
    length_m = models.FloatField(null=True, editable=False)
    duration_min = models.FloatField(null=True, editable=False)
    ascent_m = models.FloatField(null=True, editable=False)
    descent_m = models.FloatField(null=True, editable=False)
    # A bus or train leg that follows a feed's line: which line, from which stop to which
    # (routes.services.transit_finder_register; transit/legs.py).
    transit_line = models.CharField(_("timetabled line"), max_length=300, blank=True,
                                    editable=False)

    class Meta:
        ordering = ["route", "order"]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="leg_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_mode_display()}"


class RoadNetwork(models.Model):
    """A partner's network of ways for routing, imported from an OpenStreetMap extract
    (``routes.osm``): one per partner, replaced whole by the next import."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE,
                                   related_name="road_network", verbose_name=_("partner"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    data_date = models.DateTimeField(_("data of"), null=True, blank=True)
    margin_m = models.FloatField(_("margin beyond the territory (m)"))
    counts = models.JSONField(default=dict)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)
    # The edges' ends, lengths, modes, way ids and lines as numpy arrays (routes.osm.pack),
    # written with them: a worker's first leg reads this one value instead of every edge's
    # geometry through PostGIS (decision 0026). Null for networks imported before it.
    graph = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = _("road network")

    def __str__(self) -> str:
        return f"{self.partner}: {self.file_name}"


class RoadEdge(models.Model):
    """A piece of an OSM way between two of its junctions (or ends), with the tags that
    say who may use it. ``source`` and ``target`` are the junctions' locations as one
    integer each (``routes.osm.node_keys``), so the networks of two partners join where
    their ways meet, even when cut from different extracts."""

    # No foreign key in the database: PostgreSQL checks one for each row a COPY writes (a
    # fifth of the import's work in the database, docs/benchmarks.md), and the edges are
    # only written by routes.osm.network_import, in the transaction that writes their
    # network, and deleted with it (Django's CASCADE; tests/routes/test_osm_network.py).
    # Its index is the one on network_id (a second, the same, was dropped: migration 0013).
    network = models.ForeignKey(RoadNetwork, on_delete=models.CASCADE, related_name="edges",
                                db_constraint=False)
    way_id = models.BigIntegerField()
    source = models.BigIntegerField()
    target = models.BigIntegerField()
    geom = models.LineStringField(srid=WGS84)
    length_m = models.FloatField()
    highway = models.CharField(max_length=32)
    name = models.CharField(max_length=200, blank=True)
    surface = models.CharField(max_length=32, blank=True)
    access = models.CharField(max_length=32, blank=True)
    foot = models.CharField(max_length=32, blank=True)
    bicycle = models.CharField(max_length=32, blank=True)
    sac_scale = models.CharField(max_length=32, blank=True)
    # 1: only from source to target; -1: only from target to source; 0: both ways.
    oneway = models.SmallIntegerField(default=0)
    bike_oneway = models.SmallIntegerField(default=0)
    walk = models.BooleanField()
    bike = models.BooleanField()
    car = models.BooleanField()
