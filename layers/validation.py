"""Checks the layers' models share with other apps' (a listing's practical fields are an
attraction's): validators and the problems ``clean`` reports."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

iso_country = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code, e.g. BG."))
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
# A partner's colour until someone chooses one: a grey that no partner's is.
NEUTRAL_COLOUR = "#555555"
hex_colour = RegexValidator(HEX_COLOUR,
                            _("Use a colour of six hexadecimal digits after #, e.g. #1f77b4."))


def practical_problems(obj: Any) -> dict[str, list[object]]:
    """What is wrong with the practical fields an attraction and a listing share
    (``price_from``/``price_to``, ``languages``), by field, for their ``clean``."""
    problems: dict[str, list[object]] = {}
    if (obj.price_from is not None and obj.price_to is not None
            and obj.price_to < obj.price_from):
        problems["price_to"] = [_("The highest price is below the lowest.")]
    codes = [c for c in obj.languages if len(c) != 2 or not c.isalpha() or not c.islower()]
    if codes:
        problems["languages"] = [_("Use two-letter language codes in lower case, e.g. "
                                   "bg, en, fr.")]
    return problems
