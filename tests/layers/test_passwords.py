"""The password policy refuses what an attacker of this platform tries first (Trust D21)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def sliven():
    return make_partner("sliven", name_bg="Сливен", name_el="Σλίβεν", name_en="Sliven")


@pytest.mark.parametrize("password", ["98765432109", "sliven2024", "Sliven!2024",
                                      "Сливен20242", "atlas-2026!", "password12345",
                                      "short1!"])
def test_guessable_passwords_are_refused(sliven, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_the_refusal_says_why_in_the_readers_language(sliven):
    from django.utils import translation

    with translation.override("bg"), pytest.raises(ValidationError) as refused:
        validate_password("sliven2024")
    assert any("партньор" in m for m in refused.value.messages), refused.value.messages


@pytest.mark.parametrize("password", ["lavender-tram-9-quiet", "Кестенова-гора-72"])
def test_a_long_unguessable_password_passes(sliven, password):
    validate_password(password)
