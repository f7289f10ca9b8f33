"""Durations as the pages write them, in the active interface language.

Route pages and trail pages share these, so that "74 min" reads the same on both. Numbers
(lengths in km, metres) are localised by the templates' own ``floatformat``.
"""

from __future__ import annotations

import math

from django.utils.translation import ngettext


def duration_text(minutes: float) -> str:
    """A duration given in minutes as '45 min' or '3 h 05' (in the active language)."""
    total = math.floor(minutes + 0.5)
    if total < 60:
        return ngettext("%(minutes)s min", "%(minutes)s min", total) % {"minutes": total}
    hours, rest = divmod(total, 60)
    # Minutes keep two digits ("1 h 05"), as a clock would write them.
    return ngettext("%(hours)s h %(minutes)s", "%(hours)s h %(minutes)s", hours) % {
        "hours": hours, "minutes": f"{rest:02d}"}
