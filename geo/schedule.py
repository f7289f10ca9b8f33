"""A place's visiting hours as a visitor reads them: its opening hours (OpenStreetMap
syntax, geo.opening_hours) narrowed to its season months and, for an event, its dates;
whether it is open now or on a day, when that changes ("Open now · closes at 18:00"), the
coming week, in the reader's language.

Attractions (layers) and listings (actors) both read their hours here, each giving its own
fields as a ``Schedule``; ``/api/attractions/<uid>/hours/`` and ``/api/services/<uid>/hours/``
answer ``hours_answer``, which the explorer's popups and the places' pages show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from geo.opening_hours import (
    CLOSED,
    OPEN,
    TIME_ZONES,
    UNKNOWN,
    Day,
    day_name,
    next_change,
    open_on,
    state_at,
    week,
)


@dataclass(frozen=True)
class Schedule:
    """What a place's hours depend on: its hours, its country (ISO alpha-2: time zone and
    public holidays), its season months (empty: all year) and an event's dates."""

    opening_hours: str
    country: str
    season_months: Sequence[int] = field(default_factory=tuple)
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool = False

    def zone(self) -> ZoneInfo:
        return ZoneInfo(TIME_ZONES.get(self.country, "UTC"))


def in_dates(schedule: Schedule, day: date) -> bool | None:
    """Whether ``day`` falls in the place's dates (an event's); None when it has none."""
    if schedule.starts_on is None and schedule.ends_on is None:
        return None
    start, end = schedule.starts_on or day, schedule.ends_on or day
    if schedule.yearly:
        def key(d: date) -> tuple[int, int]:
            return (d.month, d.day)
        if key(start) <= key(end):
            return key(start) <= key(day) <= key(end)
        return key(day) >= key(start) or key(day) <= key(end)  # over the new year
    return start <= day <= end


def in_season(schedule: Schedule, day: date) -> bool:
    """Whether ``day`` is in the place's dates (if any) and season months (if any)."""
    return in_dates(schedule, day) is not False and (
        not schedule.season_months or day.month in schedule.season_months)


def schedule_open_on(schedule: Schedule, day: date) -> str:
    """``open``, ``closed`` or ``unknown`` on ``day`` (the place's local date): its dates,
    its season, then its hours with its country's public holidays."""
    dated = in_dates(schedule, day)
    if dated is False:
        return CLOSED
    if schedule.season_months and day.month not in schedule.season_months:
        return CLOSED
    if not schedule.opening_hours:
        # An event's dates say it is on; anything else without hours is not known.
        return OPEN if dated else UNKNOWN
    return open_on(schedule.opening_hours, schedule.country, day)


def schedule_state_at(schedule: Schedule, when: datetime) -> str:
    """``open``, ``closed`` or ``unknown`` at ``when`` (aware)."""
    local_day = when.astimezone(schedule.zone()).date()
    if schedule_open_on(schedule, local_day) == CLOSED:
        return CLOSED
    if not schedule.opening_hours:
        return OPEN if in_dates(schedule, local_day) else UNKNOWN
    return state_at(schedule.opening_hours, schedule.country, when)


def schedule_next_change(schedule: Schedule, when: datetime) -> tuple[str, datetime] | None:
    """When the place next opens or closes after ``when`` (aware): (the state it changes
    to, the moment in the place's zone), its hours read on its season's and dates' days
    only; None when its hours do not say (none, or not within a year)."""
    return next_change(schedule.opening_hours, schedule.country, when,
                       allowed=lambda day: in_season(schedule, day))


def schedule_week(schedule: Schedule, start: date) -> list[Day]:
    """The seven days from ``start`` of the place's hours, closed on the days outside its
    season or dates; empty when it has no valid hours."""
    return [d if in_season(schedule, d.day)
            else Day(day=d.day, name=d.name, spans=(), state=CLOSED)
            for d in week(schedule.opening_hours, schedule.country, start)]


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def change_words(state: str, change: tuple[str, datetime] | None, local_now: datetime) -> str:
    """The sentence of the state now and, when the hours say, when it changes:
    "Open now · closes at 18:00", "Closed now · opens tomorrow at 08:00", "Closed now ·
    opens Mon 4 May at 09:00"; "" when the state is not known."""
    if state not in (OPEN, CLOSED):
        return ""
    if change is None or change[0] not in (OPEN, CLOSED):
        return _("Open now") if state == OPEN else _("Closed now")
    to, at = change
    params = {"time": _clock(at), "day": day_name(at.date(), short=True)}
    days = (at.date() - local_now.date()).days
    if to == CLOSED:
        # Closing on the next day's first minute is closing at the end of this one.
        if days == 0 or (days == 1 and at.hour == 0 and at.minute == 0):
            return _("Open now · closes at %(time)s") % {
                "time": "24:00" if days else params["time"]}
        return _("Open now · closes %(day)s at %(time)s") % params
    if days == 0:
        return _("Closed now · opens at %(time)s") % params
    if days == 1:
        return _("Closed now · opens tomorrow at %(time)s") % params
    return _("Closed now · opens %(day)s at %(time)s") % params


def day_hours(day: Day) -> str:
    """One day's hours as the popup lists them: its spans, "Closed", or "—" unknown."""
    if day.spans:
        return ", ".join(day.spans)
    return _("Closed") if day.state == CLOSED else "—"


def on_words(schedule: Schedule, day: date) -> dict[str, Any]:
    """Whether the place is open on ``day`` (its local date), with that day's hours."""
    state = schedule_open_on(schedule, day)
    found = next(iter(schedule_week(schedule, day)), None)
    name = day_name(day)
    if state == OPEN and found is not None and found.spans:
        text = _("Open on %(day)s: %(hours)s") % {"day": name, "hours": day_hours(found)}
    elif state == OPEN:
        text = _("Open on %(day)s") % {"day": name}
    elif state == CLOSED:
        text = _("Closed on %(day)s") % {"day": name}
    else:
        text = ""
    return {"date": day.isoformat(), "state": state, "summary": text}


@dataclass(frozen=True)
class Now:
    """A place's hours at a moment: its state, the sentence, when it changes, the week."""

    at: datetime  # in the place's zone
    state: str
    summary: str
    change: tuple[str, datetime] | None
    week: list[Day]


def schedule_now(schedule: Schedule, when: datetime) -> Now:
    """The place's hours at ``when`` (aware), the week from that (local) day."""
    local_now = when.astimezone(schedule.zone())
    state = schedule_state_at(schedule, when)
    change = schedule_next_change(schedule, when) if state in (OPEN, CLOSED) else None
    return Now(at=local_now, state=state, summary=change_words(state, change, local_now),
               change=change, week=schedule_week(schedule, local_now.date()))


def hours_answer(schedule: Schedule, when: datetime, on: date | None = None
                 ) -> dict[str, Any]:
    """The place's hours at ``when`` (aware), as the hours endpoints give them: state,
    the sentence, when it changes, the week from today, the text, and the day ``on`` when
    one is asked for."""
    found = schedule_now(schedule, when)
    return {
        "at": found.at.isoformat(),
        "state": found.state,
        "summary": found.summary,
        "changes": ({"to": found.change[0], "at": found.change[1].isoformat()}
                    if found.change else None),
        "opening_hours": schedule.opening_hours or None,
        "week": [{"date": d.day.isoformat(), "name": d.name, "state": d.state,
                  "hours": day_hours(d)} for d in found.week],
        "on": on_words(schedule, on) if on else None,
    }
