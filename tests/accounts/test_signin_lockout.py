"""Sign-in lockout (Trust D7, django-axes with the production settings): after five failed
sign-ins for one username from one address, that pair is locked for the cool-off.

Before the fix, ten wrong passwords and then the right one signed in.
"""

from __future__ import annotations

import base64

import pytest
from django.conf import settings
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

ELSEWHERE = {"REMOTE_ADDR": "192.0.2.7"}  # another client's address (TEST-NET-1)
RIGHT = "a long and right passphrase"


@pytest.fixture
def ivana(db):
    return User.objects.create_user("ivana", password=RIGHT, is_staff=True)


def sign_in(client, password: str, username: str = "ivana", **extra):
    return client.post("/admin/login/?next=/admin/",
                       {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_then_the_right_one_does_not_sign_in(client, ivana):
    codes = [sign_in(client, f"wrong {i}").status_code for i in range(10)]
    limit = settings.AXES_FAILURE_LIMIT
    assert codes == [200] * (limit - 1) + [429] * (10 - limit + 1)
    right = sign_in(client, RIGHT, HTTP_ACCEPT_LANGUAGE="bg")
    assert right.status_code == 429 and not signed_in(client)
    assert int(right["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    page = right.content.decode()
    assert right["Content-Type"].startswith("text/html") and '<html lang="bg"' in page
    assert "Твърде много неуспешни опити за вход" in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"заключен за {minutes} минути" in page


def test_the_lock_is_for_that_username_from_that_address(client, ivana):
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"wrong {i}")
    User.objects.create_user("petar", password=RIGHT, is_staff=True)
    assert sign_in(client, RIGHT, username="petar").status_code == 302
    client.logout()
    assert sign_in(client, RIGHT, **ELSEWHERE).status_code == 302 and signed_in(client)


def test_a_right_password_before_the_limit_starts_the_count_again(client, ivana):
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"wrong {i}")
    assert sign_in(client, RIGHT).status_code == 302
    client.logout()
    codes = [sign_in(client, f"wrong again {i}").status_code
             for i in range(settings.AXES_FAILURE_LIMIT - 1)]
    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, RIGHT).status_code == 302


def basic(password: str, username: str = "ivana") -> dict:
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {pair}"}


def test_a_script_gets_its_first_token_with_a_password_counted_by_the_same_lockout(
        client, ivana):
    made = client.post("/api/tokens/", {"scope": "write"}, **basic(RIGHT))
    assert made.status_code == 201
    assert client.get("/api/tokens/", HTTP_AUTHORIZATION=f"Token {made.json()['token']}"
                      ).status_code == 200
    codes = [client.post("/api/tokens/", **basic(f"wrong {i}")).status_code
             for i in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post("/api/tokens/", {"scope": "write"}, **basic(RIGHT))
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 60
    assert "locked" in locked.json()["error"]
    # The sign-in form is locked for that pair too: one lockout, whatever the door.
    assert sign_in(client, RIGHT).status_code == 429
    assert ivana.auth_token_set.count() == 1
