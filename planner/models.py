"""Which layers divide a partner's territory into sub-areas for the coverage analysis.

Sub-areas (municipalities, communes) arrive like any other polygon layer: imported as
attractions, each polygon becomes an attraction with a ``footprint``. Marking the layer
here makes the analysis treat its polygons as sub-areas instead of as attractions.

The Voronoi diagram of the sites is kept here too, as the analysis's index of who is
nearest where.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.crs import LAEA_EUROPE, WGS84
from layers.models import Layer, Partner
from layers.vocabulary import LayerKind
from planner.vocabulary import IndicatorName, IndicatorUnit


class AreaLayer(models.Model):
    """A layer whose polygons are sub-areas of its partner's territory."""

    layer = models.OneToOneField(
        Layer, on_delete=models.CASCADE, related_name="area_role", verbose_name=_("layer"),
        limit_choices_to={"kind": LayerKind.ATTRACTIONS},
        help_text=_("An attractions layer of polygons (municipalities, communes …) imported "
                    "for the partner. Its features are analysed as sub-areas, by name, and "
                    "no longer count as attractions. Their names and outlines are shown in "
                    "the coverage analysis whatever the layer's visibility."))
    created_at = models.DateTimeField(auto_now_add=True)
    # Not a field: the layer a saved row had before, kept by planner.signals from its
    # pre_save to its post_save.
    _previous_layer_id: int | None

    class Meta:
        verbose_name = _("sub-area layer")
        verbose_name_plural = _("sub-area layers")

    def __str__(self) -> str:
        return str(self.layer)

    def clean(self) -> None:
        super().clean()
        if not self.layer_id:
            return
        if self.layer.kind != LayerKind.ATTRACTIONS:
            raise ValidationError({"layer": _("Sub-areas are polygons: choose an attractions "
                                              "layer.")})
        # Two layers of sub-areas for one partner would mix levels (communes and
        # municipalities) in one table; one level at a time keeps the tables readable.
        others = AreaLayer.objects.filter(layer__partner_id=self.layer.partner_id).exclude(
            pk=self.pk)
        if others.exists():
            raise ValidationError({"layer": _("This partner already has a sub-area layer: "
                                              "%(layer)s.") % {"layer": others.first()}})


class SiteDiagram(models.Model):
    """The Voronoi diagram of every site the default analysis counts, kept as data.

    A site is a public, current attraction of any category, or a trail's end
    (``planner.selectors.sql``). Every point of a site's cell is nearer to it than to any
    other site: the gaps can lie only in cells reaching farther than R from their site,
    whatever R is (``planner.selectors.reach``). One row, drawn again when the data it was
    drawn from has changed (``planner.services.site_diagram_update``).
    """

    versions = models.JSONField(default=dict, help_text="atlas_data_version when drawn")
    extent = models.PolygonField(srid=WGS84, help_text="the lon/lat box the cells cover")
    sites = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField(auto_now=True)


class SiteCell(models.Model):
    """A site of the diagram and its cell, in EPSG:3035 metres.

    The analysis reads the cells that reach farther than R, a few hundred of ten
    thousand, by ``reach_m``; a spatial index would cost the drawing more than it saves.
    """

    site = models.PointField(srid=LAEA_EUROPE, spatial_index=False)
    cell = models.PolygonField(srid=LAEA_EUROPE, spatial_index=False)
    reach_m = models.FloatField(db_index=True,
                                help_text="how far (m) the cell reaches from its site")


class IndicatorSnapshot(models.Model):
    """A partner's measured indicators as the analysis found them on a day.

    Taken by the analysis itself (``planner.services.indicator_snapshots_take``) whenever
    it answers the standard question (R = ``DEFAULT_RADIUS_KM``, every category and kind)
    and the data it reads has changed since the partner's last snapshot: the series then
    has a point for each state of the data, dated by the day it was first analysed. One
    row per partner and day: a later change that day replaces the day's values.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE,
                                related_name="indicator_snapshots")
    taken_on = models.DateField(_("date"))
    taken_at = models.DateTimeField(default=timezone.now)
    radius_km = models.FloatField(help_text="R of the question the values answer")
    versions = models.JSONField(default=dict, help_text="atlas_data_version when taken")
    area_km2 = models.FloatField()
    attractions = models.PositiveIntegerField()
    attractions_per_100km2 = models.FloatField()
    trail_km = models.FloatField()
    trail_km_per_100km2 = models.FloatField()
    published_routes = models.PositiveIntegerField()
    covered_share = models.FloatField(help_text="0 to 1: share of the territory within R")
    gap_km2 = models.FloatField()
    gaps = models.PositiveIntegerField()
    missing_categories = ArrayField(models.CharField(max_length=32), default=list, blank=True)

    class Meta:
        ordering = ["partner", "taken_on"]
        verbose_name = _("measured indicators")
        verbose_name_plural = _("measured indicators")
        constraints = [models.UniqueConstraint(fields=["partner", "taken_on"],
                                               name="one_snapshot_per_partner_and_day")]

    def __str__(self) -> str:
        return f"{self.partner} {self.taken_on}"


class EnteredIndicator(models.Model):
    """A value a partner's members enter themselves (arrivals, nights …): what the
    platform cannot measure, with the date it is for, its unit and its source."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE,
                                related_name="entered_indicators", verbose_name=_("partner"))
    indicator = models.CharField(_("indicator"), max_length=32,
                                 choices=IndicatorName.choices)
    label = models.CharField(_("name"), max_length=120, blank=True,
                             help_text=_("For “other”: what is counted."))
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=16, choices=IndicatorUnit.choices)
    date = models.DateField(_("date"), help_text=_("The day (or the end of the period) "
                                                   "the value is for."))
    source = models.CharField(_("source"), max_length=300)
    demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "indicator", "label", "date", "id"]
        verbose_name = _("entered indicator")
        verbose_name_plural = _("entered indicators")
        constraints = [models.CheckConstraint(
            condition=~models.Q(indicator="other") | ~models.Q(label=""),
            name="other_indicator_has_a_name")]

    def __str__(self) -> str:
        return f"{self.partner} {self.indicator} {self.date}: {self.value:g}"

    @property
    def name(self) -> str:
        return self.label if self.indicator == IndicatorName.OTHER else str(
            IndicatorName(self.indicator).label)
