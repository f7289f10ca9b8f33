"""A training partner's (``Partner.sandbox``) strategy page is its own accounts' only, as
everything of the sandbox: the public list leaves it out and its page is not found by
anyone else."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_partner, make_person


@pytest.fixture
def sandbox(db):
    make_partner("sliven", name_en="Sliven")
    return make_partner("sandbox", bbox=(24.0, 42.0, 24.1, 42.1), name_en="Training ground",
                        sandbox=True)


def test_the_public_neither_lists_nor_opens_a_sandbox_s_strategy(client, sandbox):
    listing = client.get("/strategy/?lang=en").content.decode()
    assert "/strategy/sliven/" in listing
    assert "/strategy/sandbox/" not in listing and "Training ground" not in listing
    assert client.get("/strategy/sandbox/").status_code == 404
    outsider = Client()
    outsider.force_login(make_person(None, username="outsider"))
    assert outsider.get("/strategy/sandbox/").status_code == 404


def test_a_trainee_opens_their_sandbox_s_strategy(sandbox):
    trainee = Client()
    trainee.force_login(make_person(sandbox, "members"))
    assert trainee.get("/strategy/sandbox/?lang=en").status_code == 200
