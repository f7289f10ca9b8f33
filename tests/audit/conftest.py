"""The audit tests' world: two partners, an editor of each, a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from layers.services import partner_editors_group_ensure
from tests.factories import make_partner


@pytest.fixture
def world(db):
    a = make_partner("stara-zagora")
    b = make_partner("sliven", bbox=(26.0, 42.4, 26.8, 42.9))
    users = {}
    for name, partner in (("ivana", a), ("petar", b)):
        users[name] = User.objects.create_user(name, password="pw", is_staff=True)
        users[name].groups.add(partner_editors_group_ensure(partner=partner))
    users["root"] = User.objects.create_superuser("root", password="pw")
    return {"a": a, "b": b, **users}
