"""Attribute columns to model fields, each value worked out once per distinct value:
texts, the controlled vocabularies (category, activity, difficulty…), and a warning for
every value not understood, whose original is kept in the properties."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop as _

from geo.i18n import LANGUAGE_CODES
from geo.opening_hours import parse_error
from importers import mapping as m
from importers.formats.base import object_array
from importers.messages import Message, word
from importers.pipeline.normalise.rows import Issue, Rows
from layers.vocabulary import Activity, Category, Currency, LayerKind

SHOWN_ROWS = 20  # rows named in one aggregated warning


def map_distinct(values: np.ndarray, fn: Callable[[Any], Any]) -> np.ndarray:
    """``fn`` over ``values``, computed once per distinct value."""
    table: dict = {}
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values.tolist()):
        try:
            out[i] = table[v]
        except KeyError:
            out[i] = table[v] = fn(v)
        except TypeError:  # unhashable (JSON lists, dicts)
            out[i] = fn(v)
    return out


def text_values(values: np.ndarray) -> np.ndarray:
    """Text values of a column: mostly distinct strings (names), so no table of them."""
    text_value = m.text_value
    return object_array(v.strip() if v.__class__ is str else text_value(v)
                         for v in values.tolist())


def _rows_text(rows: np.ndarray) -> str:
    # No words: the same text in every language ("1, 2, … 20 … (+5)").
    shown = ", ".join(str(int(r)) for r in rows[:SHOWN_ROWS])
    return shown + (f" … (+{len(rows) - SHOWN_ROWS})" if len(rows) > SHOWN_ROWS else "")


def unfold_properties(rows: Rows) -> None:
    """A ``properties`` column of objects (our GeoJSON exports) becomes its own columns."""
    nested = rows.props.get("properties")
    if nested is None or not all(v is None or isinstance(v, dict) for v in nested.tolist()):
        return
    del rows.props["properties"]
    keys = dict.fromkeys(k for v in nested.tolist() if v for k in v)
    for key in keys:
        if key not in rows.props:
            rows.props[key] = object_array((v or {}).get(key) for v in nested.tolist())


CONTROLLED = {
    "category": (m.category_value, Category.ATTRACTION.value),
    "activity": (m.activity_value, Activity.HIKING.value),
    "difficulty": (m.difficulty_value, ""),
    "wheelchair": (m.wheelchair_value, ""),
    "fee": (m.fee_value, None),
    "website": (m.website_value, ""),
    "email": (m.email_value, ""),
    "booking_url": (m.website_value, ""),
    "price_from": (m.price_value, None),
    "price_to": (m.price_value, None),
    "currency": (m.currency_value, Currency.EUR.value),
    "season_months": (m.season_value, ""),
    "languages": (m.languages_value, ""),
}


def _understood(fn: Callable[[Any], object]) -> Callable[[Any], tuple[object, bool]]:
    def convert(value: Any) -> tuple[object, bool]:
        if value is None or value == "":
            return None, True
        try:
            result = fn(value)
        except ValueError:
            return None, False
        return result, result is not None
    return convert


def map_hours(rows: Rows, given: np.ndarray, col: str, label: str, layer: str,
              issues: list[Issue]) -> None:
    """Opening hours: those in OpenStreetMap's syntax as they are; the others kept as
    given (``hours_as_given``, shown as text, for an editor to rewrite) and flagged, not
    dropped (as listings' imports do, actors.imports)."""
    problems = map_distinct(given, lambda v: parse_error(v) if v else None)
    bad = np.array([p is not None for p in problems.tolist()], dtype=bool)
    rows.fields["opening_hours"] = np.where(bad, "", given).astype(object)
    rows.fields["hours_as_given"] = np.where(bad, given, "").astype(object)
    for value in dict.fromkeys(given[bad].tolist()):
        where = rows.rows[bad & (given == value)]
        issues.append(Issue(label, layer, _rows_text(where), col, Message(_(
            "%(value)s is not in OpenStreetMap's opening hours syntax (%(problem)s): kept as "
            "given for an editor to rewrite; open now cannot be told from it"),
            value=repr(value), problem=parse_error(value) or ""), "warning"))


def map_fields(rows: Rows, columns: dict[str, np.ndarray], take: np.ndarray,
               field_map: dict[str, str], kind: str, label: str, layer: str,
               issues: list[Issue]) -> None:
    for fld, col in field_map.items():
        raw = columns[col][take]
        if fld == "opening_hours":
            map_hours(rows, text_values(raw), col, label, layer, issues)
            continue
        if fld not in CONTROLLED:
            rows.fields[fld] = text_values(raw)
            continue
        fn, default = CONTROLLED[fld]
        pairs = map_distinct(raw, _understood(fn))
        values = object_array(default if v is None else v for v, _ok in pairs)
        bad = np.array([not ok for _v, ok in pairs], dtype=bool)
        rows.fields[fld] = values
        if bad.any():
            rows.unknown[col] = object_array(np.where(bad, raw, None))
            for value in dict.fromkeys(raw[bad].tolist()):
                where = rows.rows[bad & (raw == value)]
                stored = (Message(_("%(value)s is not a known %(field)s; stored as %(default)s, "
                                    "the original kept in properties"), value=repr(value),
                                  field=word(fld), default=default)
                          if default else
                          Message(_("%(value)s is not a known %(field)s; left empty, the "
                                    "original kept in properties"), value=repr(value),
                                  field=word(fld)))
                issues.append(Issue(label, layer, _rows_text(where), col, stored, "warning"))
    default_field = "category" if kind == LayerKind.ATTRACTIONS else "activity"
    if default_field not in rows.fields:
        rows.fields[default_field] = np.full(len(take), CONTROLLED[default_field][1],
                                             dtype=object)
    names = [rows.fields[f"name_{c}"] for c in LANGUAGE_CODES if f"name_{c}" in rows.fields]
    unnamed = np.ones(len(take), dtype=bool)
    for values in names:
        unnamed &= values == ""
    if unnamed.any():
        issues.append(Issue(label, layer, _rows_text(rows.rows[unnamed]), "name",
                            Message(_("no name in any language")), "warning"))
