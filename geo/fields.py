"""Geometry model fields and SQL expressions shared by the apps."""

from django.contrib.gis.db import models
from django.db.models import BooleanField, F, FloatField, Func, IntegerField


class MultiLineStringAnyZField(models.MultiLineStringField):
    """A MultiLineString stored with Z when its source knew the elevation.

    A ``geometry(MultiLineStringZ)`` column would force a made-up Z of 0 on
    lines drawn without elevation (and reject them from the admin's 2D map
    widget), while ``geometry(MultiLineString)`` would drop real elevations.
    (PostGIS typmods fix the dimension, even ``geometry(Geometry)``.) The
    column is therefore a bare ``geometry``; a CHECK constraint added in the
    migration keeps it to MultiLineStrings in this field's SRID, and
    ``ST_NDims`` tells whether a row has elevation.
    """

    def db_type(self, connection) -> str:
        return "geometry"


class GeomMetric(Func):
    """One of the ``atlas_*`` SQL functions of layers/migrations/0001 applied to a geometry."""

    output_field = FloatField()

    def __init__(self, function: str, *expressions, **extra):
        super().__init__(*expressions, function=function, **extra)


def length_m(geom: str = "geom") -> Func:
    """Length on the WGS 84 spheroid, metres."""
    return GeomMetric("atlas_length_m", F(geom))


def elevation_metric(which: str, geom: str = "geom") -> Func:
    """ascent / descent / min / max elevation (m) from Z; NULL without Z."""
    return GeomMetric(f"atlas_{which}_m", F(geom))


def duration_min(activity: str = "activity", geom: str = "geom") -> Func:
    """Estimated moving time in minutes for the activity."""
    return Func(F(activity), F(geom), function="atlas_duration_min", output_field=IntegerField())


def is_loop(geom: str = "geom") -> Func:
    """Whether the line ends where it starts (see atlas_is_loop)."""
    return Func(F(geom), function="atlas_is_loop", output_field=BooleanField())
