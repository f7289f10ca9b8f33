"""Reads: whether a listing is open (now, on a day), and what a listing's page shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from actors.models import Listing
from actors.vocabulary import ListingStatus, ListingType
from geo.opening_hours import (
    CLOSED,
    OPEN,
    TIME_ZONES,
    UNKNOWN,
    Day,
    next_change,
    open_on,
    state_at,
    week,
)


def in_dates(listing: Listing, day: date) -> bool | None:
    """Whether ``day`` falls in the listing's dates (an event's); None when it has none."""
    if listing.starts_on is None and listing.ends_on is None:
        return None
    start, end = listing.starts_on or day, listing.ends_on or day
    if listing.yearly:
        def key(d: date) -> tuple[int, int]:
            return (d.month, d.day)
        if key(start) <= key(end):
            return key(start) <= key(day) <= key(end)
        return key(day) >= key(start) or key(day) <= key(end)  # over the new year
    return start <= day <= end


def in_season(listing: Listing, day: date) -> bool:
    """Whether ``day`` is in the listing's dates (if any) and season months (if any)."""
    return in_dates(listing, day) is not False and (
        not listing.season_months or day.month in listing.season_months)


def listing_open_on(listing: Listing, day: date) -> str:
    """``open``, ``closed`` or ``unknown`` on ``day`` (the place's local date): its dates,
    its season, then its hours with its country's public holidays."""
    dated = in_dates(listing, day)
    if dated is False:
        return CLOSED
    if listing.season_months and day.month not in listing.season_months:
        return CLOSED
    if not listing.opening_hours:
        # An event's dates say it is on; anything else without hours is not known.
        return OPEN if dated else UNKNOWN
    return open_on(listing.opening_hours, listing.partner.country, day)


def listing_state_at(listing: Listing, when: datetime) -> str:
    """``open``, ``closed`` or ``unknown`` at ``when`` (aware)."""
    zone = ZoneInfo(TIME_ZONES.get(listing.partner.country, "UTC"))
    local_day = when.astimezone(zone).date()
    if listing_open_on(listing, local_day) == CLOSED:
        return CLOSED
    if not listing.opening_hours:
        return OPEN if in_dates(listing, local_day) else UNKNOWN
    return state_at(listing.opening_hours, listing.partner.country, when)


def listing_next_change(listing: Listing, when: datetime) -> tuple[str, datetime] | None:
    """When the listing next opens or closes after ``when`` (aware): (the state it changes
    to, the moment in the place's zone), its hours read on its season's and dates' days
    only; None when its hours do not say (none, or not within a year)."""
    return next_change(listing.opening_hours, listing.partner.country, when,
                       allowed=lambda day: in_season(listing, day))


def listing_week(listing: Listing, start: date) -> list[Day]:
    """The seven days from ``start`` of the listing's hours, closed on the days outside
    its season or dates; empty when it has no valid hours."""
    return [d if in_season(listing, d.day) else Day(day=d.day, name=d.name, spans=(), state=CLOSED)
            for d in week(listing.opening_hours, listing.partner.country, start)]


def open_on_uids(day: date, until: date | None = None) -> list[str]:
    """The public ids of the published listings open on ``day``, or with ``until`` on at
    least one day from ``day`` to ``until`` (an event on in that period)."""
    listings = (Listing.objects.filter(status=ListingStatus.PUBLISHED, partner__sandbox=False)
                .select_related("partner").only(
                    "uid", "opening_hours", "season_months", "starts_on", "ends_on", "yearly",
                    "partner__country"))
    days = [day + timedelta(days=n) for n in range(((until or day) - day).days + 1)]
    return [str(x.uid) for x in listings
            if any(listing_open_on(x, d) == OPEN for d in days)]


def is_event(listing: Listing) -> bool:
    return listing.type == ListingType.EVENT
