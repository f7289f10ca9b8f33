"""Queryables as query parameters (OGC API – Features Part 1, 7.15.5: "parameters for
filtering on feature properties"): ``…/items?name=Tuida&length_m=12000`` is read as the
CQL2 filter ``name = 'Tuida' AND length_m = 12000`` and joins ``filter`` with AND.

GeoServer and pygeoapi take a property's name as a parameter this way; OWSLib's
``collection_items(name=…)`` sends it so. The names are the collection's queryables
(``…/queryables``) less those the items request already reads as its own (``partner``,
``layer``, ``category``… keep their lists of allowed values)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from geo.errors import BadParameter
from geo.params import Query, single
from layers.selectors.cql import queryables

NOT_PARAMETERS = frozenset({"updated_at"})
"""Queryables that are not offered as parameters: ``datetime`` is the way to ask for a
time, and an equality on an instant to the microsecond would find nothing."""


def property_parameters(kinds: list[str], taken: frozenset[str]) -> dict[str, str]:
    """The queryables that a request may give as parameters -> their JSON Schema type."""
    return {name: schema["type"] for name, schema in queryables(kinds).items()
            if name not in taken and name not in NOT_PARAMETERS}


def property_filter(query: Query, kinds: list[str], taken: frozenset[str]) -> dict | None:
    """The CQL2 JSON that the request's property parameters ask for (None without any);
    a ``BadParameter`` naming the parameter whose value is not of its property's type."""
    terms: list[dict[str, Any]] = []
    for name, kind in property_parameters(kinds, taken).items():
        raw = single(query, name)
        if raw is None:
            continue
        terms.append({"op": "=", "args": [{"property": name}, _typed(name, kind, raw)]})
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"op": "and", "args": terms}


def both(first: dict | bool | None, second: dict | None) -> dict | bool | None:
    """Two filters that must both hold (either may be absent)."""
    if second is None:
        return first
    if first is None:
        return second
    return {"op": "and", "args": [first, second]}


def _typed(name: str, kind: str, raw: str) -> str | float | bool:
    if kind in ("number", "integer"):
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if value != value or value in (float("inf"), float("-inf")):
            raise BadParameter(name, _("a number is expected, not %(value)s")
                               % {"value": repr(raw[:50])})
        return int(value) if kind == "integer" and value.is_integer() else value
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise BadParameter(name, _("true or false is expected, not %(value)s")
                               % {"value": repr(raw[:50])})
        return raw.lower() == "true"
    return raw
