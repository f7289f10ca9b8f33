"""The version of the data: a counter per table that every statement writing it bumps, in
the writing transaction (migrations 0006 and 0016). Tiles take their ETag from it, and
kept exports their file names (layers/exports/stored.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from django.db import connection

from layers import registry

VERSIONED_ALWAYS = ("layers_layer", "layers_partner")
"""Tables every feature's answer depends on: a layer's visibility, a partner's slug."""


def data_version(kinds: tuple[str, ...] | list[str]) -> str:
    """Changes whenever a feature of these kinds, or any layer or partner, is written."""
    with connection.cursor() as cur:
        cur.execute("SELECT name, version FROM atlas_data_version WHERE name = ANY(%s)",
                    [version_tables(kinds)])
        return version_digest(dict(cur.fetchall()), kinds)


def version_tables(kinds: tuple[str, ...] | list[str]) -> list[str]:
    """The tables whose versions make ``data_version(kinds)``."""
    return [registry.kind(k).table for k in kinds] + list(VERSIONED_ALWAYS)


def version_digest(versions: Mapping[str, int], kinds: tuple[str, ...] | list[str]) -> str:
    """``data_version(kinds)`` from the table's rows ({table: version}), read by the
    caller with others in one statement (the tiles: with their collection's layer)."""
    tables = sorted(set(version_tables(kinds)))
    text = ",".join(f"{t}:{versions[t]}" for t in tables if t in versions)
    return hashlib.sha1(text.encode()).hexdigest()[:16]
