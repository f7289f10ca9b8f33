"""Dates and times as each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(("lang", "expected"), [
    ("bg", "26.11.2026 г., 13:30"),
    ("el", "26/11/2026 13:30"),
    ("fr", "26 novembre 2026 13:30"),
    ("en", "Nov. 26, 2026, 1:30 p.m."),
])
def test_a_time_stamp_in_a_page_reads_as_its_language_writes_it(lang, expected, settings):
    settings.TIME_ZONE = "UTC"
    when = datetime(2026, 11, 26, 13, 30, tzinfo=UTC)
    with translation.override(lang):
        assert Template("{{ when }}").render(Context({"when": when})) == expected
