import pytest

from tests.factories import make_partner


@pytest.fixture
def territories():
    """Sliven (BG) and the Drôme (FR), side by side as far as the tests care."""
    return {"sliven": make_partner("sliven", bbox=(25.8, 42.4, 26.8, 43.0),
                                   name_en="Sliven"),
            "drome": make_partner("drome", bbox=(4.6, 44.1, 5.9, 45.4), country="FR",
                                  languages=["fr", "en"], name_en="Drôme")}


from tests.notices.conftest import smtp_inbox  # noqa: E402,F401  (the real SMTP server)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_actor(username: str, *, verified: bool = True, organisation: str = ""):
    """A tourism actor's account (its address is its user name), verified or not."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from actors.models import Actor

    user = User.objects.create_user(username, username, "pw-" + username)
    return Actor.objects.create(user=user, organisation=organisation or username.split("@")[0],
                                kind="business",
                                verified_at=timezone.now() if verified else None)
