"""Public-transport feeds (GTFS) as a partner imported them.

A feed's rows keep the feed's own text ids (``stop_id``, ``trip_id``…) and are joined by
(feed, id) in SQL: an import writes every table with COPY and needs no id lookups, and a
re-import of a feed replaces it whole. Times of day are seconds after the service day's
start (GTFS "noon minus 12 h"), so 25:10:00 is 90,600: trips after midnight keep the day
they belong to.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from geo.crs import WGS84
from layers.models import Partner


class Feed(models.Model):
    """One GTFS zip of a partner, with the dates it is valid for and its licence."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="transit_feeds")
    name = models.SlugField(_("name"), max_length=100,
                            help_text=_("Names the feed within its partner; importing a "
                                        "file under the same name replaces it."))
    licence = models.CharField(_("licence"), max_length=200)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    # feed_info's feed_start_date / feed_end_date when given, else the calendars' span.
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    publisher = models.CharField(max_length=300, blank=True)
    version = models.CharField(max_length=100, blank=True)
    counts = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transit feed")
        constraints = [models.UniqueConstraint(fields=["partner", "name"],
                                               name="transit_feed_partner_name")]

    def __str__(self) -> str:
        return f"{self.partner.slug}/{self.name}"


class Agency(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    agency_id = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    timezone = models.CharField(max_length=64)
    lang = models.CharField(max_length=16, blank=True)
    phone = models.CharField(max_length=64, blank=True)


class Stop(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    stop_id = models.CharField(max_length=255)
    code = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=300, blank=True)
    location = models.PointField(srid=WGS84)
    # 0 stop or platform, 1 station, 2 entrance, 3 generic node, 4 boarding area.
    location_type = models.SmallIntegerField(default=0)
    parent_station = models.CharField(max_length=255, blank=True)
    platform_code = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "stop_id"],
                                               name="transit_stop_feed_id")]


class Line(models.Model):
    """A GTFS route (``routes.txt``): called a line here, not to be confused with the
    pilot routes of the routes app."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    route_id = models.CharField(max_length=255)
    agency_id = models.CharField(max_length=255, blank=True)
    short_name = models.CharField(max_length=100, blank=True)
    long_name = models.CharField(max_length=300, blank=True)
    route_type = models.IntegerField()
    color = models.CharField(max_length=6, blank=True)
    text_color = models.CharField(max_length=6, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "route_id"],
                                               name="transit_line_feed_id")]


class Trip(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    trip_id = models.CharField(max_length=255)
    route_id = models.CharField(max_length=255)
    service_id = models.CharField(max_length=255)
    headsign = models.CharField(max_length=300, blank=True)
    direction_id = models.SmallIntegerField(null=True)
    shape_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id"],
                                               name="transit_trip_feed_id")]
        indexes = [models.Index(fields=["feed", "service_id"])]


class StopTime(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    trip_id = models.CharField(max_length=255)
    stop_sequence = models.IntegerField()
    stop_id = models.CharField(max_length=255)
    # Seconds after the service day's start; past 86,400 for trips after midnight. Empty
    # for stops the feed does not time (GTFS lets intermediate stops be interpolated).
    arrival = models.IntegerField(null=True)
    departure = models.IntegerField(null=True)
    pickup_type = models.SmallIntegerField(default=0)
    drop_off_type = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "trip_id", "stop_sequence"],
                                               name="transit_stoptime_feed_trip_seq")]
        indexes = [models.Index(fields=["feed", "stop_id"])]


class Calendar(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    service_id = models.CharField(max_length=255)
    # Monday first, as ISO weekdays and calendar.txt's columns go.
    weekdays = models.CharField(max_length=7)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "service_id"],
                                               name="transit_calendar_feed_service")]


class CalendarDate(models.Model):
    ADDED = 1
    REMOVED = 2

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    service_id = models.CharField(max_length=255)
    date = models.DateField()
    exception_type = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "service_id", "date"],
                                               name="transit_calendardate_feed_service_day")]
        indexes = [models.Index(fields=["feed", "date"])]


class Shape(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE)
    shape_id = models.CharField(max_length=255)
    line = models.LineStringField(srid=WGS84)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "shape_id"],
                                               name="transit_shape_feed_id")]
