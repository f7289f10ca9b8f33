"""Telling people what is new: an in-app notice for each, and an e-mail through Django's
mail framework, sent once the transaction that caused it has committed (a write that is
rolled back tells nobody)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from notices.languages import recipient_languages
from notices.models import Notice, values_in

log = logging.getLogger(__name__)


@transaction.atomic
def notice_send(*, users: Iterable[User], message: str, values: Mapping[str, Any],
                url: str = "", subject: str = "") -> list[Notice]:
    """A notice for each active user of ``users`` (each once), and an e-mail to those with
    an address. ``message`` and ``subject`` are English templates marked with
    ``gettext_noop``; each e-mail is written in its recipient's language
    (``notices.languages``), whoever sent it, and the notice in the reader's when read.
    A value may be given in each language (``notices.languages.in_each_language``):
    each reader then reads their own. ``url`` is a path on the site."""
    people = {u.pk: u for u in users if u.is_active}
    notices = Notice.objects.bulk_create(
        Notice(user=u, message=message, values=dict(values), url=url) for u in people.values())
    with_address = [u for u in people.values() if u.email]
    if with_address:
        languages = recipient_languages(with_address)
        recipients = [(u.email, languages[u.pk]) for u in with_address]
        transaction.on_commit(lambda: _mail(recipients, subject or message, message,
                                            dict(values), url))
    return notices


def _mail(recipients: list[tuple[str, str]], subject: str, message: str,
          values: dict[str, Any], url: str) -> None:
    """One message per person (no one sees who else was told), each in its reader's
    language."""
    written: dict[str, tuple[str, str]] = {}
    for _address, lang in recipients:
        if lang not in written:
            with translation.override(lang):
                shown = values_in(values, lang)
                body = gettext(message) % shown
                if url:
                    body += "\n\n" + settings.ATLAS_SITE_URL.rstrip("/") + url
                written[lang] = (gettext(subject) % shown, body)
    try:
        with get_connection() as connection:
            for address, lang in recipients:
                heading, body = written[lang]
                EmailMessage(subject=heading[:200], body=body, to=[address],
                             connection=connection, headers={"Content-Language": lang}
                             ).send()
    except OSError:
        # The notice is kept in the app whatever the mail server does; a broken server
        # must not undo a review that has committed.
        log.exception("notices: e-mail to %d people not sent", len(recipients))


def notices_mark_read(*, user: User | AnonymousUser) -> int:
    """Everything new for ``user`` marked as read; how many were new."""
    if not user.is_authenticated:
        return 0
    return (Notice.objects.filter(user_id=user.pk, read_at__isnull=True)
            .update(read_at=timezone.now()))
