"""A partner's three roles — editors, moderators, members — and who each answer names."""

from __future__ import annotations

import pytest

from layers.permissions import editable_partners, member_partners, moderated_partners
from tests.factories import make_partner, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    return (make_partner("sliven", bbox=(26.0, 42.5, 26.5, 43.0)),
            make_partner("drome", bbox=(4.6, 44.1, 5.8, 45.3), country="FR"))


def test_a_new_partner_gets_a_group_for_each_role(two):
    sliven, _ = two
    assert sliven.editors.name == "sliven editors"
    assert sliven.moderators.name == "sliven moderators"
    assert sliven.members.name == "sliven members"


@pytest.mark.parametrize(("role", "member", "moderator", "editor"), [
    ("members", True, False, False),
    ("moderators", True, True, False),
    ("editors", True, False, True),
])
def test_each_role_names_only_its_own_partner(two, role, member, moderator, editor):
    sliven, drome = two
    user = make_person(sliven, role)
    assert list(member_partners(user)) == ([sliven] if member else [])
    assert list(moderated_partners(user)) == ([sliven] if moderator else [])
    assert list(editable_partners(user)) == ([sliven] if editor else [])
    assert drome not in member_partners(user)


def test_an_editor_without_staff_status_is_still_a_member_but_writes_no_data(two):
    sliven, _ = two
    user = make_person(sliven, "editors", staff=False)
    assert list(member_partners(user)) == [sliven]
    assert not editable_partners(user).exists()


@pytest.mark.parametrize("role", ["members", "moderators", "editors"])
def test_an_inactive_user_has_no_role(two, role):
    sliven, _ = two
    user = make_person(sliven, role, active=False)
    assert not member_partners(user).exists()
    assert not moderated_partners(user).exists()
    assert not editable_partners(user).exists()


def test_a_user_in_several_groups_is_counted_once(two):
    sliven, drome = two
    user = make_person(sliven, "members")
    user.groups.add(sliven.moderators, drome.members)
    assert sorted(p.slug for p in member_partners(user)) == ["drome", "sliven"]
    assert [p.slug for p in moderated_partners(user)] == ["sliven"]


def test_a_superuser_has_every_role_and_a_visitor_none(two):
    admin = make_person(None, superuser=True, staff=True)
    assert member_partners(admin).count() == moderated_partners(admin).count() == 2
    from django.contrib.auth.models import AnonymousUser
    assert not member_partners(AnonymousUser()).exists()
    assert not moderated_partners(AnonymousUser()).exists()
