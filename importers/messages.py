"""What the importers tell people, in the language of whoever reads it.

An import is written once and read later, maybe by someone else in another
language: its report cannot hold finished sentences. A ``Message`` is an
English template with named placeholders, marked for makemessages (the
importers import ``gettext_noop`` as ``_``: it marks, it does not translate),
and the values that fill it. It becomes text only when it is shown, in the
active language: English on the command line (``import_layer`` runs without
translations), the reader's language on the web pages and in the API. Import
runs keep its template and values (``as_json``) beside the English text.

A value may itself be a message (a reason inside a refusal), and numbers are
written the reader's way (2,405 / 2 405 / 2.405).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

Value = Any  # Message, str, int, float or None


class Message:
    """An English template with ``%(name)s`` placeholders and the values for them."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Value) -> None:
        self.msgid = msgid
        self.params = params

    @classmethod
    def text(cls, text: str) -> Message:
        """Text that is not ours to translate (GDAL's warnings, runs from before messages)."""
        return cls("%(text)s", text=str(text))

    @classmethod
    def join(cls, parts: Iterable[Message | str]) -> Message:
        """Clauses one after the other, "a; b; c", as each language separates them."""
        items = [p if isinstance(p, Message) else cls.text(p) for p in parts]
        if not items:
            return cls.text("")
        out = items[0]
        for item in items[1:]:
            out = cls(_("%(first)s; %(then)s"), first=out, then=item)
        return out

    def __str__(self) -> str:
        values = {k: _shown(v) for k, v in self.params.items()}
        try:
            return gettext(self.msgid) % values
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
            return self.msgid % values

    @property
    def english(self) -> str:
        """The text as the command line shows it and the database keeps it."""
        with translation.override("en"):
            return str(self)

    def __repr__(self) -> str:
        return f"Message({self.english!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and other.msgid == self.msgid
                and other.params == self.params)

    __hash__ = None  # type: ignore[assignment]  # unhashable (mutable params); typeshed has no way to say so

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "params": {k: _stored(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict | str | None) -> Message | None:
        if data is None:
            return None
        if isinstance(data, str):
            return cls.text(data)
        params = {k: cls.from_json(v) if isinstance(v, dict) else v
                  for k, v in data.get("params", {}).items()}
        return cls(data["msgid"], **params)


def _shown(value: Value) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return _number(value)
    if isinstance(value, float):
        return _number(value, 1)
    return str(value)


def _number(value: float, decimals: int | None = None) -> str:
    lang = translation.get_language()
    if not lang or lang.startswith("en"):
        return f"{value:,.{decimals}f}" if decimals is not None else f"{value:,}"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True,
                                 force_grouping=True)


def _stored(value: Value) -> Value:
    if isinstance(value, Message):
        return value.as_json()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# Words for codes that messages name: the kinds of layer and the fields of a feature.
WORDS = {"attractions": _("attractions"), "trails": _("trails"), "category": _("category"),
         "activity": _("activity"), "difficulty": _("difficulty"),
         "wheelchair": _("wheelchair access"), "fee": _("fee"), "website": _("website"),
         "email": _("e-mail"), "booking_url": _("booking link"), "price_from": _("price from"),
         "price_to": _("price to"), "currency": _("currency"),
         "season_months": _("season (months)"), "languages": _("languages spoken")}


def word(code: str) -> Message | str:
    """A kind or field as words in the reader's language; other codes as they are."""
    code = str(code)
    return Message(WORDS[code]) if code in WORDS else code


SEVERITIES = {"error": _("error"), "repaired": _("repaired"), "warning": _("warning")}


def severity_label(severity: str) -> str:
    """An issue's severity (error: the row is left out; repaired; warning), as words."""
    return gettext(SEVERITIES[severity]) if severity in SEVERITIES else severity


def crs_problem(exc: Exception) -> Message:
    """Why PROJ read no CRS (geo.crs.CrsError), PROJ's own words left in English."""
    return Message(_("not a coordinate reference system PROJ can read: %(detail)s"),
                   detail=getattr(exc, "detail", "") or str(exc))


def shown(stored: dict | None, fallback: str) -> str:
    """A stored message in the active language; ``fallback`` (the English text) without one."""
    message = Message.from_json(stored)
    return str(message) if message is not None else fallback
