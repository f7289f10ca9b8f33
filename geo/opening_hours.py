"""Opening hours in OpenStreetMap's syntax: the one validator, and "open now / on a date".

Parsed by opening-hours-py (a Rust parser of the OSM specification), which also keeps each
country's calendar of public holidays, so that ``PH off`` closes a Bulgarian or Greek
museum on Orthodox Easter Monday and a French one on Western Easter Monday. Attractions
(layers) and listings (actors) validate with ``validate_opening_hours``; pages render a
week with ``week`` in the reader's language (day names from Django's own translations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import opening_hours
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

HINT = "Mo-Fr 09:00-17:00"
# The library's own exceptions, which its type stubs do not declare.
PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)
UNKNOWN_COUNTRY: type[Exception] = getattr(opening_hours, "UnknownCountryError", ValueError)
# The partners' countries' time zones: a place's hours are its local time.
TIME_ZONES = {"BG": "Europe/Sofia", "GR": "Europe/Athens", "FR": "Europe/Paris"}
OPEN, CLOSED, UNKNOWN = "open", "closed", "unknown"


def parse_error(value: str) -> str | None:
    """The parser's message when ``value`` is not valid OSM opening hours, else None."""
    try:
        opening_hours.OpeningHours(value)
    except (PARSER_ERROR, SyntaxError, ValueError) as exc:
        # The parser draws an arrow under the place it stopped at; keep its words only.
        lines = [line.strip(" |") for line in str(exc).splitlines()]
        return " ".join(line for line in lines if line and not line.startswith("-->")
                        and set(line) - set("^- "))
    return None


def validate_opening_hours(value: str) -> None:
    """Django validator: refuses hours that do not parse, with the parser's message and
    an example of the syntax."""
    if not value:
        return
    problem = parse_error(value)
    if problem is not None:
        raise ValidationError(
            _("These opening hours do not follow OpenStreetMap's syntax (%(problem)s). "
              "Write them like %(hint)s."),
            code="opening_hours", params={"problem": problem, "hint": HINT})


def _parsed(value: str, country: str) -> opening_hours.OpeningHours:
    zone = ZoneInfo(TIME_ZONES.get(country, "UTC"))
    try:
        return opening_hours.OpeningHours(value, timezone=zone, country=country or None)
    except UNKNOWN_COUNTRY:
        return opening_hours.OpeningHours(value, timezone=zone)


def state_at(value: str, country: str, when: datetime) -> str:
    """``open``, ``closed`` or ``unknown`` at ``when`` (aware) for a place in ``country``
    (ISO alpha-2), its public holidays counted. Empty or invalid hours are unknown."""
    if not value or parse_error(value) is not None:
        return UNKNOWN
    zone = ZoneInfo(TIME_ZONES.get(country, "UTC"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo("UTC"))
    # The parser reads a ZoneInfo only (not Django's datetime.timezone.utc): the time is
    # given in the place's own zone.
    found, _comment = _parsed(value, country).state(when.astimezone(zone))
    return str(found).rsplit(".", 1)[-1].lower()


def open_on(value: str, country: str, day: date) -> str:
    """``open`` when the place opens at some time of ``day`` (its local date), ``closed``
    when it stays closed all day, ``unknown`` when the hours do not say."""
    if not value or parse_error(value) is not None:
        return UNKNOWN
    zone = ZoneInfo(TIME_ZONES.get(country, "UTC"))
    start = datetime.combine(day, time.min, tzinfo=zone)
    states = {str(s).rsplit(".", 1)[-1].lower()
              for _b, _e, s, _c in _parsed(value, country).intervals(start,
                                                                    start + timedelta(days=1))}
    if OPEN in states:
        return OPEN
    return UNKNOWN if UNKNOWN in states else CLOSED


# How far ahead "opens on ..." looks: a year covers a season that ended yesterday.
CHANGE_HORIZON = timedelta(days=366)


def _day_pieces(value: str, country: str, start: datetime, end: datetime
                ) -> Iterator[tuple[datetime, date, str]]:
    """The hours from ``start`` to ``end`` (aware, the place's zone) as pieces that each
    lie within one local day: (where the piece starts, its day, open/closed/unknown)."""
    for b, e, s, _c in _parsed(value, country).intervals(start, end):
        state = str(s).rsplit(".", 1)[-1].lower()
        stop = end if e is None else min(e, end)
        while b < stop:
            yield b, b.date(), state
            b = datetime.combine(b.date() + timedelta(days=1), time.min, tzinfo=b.tzinfo)


def next_change(value: str, country: str, when: datetime,
                allowed: Callable[[date], bool] | None = None) -> tuple[str, datetime] | None:
    """When the place's state changes after ``when`` (aware): (the state it changes to,
    the moment, in the place's zone), within a year; None when it does not, or when the
    hours are empty or invalid. ``allowed`` narrows the hours to the days it accepts (a
    listing's season or an event's dates): on other days the place is closed."""
    if not value or parse_error(value) is not None:
        return None
    zone = ZoneInfo(TIME_ZONES.get(country, "UTC"))
    start = (when if when.tzinfo else when.replace(tzinfo=ZoneInfo("UTC"))).astimezone(zone)
    current = None
    for at, day, state in _day_pieces(value, country, start, start + CHANGE_HORIZON):
        if state == OPEN and allowed is not None and not allowed(day):
            state = CLOSED
        if current is None:
            current = state
        elif state != current:
            return state, at
    return None


def day_name(day: date, *, short: bool = False) -> str:
    """``day`` as a visitor reads it in the active language: "Monday 3 May", or with
    ``short`` "Mon 3 May"."""
    # Greek names the month of a date in the genitive (4 Μαΐου), which Django's "E" gives.
    month = "E" if get_language() == "el" else "F"
    name = date_format(day, f"{'D' if short else 'l'} j {month}")
    if get_language() == "bg":
        name = name.lower()  # Bulgarian writes its days and months in lower case (3 май)
    return name


@dataclass(frozen=True)
class Day:
    """One day of a week's hours: its name in the active language and its open spans."""

    day: date
    name: str
    spans: tuple[str, ...]  # "09:00–17:00", with the hours' comment when there is one
    state: str  # open (some time), closed (all day) or unknown


def week(value: str, country: str, start: date) -> list[Day]:
    """The seven days from ``start``, as a visitor reads them (public holidays counted);
    an empty list when the hours are empty or invalid."""
    if not value or parse_error(value) is not None:
        return []
    zone = ZoneInfo(TIME_ZONES.get(country, "UTC"))
    parsed = _parsed(value, country)
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        begin = datetime.combine(day, time.min, tzinfo=zone)
        spans, states = [], set()
        for b, e, s, comment in parsed.intervals(begin, begin + timedelta(days=1)):
            name = str(s).rsplit(".", 1)[-1].lower()
            states.add(name)
            if name == OPEN:
                end = "24:00" if e.date() > day else e.strftime("%H:%M")
                span = f"{b.strftime('%H:%M')}–{end}"
                spans.append(f"{span} ({comment})" if comment else span)
        state = OPEN if OPEN in states else UNKNOWN if UNKNOWN in states else CLOSED
        days.append(Day(day=day, name=day_name(day), spans=tuple(spans), state=state))
    return days
