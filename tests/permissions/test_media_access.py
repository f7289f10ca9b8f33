"""Whose photos and attachments the platform serves, as a matrix of roles × files: a
file is seen by whoever may see its owner. A draft practice's are its partner's people's
(and a superuser's), a draft listing's its partner's editors' and moderators' and its
actor's, an unpublished layer's attraction's its partner's people's, a sandbox's
practice's its trainees', a draft announcement's its partner's editors' and moderators';
a public owner's, everyone's. A file served to some only is
never kept by a shared cache.

Before the fix, ``/media/`` served only public owners' files: the draft's own editors and
its actor got 404, and a published sandbox practice's image was everyone's."""

from __future__ import annotations

import pytest

from tests.permissions.conftest import A_PEOPLE, ROLES, signed_in

EVERYONE = frozenset(ROLES)
SEEN_BY = {
    "draft practice": A_PEOPLE | {"superuser"},
    "draft practice's document": A_PEOPLE | {"superuser"},
    "published practice": EVERYONE,
    "sandbox practice": frozenset({"trainee", "superuser"}),
    "draft listing": frozenset({"editor_a", "moderator_a", "actor", "superuser"}),
    "published listing": EVERYONE,
    "public attraction": EVERYONE,
    "unpublished attraction": A_PEOPLE | {"superuser"},
    "draft announcement": frozenset({"editor_a", "moderator_a", "superuser"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_files_whose_owner_it_may_see(platform, role):
    client = signed_in(platform, role)
    served, private_kept_public = set(), []
    for what, uid in platform.media.items():
        size = "original" if "document" in what else "160"
        response = client.get(f"/media/{uid}/{size}")
        assert response.status_code in (200, 404), (what, response.status_code)
        if response.status_code == 200:
            served.add(what)
            if SEEN_BY[what] != EVERYONE and "private" not in response["Cache-Control"]:
                private_kept_public.append(f"{what}: {response['Cache-Control']}")
    assert served == {what for what, roles in SEEN_BY.items() if role in roles}
    assert private_kept_public == []


def test_a_public_file_stays_cacheable_by_anyone(platform):
    response = signed_in(platform, "anonymous").get(
        f"/media/{platform.media['published listing']}/160")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
