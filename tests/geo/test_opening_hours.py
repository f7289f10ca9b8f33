"""Opening hours: refused with the parser's words and a hint; open now / on a date with
each country's public holidays; a week as a visitor reads it, in their language."""

from __future__ import annotations

from datetime import UTC as dt_utc
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from geo.opening_hours import open_on, state_at, validate_opening_hours, week

MUSEUM = "Tu-Su 09:00-17:00; PH off"
DAILY = "Mo-Su 09:00-17:00; PH off"
UTC = ZoneInfo("UTC")


def test_hours_that_do_not_parse_are_refused_with_the_parsers_words_and_a_hint():
    with pytest.raises(ValidationError) as refused:
        validate_opening_hours("Mo-Fx 9-17")
    message = refused.value.messages[0]
    assert "expected wday" in message and "Mo-Fr 09:00-17:00" in message


@pytest.mark.parametrize("value", ["", "24/7", MUSEUM, "Mo-Fr 08:00-12:00,13:00-17:30",
                                   "Apr-Oct Tu-Su 10:00-18:00; PH off", "Mo-Sa 10:00-02:00"])
def test_osm_hours_are_accepted(value):
    validate_opening_hours(value)


def test_orthodox_easter_monday_closes_in_bulgaria_and_greece_not_in_france():
    # 2027: Orthodox Easter Monday is 3 May, Western Easter Monday 29 March.
    orthodox, western = date(2027, 5, 3), date(2027, 3, 29)
    assert open_on(DAILY, "BG", orthodox) == "closed"
    assert open_on(DAILY, "GR", orthodox) == "closed"
    assert open_on(DAILY, "FR", orthodox) == "open"
    assert open_on(DAILY, "FR", western) == "closed"
    assert open_on(DAILY, "BG", western) == "open"
    assert open_on(DAILY, "BG", date(2027, 5, 4)) == "open"


def test_open_now_is_the_places_local_time():
    # 14:30 UTC in June is 17:30 in Sofia (closed at 17:00) and 16:30 in Paris (open).
    moment = datetime(2027, 6, 8, 14, 30, tzinfo=UTC)
    assert state_at(MUSEUM, "BG", moment) == "closed"
    assert state_at(MUSEUM, "FR", moment) == "open"
    assert state_at("Mo off", "FR", datetime(2027, 6, 7, 12, tzinfo=UTC)) == "closed"
    assert state_at("nonsense", "FR", moment) == "unknown"
    assert state_at("", "FR", moment) == "unknown"
    # Django's clock (timezone.now) carries datetime.timezone.utc, not a ZoneInfo.
    assert state_at(MUSEUM, "FR", moment.replace(tzinfo=dt_utc)) == "open"


def test_a_week_reads_in_the_readers_language_with_holidays():
    with translation.override("fr"):
        days = week(DAILY, "BG", date(2027, 5, 3))
    assert [d.name for d in days[:2]] == ["lundi 3 mai", "mardi 4 mai"]
    assert days[0].state == "closed" and days[0].spans == ()  # Orthodox Easter Monday
    assert days[1].spans == ("09:00–17:00",) and days[1].state == "open"
    with translation.override("bg"):
        assert week(MUSEUM, "BG", date(2027, 5, 4))[0].name.startswith("вторник")
    assert week("nonsense", "BG", date(2027, 5, 4)) == []
