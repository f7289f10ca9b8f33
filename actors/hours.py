"""What a listing's hours say to a visitor at a moment, in the reader's language: whether
it is open now and when that changes ("Open now · closes at 18:00"), the coming week, and
a chosen day ("Open on Tuesday 4 May: 08:00–22:00"). Served by
``/api/services/<uid>/hours/`` (actors.api), which the explorer's popup reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from actors.models import Listing
from actors.selectors import listing_next_change, listing_open_on, listing_state_at, listing_week
from geo.opening_hours import CLOSED, OPEN, TIME_ZONES, Day, day_name


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


def on_words(listing: Listing, day: date) -> dict[str, Any]:
    """Whether the listing is open on ``day`` (its local date), with that day's hours."""
    state = listing_open_on(listing, day)
    found = next(iter(listing_week(listing, day)), None)
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
    """A listing's hours at a moment: its state, the sentence, when it changes, the week."""

    at: datetime  # in the place's zone
    state: str
    summary: str
    change: tuple[str, datetime] | None
    week: list[Day]


def listing_now(listing: Listing, when: datetime) -> Now:
    """The listing's hours at ``when`` (aware), the week from that (local) day."""
    local_now = when.astimezone(ZoneInfo(TIME_ZONES.get(listing.partner.country, "UTC")))
    state = listing_state_at(listing, when)
    change = listing_next_change(listing, when) if state in (OPEN, CLOSED) else None
    return Now(at=local_now, state=state, summary=change_words(state, change, local_now),
               change=change, week=listing_week(listing, local_now.date()))


def listing_hours(listing: Listing, when: datetime, on: date | None = None) -> dict[str, Any]:
    """The listing's hours at ``when`` (aware), as ``/api/services/<uid>/hours/`` gives
    them: state, the sentence, when it changes, the week from today, the text, and the
    day ``on`` when one is asked for."""
    found = listing_now(listing, when)
    return {
        "at": found.at.isoformat(),
        "state": found.state,
        "summary": found.summary,
        "changes": ({"to": found.change[0], "at": found.change[1].isoformat()}
                    if found.change else None),
        "opening_hours": listing.opening_hours or None,
        "week": [{"date": d.day.isoformat(), "name": d.name, "state": d.state,
                  "hours": day_hours(d)} for d in found.week],
        "on": on_words(listing, on) if on else None,
    }

