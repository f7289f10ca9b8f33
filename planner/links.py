"""What the planner's tables link to, from the apps above it.

The planner lists the categories each partner lacks; the exchange (above it, decision
0014) knows which other partners published practices on them. It registers here, from
its ``ready()``, a function the planner's API and CSV ask, so that the planner names no
table of the exchange.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MissingLinks = Callable[[dict[str, list[str]]], dict[str, dict[str, list[dict[str, Any]]]]]
"""Partner slug -> categories it lacks  ⟶  partner slug -> category -> links, each
``{"partner", "count", "url"}``."""

_missing_links: list[MissingLinks] = []


def register_missing_links(provider: MissingLinks) -> None:
    if provider not in _missing_links:
        _missing_links.append(provider)


def missing_links(missing: dict[str, list[str]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The registered answer for ``missing`` (empty lists when nobody registered)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {slug: {} for slug in missing}
    for provider in _missing_links:
        for slug, by_category in provider(missing).items():
            for cat, links in by_category.items():
                out.setdefault(slug, {}).setdefault(cat, []).extend(links)
    return out
