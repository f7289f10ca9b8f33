"""A partner's editors give its consent (Trust D14): they add the partners whose public
features they welcome in their territory, on their own partner's page in the admin. Only
a superuser could before: partners were view-only to their editors. The rest of a
partner's record (name, territory, colour) stays the superusers'."""

from __future__ import annotations

import pytest

from layers.models import Partner
from tests.factories import make_partner, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    return {slug: make_partner(slug, bbox=box) for slug, box in (
        ("sliven", (25.9, 42.4, 26.8, 43.0)), ("larissa", (21.8, 39.2, 22.9, 40.0)),
        ("drome", (4.6, 44.1, 5.8, 45.4)))}


def _post(client, partner: Partner, **changes):
    page = client.get(f"/admin/layers/partner/{partner.pk}/change/")
    form = page.context["adminform"].form if page.status_code == 200 else None
    data = {name: form.initial.get(name) or "" for name in form.fields} if form else {}
    data.update(changes)
    return client.post(f"/admin/layers/partner/{partner.pk}/change/", data)


def test_an_editor_welcomes_another_partner_in_their_own_territory(client, three):
    client.force_login(make_person(three["sliven"], "editors"))
    response = _post(client, three["sliven"], welcomes=[three["larissa"].pk],
                     name_en="Renamed", colour="#000000")
    assert response.status_code == 302, response.content[:500]
    sliven = Partner.objects.get(slug="sliven")
    assert list(sliven.welcomes.values_list("slug", flat=True)) == ["larissa"]
    # Only the consent is theirs: the rest of the record did not change.
    assert sliven.name_en == "Sliven" and sliven.colour != "#000000"


@pytest.mark.parametrize("role", ["editors", "members", "moderators"])
def test_no_one_gives_another_partners_consent(client, three, role):
    # An editor of Drôme, and Sliven's non-staff roles, cannot welcome anyone to Sliven.
    partner = three["drome"] if role == "editors" else three["sliven"]
    client.force_login(make_person(partner, role, staff=True))
    response = client.post(f"/admin/layers/partner/{three['sliven'].pk}/change/",
                           {"welcomes": [three["larissa"].pk]})
    assert response.status_code in (302, 403)
    assert not three["sliven"].welcomes.exists()
