"""Features as their rows keep them: the GeoJSON text a page concatenates (decision 0023).

Attractions keep their Feature as text in parts (layers migration 0026, kept by triggers on
every write): a page of them is the parts of each row joined, with no JSON built, no
geometry written and no partner, layer or photo looked up. The kept text is the Feature
as ``pages._feature_sql`` writes it in the common case only: longitude/latitude as RFC 7946
(not ``crs=``, not the axes swapped), no distance (``near``). Any other page, and any row
whose parts are missing (written with the triggers off: a bulk load, a restore that
disabled them), is built from scratch.
"""

from __future__ import annotations

from geo.crs import WGS84
from geo.i18n import LANGUAGE_CODES
from layers.registry import FeatureKind
from layers.selectors.kinds import Output

STORED_KINDS = frozenset({"attraction"})
"""The kinds whose rows keep their Feature's text (the triggers of migration 0026)."""

_OWNER = ("(SELECT {column} FROM layers_layer l JOIN layers_partner p ON p.id = l.partner_id "
          "WHERE l.id = x.layer_id)")


def stored_applies(kind: FeatureKind, lang: str, out: Output, near: bool) -> bool:
    """Whether a page of ``kind`` in ``lang`` written as ``out`` may be read from the
    kept text."""
    return (kind.name in STORED_KINDS and lang in LANGUAGE_CODES and out.srid == WGS84
            and not out.flip and not near and (not out.display or not kind.display_geom))


def stored_feature_sql(lang: str, out: Output, built: str) -> str:
    """SQL over ``x`` (a row of the kind's table) of its Feature from the kept parts, or
    ``built`` (``pages._feature_sql``'s, which names the partner's and layer's slugs) for
    a row without them; the slugs are then looked up for that row alone, so that a page
    read from the kept text joins nothing."""
    fallback = (built.replace("x.partner_slug", _OWNER.format(column="p.slug"))
                .replace("x.layer_slug", _OWNER.format(column="l.slug")))
    i = LANGUAGE_CODES.index(lang) + 1  # a content language: parse_lang checked it
    names = "x.page_names_flat" if out.flat else "x.page_names"
    return (f"CASE WHEN x.page_head IS NULL THEN {fallback} ELSE x.page_head || "
            f"COALESCE(x.page_texts[{i}], x.page_texts[1]) || {names} || x.page_tail END")
