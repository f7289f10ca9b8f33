"""Reads: whether a listing is open (now, on a day), and what a listing's page shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from actors.models import Listing
from actors.vocabulary import ListingStatus, ListingType
from geo.opening_hours import OPEN
from geo.schedule import Schedule, schedule_open_on, schedule_state_at


def listing_schedule(listing: Listing) -> Schedule:
    """What the listing's hours depend on (geo.schedule): hours, country, season, dates."""
    return Schedule(opening_hours=listing.opening_hours, country=listing.partner.country,
                    season_months=tuple(listing.season_months or ()),
                    starts_on=listing.starts_on, ends_on=listing.ends_on,
                    yearly=listing.yearly)


def listing_open_on(listing: Listing, day: date) -> str:
    """``open``, ``closed`` or ``unknown`` on ``day`` (the place's local date): its dates,
    its season, then its hours with its country's public holidays."""
    return schedule_open_on(listing_schedule(listing), day)


def listing_state_at(listing: Listing, when: datetime) -> str:
    """``open``, ``closed`` or ``unknown`` at ``when`` (aware)."""
    return schedule_state_at(listing_schedule(listing), when)


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
