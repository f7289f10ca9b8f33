"""The collections: one per public layer (its slug), one per kind and the regional
layer, each with the kinds of feature it holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from layers import registry
from layers.models import Layer
from layers.vocabulary import LayerKind, Visibility


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    kinds: tuple[str, ...]
    layer: str | None = None


REGIONAL_LAYER = "regional-layer"


def fixed_collections() -> dict[str, Collection]:
    """The regional layer, and one collection of every partner's features per kind (the
    kinds of layers/registry.py)."""
    kinds = registry.kinds()
    # In the active language: the registry's titles and descriptions are English
    # constants, translated here (locale/*/LC_MESSAGES/django.po) for the OGC pages.
    out = [Collection(REGIONAL_LAYER, _("Regional layer"),
                      _("Every public feature of the four partners, of every kind: %(kinds)s")
                      % {"kinds": ", ".join(f"{k.name}s" for k in kinds)},
                      tuple(k.name for k in kinds))]
    out += [Collection(k.collection, _(k.title), _(k.description), (k.name,))
            for k in kinds]
    return {c.id: c for c in out}


def fixed_kinds(cid: str) -> tuple[str, ...] | None:
    """The kinds of fixed collection ``cid`` (None: it is not one), as ``fixed_collections``
    has them, without translating every title and description (tiles ask each request)."""
    kinds = registry.kinds()
    if cid == REGIONAL_LAYER:
        return tuple(k.name for k in kinds)
    return next(((k.name,) for k in kinds if k.collection == cid), None)


def all_collections(lang: str) -> list[Collection]:
    out = list(fixed_collections().values())
    for layer in Layer.objects.filter(visibility=Visibility.PUBLIC).order_by(
            "partner__slug", "slug"):
        out.append(_layer_collection(layer, lang))
    return out


def layer_kinds(layer_kind: str) -> tuple[str, ...]:
    """The feature kinds of a layer of ``Layer.kind`` ``layer_kind``."""
    return ("attraction",) if layer_kind == LayerKind.ATTRACTIONS else ("trail",)


def _layer_collection(layer: Layer, lang: str) -> Collection:
    with translation.override(lang):
        return Collection(layer.slug, layer.title or layer.slug, layer.description or "",
                          layer_kinds(layer.kind), layer=layer.slug)


def find_collection(cid: str, lang: str) -> Collection:
    """One collection, found without counting anything (tiles ask on every request)."""
    fixed = fixed_collections()
    if cid in fixed:
        return fixed[cid]
    layer = Layer.objects.filter(slug=cid, visibility=Visibility.PUBLIC).first()
    if layer is None:
        raise Http404(f"no collection {cid!r}")
    return _layer_collection(layer, lang)
