"""The route pages' text keeps each number with its unit on one line."""

from __future__ import annotations

import pytest

from maps.templatetags.route_text import units_unbroken
from routes.difficulty import difficulty_reason

NBSP = "\u00a0"
GRADE = {"level": "hard", "decided_by": "grade", "steepest_grade_pct": 33.4,
         "ascent_m": 963.0, "active_length_m": 9600.0}


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", f"33{NBSP}% over 200{NBSP}m; 963{NBSP}m of ascent over 9.6{NBSP}km"),
    ("el", f"33{NBSP}% σε 200{NBSP}m· 963{NBSP}m"),
    ("fr", f"33{NBSP}% sur 200{NBSP}m ; 963{NBSP}m"),
])
def test_a_difficulty_reason_never_breaks_a_number_from_its_unit(lang, expected):
    assert expected in units_unbroken(difficulty_reason(GRADE, lang))


def test_words_that_only_start_like_a_unit_keep_their_space():
    assert units_unbroken("3 mountains, 2 hours") == "3 mountains, 2 hours"
