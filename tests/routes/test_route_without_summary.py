"""A route written without a summary (its summary columns all empty, as the route form
leaves them) shows no summary: not the word "None" under its title, nor on its card."""

from __future__ import annotations

import pytest
from django.test import Client

from layers.models import Partner
from tests.factories import make_partner
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


def test_a_route_without_a_summary_shows_none_of_it():
    partner: Partner = make_partner("sliven")
    make_route(partner, slug="no-words")
    for url in ("/routes/no-words/?lang=bg", "/routes/?lang=bg"):
        html = Client().get(url).content.decode()
        assert "No-Words" in html
        assert "None" not in html, url
