"""What a listing's hours say to a visitor at a moment, in the reader's language: whether
it is open now and when that changes ("Open now · closes at 18:00"), the coming week, and
a chosen day ("Open on Tuesday 4 May: 08:00–22:00"). Served by
``/api/services/<uid>/hours/`` (actors.api), which the explorer's popup reads. The words
are geo.schedule's, which attractions' hours read too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from actors.models import Listing
from actors.selectors import listing_schedule
from geo.schedule import Now, hours_answer, schedule_now


def listing_now(listing: Listing, when: datetime) -> Now:
    """The listing's hours at ``when`` (aware), the week from that (local) day."""
    return schedule_now(listing_schedule(listing), when)


def listing_hours(listing: Listing, when: datetime, on: date | None = None) -> dict[str, Any]:
    """The listing's hours at ``when`` (aware), as ``/api/services/<uid>/hours/`` gives
    them: state, the sentence, when it changes, the week from today, the text, and the
    day ``on`` when one is asked for."""
    return hours_answer(listing_schedule(listing), when, on)
