"""A guesthouse signs up, verifies its address, submits a listing that the Sliven
moderator sends back then approves, and changes its hours (tests/browser/actor_cycle.py),
in English and in Bulgarian."""

from __future__ import annotations

import pytest

from tests.browser.actor_cycle import guesthouse_cycle
from tests.notices.conftest import smtp_inbox as real_smtp_server  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_a_guesthouse_signs_up_submits_and_is_moderated(new_page, live_server, region,
                                                        real_smtp_server, media_root,  # noqa: F811
                                                        lang):
    _sz, sliven = region
    guesthouse_cycle(new_page, live_server, sliven, real_smtp_server, lang)
