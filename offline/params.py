"""The days a saved route or a pack holds the timetable of: ``date``, one or more days
written YYYY-MM-DD and separated by commas, at most MAX_DAYS."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.errors import BadParameter
from geo.params import single

MAX_DAYS = 7


def parse_days(query: QueryDict) -> tuple[date, ...]:
    raw = single(query, "date")
    if not raw:
        return (timezone.localdate(),)
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > MAX_DAYS:
        raise BadParameter("date", _("at most %(count)s days, separated by commas")
                           % {"count": MAX_DAYS})
    days: list[date] = []
    for part in parts:
        try:
            days.append(date.fromisoformat(part))
        except ValueError:
            raise BadParameter("date", _("%(value)s is not a date written YYYY-MM-DD")
                               % {"value": repr(part)}) from None
    return tuple(sorted(set(days)))
