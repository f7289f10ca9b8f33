"""Filters for the route pages' text."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# A number and its unit, "33 %", "963 m", "9,6 km", "45 min": a line break between
# them strands the unit at the start of the next line ("33" … "% over 200 m").
NUMBER_AND_UNIT = re.compile(r"(\d) (%|m|km|min|мин|λεπτά|h|ч)(?=\W|$)")


@register.filter
def units_unbroken(text: str) -> str:
    """``text`` with a no-break space between each number and its unit."""
    return NUMBER_AND_UNIT.sub("\\1\u00a0\\2", str(text))
