"""The version of the data: a counter per table that every statement writing it bumps, in
the writing transaction (migrations 0006 and 0016). Tiles take their ETag from it, and
kept exports their file names (layers/exports/stored.py)."""

from __future__ import annotations

import hashlib

from django.db import connection

from layers import registry

VERSIONED_ALWAYS = ("layers_layer", "layers_partner")
"""Tables every feature's answer depends on: a layer's visibility, a partner's slug."""


def data_version(kinds: tuple[str, ...] | list[str]) -> str:
    """Changes whenever a feature of these kinds, or any layer or partner, is written."""
    tables = [registry.kind(k).table for k in kinds] + list(VERSIONED_ALWAYS)
    with connection.cursor() as cur:
        cur.execute("SELECT string_agg(name || ':' || version, ',' ORDER BY name) "
                    "FROM atlas_data_version WHERE name = ANY(%s)", [tables])
        return hashlib.sha1(cur.fetchone()[0].encode()).hexdigest()[:16]
