"""SQL text building blocks shared by the read queries: translations, JSON as text."""

from __future__ import annotations

import json
from collections.abc import Sequence

from geo.i18n import LANGUAGE_CODES, fallback_chain

COORD_DECIMALS = 6  # about 0.1 m: finer than any partner's source data
METRES_PER_DEGREE = 111_320.0

Member = tuple[str, str | tuple[str, bool]]
"""A JSON member: its key, and the SQL of its value (``(sql, True)``: JSON text already)."""


def translated(alias: str, field: str, lang: str) -> str:
    """SQL for ``field`` of table ``alias`` in ``lang`` with the fallback chain.

    Column names come from the fixed language list, never from user input.
    """
    cols = ", ".join(f"NULLIF({alias}.{field}_{code}, '')" for code in fallback_chain(lang))
    return f"COALESCE({cols})"


def all_translations(alias: str, field: str) -> str:
    return "json_build_object(" + ", ".join(
        f"'{code}', NULLIF({alias}.{field}_{code}, '')" for code in LANGUAGE_CODES) + ")"


def json_members(pairs: Sequence[Member]) -> str:
    """SQL text of JSON object members ``"key":value`` from (key, SQL value) pairs.

    Features are built as text: json_build_object makes a json value of every
    nested object and re-reads ST_AsGeoJSON's text as json, which doubled the
    cost of a page of 1,000 features. ``to_json`` renders each value exactly
    as json_build_object does. A value given as ``(sql, True)`` is JSON text already.
    """
    out = []
    for key, value in pairs:
        expr, is_json = value if isinstance(value, tuple) else (value, False)
        rendered = expr if is_json else f"to_json({expr})::text"
        out.append(f"'{json.dumps(key)}:' || COALESCE({rendered}, 'null')")
    return " || ',' || ".join(out)


def json_object_text(pairs: Sequence[Member]) -> str:
    return f"'{{' || {json_members(pairs)} || '}}'" if pairs else "'{}'"
