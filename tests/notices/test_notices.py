"""Notices: kept for the user in the app, in the reader's language, and sent by e-mail to a
real SMTP server once the write that caused them commits."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from notices.selectors import notices_for, unread_count
from notices.services import notice_send, notices_mark_read

MESSAGE = gettext_noop("A good practice waits for your review: %(title)s")


@pytest.fixture
def people(db):
    return [User.objects.create_user("ana", "ana@example.org", "x"),
            User.objects.create_user("nik", "", "x"),
            User.objects.create_user("gone", "gone@example.org", "x", is_active=False)]


def test_each_active_user_gets_a_notice_and_those_with_an_address_a_mail(
        people, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(users=people, message=MESSAGE, values={"title": "Night at the museum"},
                    url="/practices/1/")
    assert unread_count(people[0]) == 1 and unread_count(people[1]) == 1
    assert unread_count(people[2]) == 0
    assert len(smtp_inbox.messages) == 1
    to, mail = smtp_inbox.messages[0]
    assert to == ["ana@example.org"]
    assert mail["Subject"] == "A good practice waits for your review: Night at the museum"
    assert "/practices/1/" in mail.get_content()


def test_a_rolled_back_write_sends_no_mail(people, smtp_inbox,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notice_send(users=people[:1], message=MESSAGE, values={"title": "x"})
        transaction.set_rollback(True)
    assert smtp_inbox.messages == [] and unread_count(people[0]) == 0


def test_a_notice_is_read_in_the_readers_language_and_marked_read(people):
    notice_send(users=people[:1], message=gettext_noop("Good practices"), values={})
    with translation.override("bg"):
        assert notices_for(people[0])[0].text() == "Добри практики"
    assert notices_mark_read(user=people[0]) == 1
    assert unread_count(people[0]) == 0
