"""The collections: one per public layer (its slug), one per kind and the regional
layer, each with the kinds of feature it holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import translation

from layers.models import Layer
from layers.vocabulary import LayerKind, Visibility


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    kinds: tuple[str, ...]
    layer: str | None = None


FIXED = {c.id: c for c in (
    Collection("regional-layer", "Regional layer",
               "Every public attraction and trail of the four partners, and the published "
               "pilot routes", ("attraction", "trail", "route")),
    Collection("all-attractions", "All attractions", "The public attractions of every partner",
               ("attraction",)),
    Collection("all-trails", "All trails", "The public trails of every partner", ("trail",)),
    Collection("all-routes", "Pilot routes", "The published pilot routes of every partner",
               ("route",)),
)}


def all_collections(lang: str) -> list[Collection]:
    out = list(FIXED.values())
    for layer in Layer.objects.filter(visibility=Visibility.PUBLIC).order_by(
            "partner__slug", "slug"):
        out.append(_layer_collection(layer, lang))
    return out


def _layer_collection(layer: Layer, lang: str) -> Collection:
    kind = "attraction" if layer.kind == LayerKind.ATTRACTIONS else "trail"
    with translation.override(lang):
        return Collection(layer.slug, layer.title or layer.slug, layer.description or "",
                          (kind,), layer=layer.slug)


def find_collection(cid: str, lang: str) -> Collection:
    """One collection, found without counting anything (tiles ask on every request)."""
    if cid in FIXED:
        return FIXED[cid]
    layer = Layer.objects.filter(slug=cid, visibility=Visibility.PUBLIC).first()
    if layer is None:
        raise Http404(f"no collection {cid!r}")
    return _layer_collection(layer, lang)
