"""Each partner's colour (Partner.colour): in the partners API the explorer reads, checked
wherever it is written, set by the migration for the four partners, picked in the admin."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from layers.models import Partner
from layers.validation import NEUTRAL_COLOUR
from tests.factories import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners():
    sliven = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9), colour="#1f618d")
    larissa = make_partner("larissa", bbox=(22.0, 39.2, 23.0, 40.1), country="GR",
                           languages=["el", "en"], colour="#1E8449")
    newcomer = make_partner("newcomer", bbox=(24.0, 41.0, 24.5, 41.5))
    return sliven, larissa, newcomer


def test_the_partners_api_gives_each_partners_colour(client, partners):
    fc = json.loads(client.get("/api/partners/", {"lang": "bg"}).content)
    assert {f["id"]: f["properties"]["colour"] for f in fc["features"]} == {
        "larissa": "#1E8449", "newcomer": NEUTRAL_COLOUR, "sliven": "#1f618d"}


def test_the_partners_api_gives_a_changed_colour_at_once(client, partners):
    Partner.objects.filter(slug="sliven").update(colour="#ff8800")
    fc = json.loads(client.get("/api/partners/").content)
    assert next(f for f in fc["features"] if f["id"] == "sliven")["properties"]["colour"] \
        == "#ff8800"


@pytest.mark.parametrize("colour", ["1f618d", "#1f618", "#1f618dd", "red", "#gg0000",
                                    "#1f618d;x", '#000"><b>'])
def test_a_colour_is_six_hexadecimal_digits_after_a_hash(partners, colour):
    sliven = partners[0]
    sliven.colour = colour
    with pytest.raises(ValidationError) as refused:
        sliven.full_clean()
    assert "Use a colour of six hexadecimal digits after #, e.g. #1f77b4." in \
        refused.value.message_dict["colour"]


@pytest.mark.parametrize("colour", ["1f618d", "#1f618", "red", "#gg0000", '#0"><b>', ""])
def test_the_database_refuses_what_is_not_a_colour_whoever_writes_it(partners, colour):
    # A loader or a script writes past the forms' validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.filter(pk=partners[0].pk).update(colour=colour)


def test_the_migration_gives_the_four_partners_the_explorers_colours(partners):
    for slug in ("stara-zagora", "drome"):
        make_partner(slug)
    Partner.objects.update(colour=NEUTRAL_COLOUR)
    migration = importlib.import_module("layers.migrations.0012_partner_colour")
    migration.set_colours(apps, None)
    assert dict(Partner.objects.values_list("slug", "colour")) == {
        "stara-zagora": "#b03a2e", "sliven": "#1f618d", "larissa": "#1e8449",
        "drome": "#7d3c98", "newcomer": NEUTRAL_COLOUR}


def test_the_partner_admin_shows_the_colour_and_picks_it_with_the_browsers_picker(
        client, partners):
    client.force_login(User.objects.create_superuser("admin", password="pw"))
    listing = client.get("/admin/layers/partner/").content.decode()
    assert "background:#1f618d" in listing and "<code>#1f618d</code>" in listing
    page = client.get(f"/admin/layers/partner/{partners[0].pk}/change/").content.decode()
    assert 'type="color" name="colour" value="#1f618d"' in page
