"""Each notification e-mail is written in its recipient's language — the one they chose on
the site, else their partner's main language, else English — never in the language of the
person whose action sent it. Mail goes to a real SMTP server (aiosmtpd)."""

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


def test_a_language_chosen_on_the_site_is_kept_for_the_mail(
        readers, smtp_inbox, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(readers["none"])
    assert client.get("/practices/?lang=fr").status_code == 200
    assert Reader.objects.get(user=readers["none"]).language == "fr"
    client.get("/practices/?lang=bogus")
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


def test_a_visitor_s_language_choice_writes_nothing(readers):
    Client().get("/practices/?lang=el")
    assert Reader.objects.count() == 2
