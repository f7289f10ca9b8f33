"""Evidence rows whose values the planner measured: a practice's or a transfer's indicator
that names one of the planner's measures (``PlannerMeasure``) takes its value before and
after from the partner's analysis snapshots (``planner.selectors.snapshot_on``) instead of
typed numbers, and its dates become the days those snapshots were taken.

Typed values on such a row are replaced, not trusted: the row says "the planner measured
this", so its numbers must be the planner's. A row without a measure keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from exchange.vocabulary import PlannerMeasure
from geo.errors import InvalidFields
from layers.models import Partner
from planner.selectors import snapshot_on


@dataclass(frozen=True)
class Reading:
    """How a measure is read from a snapshot: its field, a scale, and the unit shown."""

    field: str
    scale: float
    unit: str
    digits: int


READINGS: dict[str, Reading] = {
    PlannerMeasure.ATTRACTIONS_PER_100KM2: Reading("attractions_per_100km2", 1.0,
                                                   "/100 km²", 2),
    # The snapshot keeps a share from 0 to 1; evidence shows a percentage.
    PlannerMeasure.SHARE_WITHIN: Reading("covered_share", 100.0, "%", 1),
    PlannerMeasure.TRAIL_KM: Reading("trail_km", 1.0, "km", 1),
    PlannerMeasure.PUBLISHED_ROUTES: Reading("published_routes", 1.0, "", 0),
}


@dataclass(frozen=True)
class Measured:
    value_before: float
    value_after: float
    date_before: dt.date
    date_after: dt.date
    unit: str


def measured(*, measure: str, territory: Partner, date_before: dt.date | None,
             date_after: dt.date | None, field: str) -> Measured:
    """The planner's values of ``measure`` for ``territory`` on (or last before) each date;
    ``date_after`` defaults to today. Refused, naming ``field``'s date, when the planner
    has no analysis of the territory by then, or the same one for both dates."""
    if measure not in READINGS:
        raise InvalidFields({f"{field}.measure": [
            _("Choose one of the planner's indicators, or none.")]})
    if date_before is None:
        raise InvalidFields({f"{field}.date_before": [
            _("Give the date of the measure before: the planner's value on that day (or "
              "the last one before it) is taken.")]})
    date_after = date_after or timezone.localdate()
    if date_after <= date_before:
        raise InvalidFields({f"{field}.date_after": [
            _("The measure after comes before the measure before.")]})
    snapshots = {}
    for key, day in (("date_before", date_before), ("date_after", date_after)):
        snapshot = snapshot_on(partner=territory.slug, day=day)
        if snapshot is None:
            raise InvalidFields({f"{field}.{key}": [
                _("The planner has no analysis of %(partner)s on or before %(date)s.")
                % {"partner": territory, "date": day.isoformat()}]})
        snapshots[key] = snapshot
    before, after = snapshots["date_before"], snapshots["date_after"]
    if before.pk == after.pk:
        raise InvalidFields({f"{field}.date_after": [
            _("The planner's last analysis on or before both dates is the same one (of "
              "%(date)s): choose dates with an analysis between them.")
            % {"date": before.taken_on.isoformat()}]})
    reading = READINGS[measure]

    def value(snapshot: Any) -> float:
        return round(float(getattr(snapshot, reading.field)) * reading.scale, reading.digits)

    return Measured(value_before=value(before), value_after=value(after),
                    date_before=before.taken_on, date_after=after.taken_on, unit=reading.unit)


def planner_source(*, measure: str, date_before: dt.date | None,
                   date_after: dt.date | None) -> str:
    """Where a planner row's values come from, in the active language."""
    if not measure or measure not in PlannerMeasure.values:
        return ""
    return _("The atlas's planner: “%(measure)s”, its analyses of %(before)s and "
             "%(after)s") % {
        "measure": PlannerMeasure(measure).label,
        # Written the reader's way (a Bulgarian page read "2025-12-06").
        "before": formats.date_format(date_before) if date_before else "—",
        "after": formats.date_format(date_after) if date_after else "—"}


def fill_from_planner(row: Any, *, territory: Partner, field: str) -> None:
    """Set an evidence row's (a practice's ``Indicator`` or a ``TransferIndicator``)
    values, dates and unit from the planner's snapshots of ``territory`` for its measure;
    its source is then the planner's (``planner_source``), not a typed one."""
    found = measured(measure=row.measure, territory=territory, date_before=row.date_before,
                     date_after=row.date_after, field=field)
    row.value_before, row.value_after = found.value_before, found.value_after
    row.date_before, row.date_after = found.date_before, found.date_after
    row.unit, row.source = found.unit, ""
