"""Geometry model fields shared by the apps."""

from typing import Any

from django.contrib.gis.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import FloatField, Func


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

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "geometry"


class LineStringAnyZField(models.LineStringField):
    """A LineString with Z when known: a bare ``geometry`` column, as above."""

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return "geometry"


class GeomMetric(Func):
    """An ``atlas_*`` SQL function of a geometry (layers/migrations/0001 uses it)."""

    output_field = FloatField()

    def __init__(self, function: str, *expressions: Any, **extra: Any) -> None:
        super().__init__(*expressions, function=function, **extra)
