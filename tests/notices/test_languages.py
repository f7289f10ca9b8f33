"""Each notification e-mail is written in its recipient's language — the one they signed
in with or chose on their notices page, else their partner's main language, else English —
never in the language of the person whose action sent it. Reading a page writes nothing.
Mail goes to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_noop

from notices.models import Reader
from notices.services import notice_send

MESSAGE = gettext_noop("Good practices")


@pytest.fixture
def readers(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = {code: User.objects.create_user(f"u-{code}", f"{code}@example.org", "pw-123456")
              for code in ("bg", "el", "none")}
    Reader.objects.create(user=people["bg"], language="bg")
    Reader.objects.create(user=people["el"], language="el")
    return people


def subjects(inbox) -> dict[str, str]:
    return {to[0]: mail["Subject"] for to, mail in inbox.messages}


def test_each_mail_is_in_its_reader_s_language_not_the_sender_s(
        readers, smtp_inbox, django_capture_on_commit_callbacks):
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        notice_send(users=readers.values(), message=MESSAGE, values={})
    assert subjects(smtp_inbox) == {"bg@example.org": "Добри практики",
                                    "el@example.org": "Καλές πρακτικές",
                                    "none@example.org": "Good practices"}
    languages = {to[0]: mail["Content-Language"] for to, mail in smtp_inbox.messages}
    assert languages["el@example.org"] == "el"


def test_a_language_chosen_on_the_notices_page_is_kept_for_the_mail(
        readers, smtp_inbox, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(readers["none"])
    page = client.get("/notices/?lang=fr").content.decode()
    assert 'option value="en" lang="en" selected' in page  # the default, until chosen
    assert client.post("/notices/?lang=fr", {"mail_language": "fr"}).status_code == 302
    assert Reader.objects.get(user=readers["none"]).language == "fr"
    assert client.post("/notices/", {"mail_language": "xx"}).status_code == 400
    assert Reader.objects.get(user=readers["none"]).language == "fr"
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(users=[readers["none"]], message=MESSAGE, values={})
    assert subjects(smtp_inbox) == {"none@example.org": "Bonnes pratiques"}


def test_signing_in_on_a_page_in_greek_keeps_greek(readers):
    client = Client()
    response = client.post("/sign-in/?lang=el", {"username": "u-bg",
                                                 "password": "pw-123456"})
    assert response.status_code == 302, response.content
    assert Reader.objects.get(user=readers["bg"]).language == "el"


def test_reading_pages_in_another_language_writes_nothing(readers):
    client = Client()
    client.force_login(readers["bg"])
    client.get("/practices/?lang=el")
    assert Reader.objects.get(user=readers["bg"]).language == "bg"
