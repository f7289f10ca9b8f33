"""Numbers of the coverage tables, written for the active language."""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils import formats

from layers.vocabulary import Category

register = template.Library()


@register.filter
def percent(share: float, digits: int = 1) -> str:
    """0.8765 → "87.7 %" (with the language's decimal sign)."""
    return f"{formats.number_format(share * 100, digits, use_l10n=True)} %"


@register.filter
def number(value: float, digits: int = 1) -> str:
    """A number with the language's decimal sign and thousands separator."""
    return formats.number_format(value, digits, use_l10n=True, force_grouping=True)


@register.filter
def category_label(value: str) -> str:
    try:
        return str(Category(value).label)
    except ValueError:
        return value


@register.filter
def get_item(mapping: Mapping[str, object], key: str) -> object:
    return mapping.get(key, key)
