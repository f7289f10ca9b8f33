"""Whose data an export holds and under which licence: every export carries it
(Interfaces D15) — GeoJSON members, GPX ``<metadata>``, KML's description, a
``LICENCE.txt`` in the Shapefile's zip, GeoPackage metadata, CSV columns."""

from __future__ import annotations

from dataclasses import dataclass

from layers import registry
from layers.models import Layer
from layers.params import FeatureFilters
from layers.vocabulary import LayerKind, Visibility

PLATFORM = "Regional Tourism Atlas"
LAYER_KINDS = {"attraction": LayerKind.ATTRACTIONS, "trail": LayerKind.TRAILS}
"""The kinds whose features are in partners' layers, each layer with its own licence."""


@dataclass(frozen=True)
class Credit:
    """One source of an export's features: a layer (``layer`` its slug), or a kind kept
    by the platform itself (the pilot routes: ``layer`` empty)."""

    layer: str
    title: str
    partner: str
    licence: str
    source: str

    def line(self) -> str:
        licence = self.licence or "licence not stated"
        source = f"; source: {self.source}" if self.source else ""
        return f"{self.title} ({self.partner}): {licence}{source}"


def credits(kinds: list[str], filters: FeatureFilters) -> list[Credit]:
    """The layers (and platform kinds) the export's features may come from."""
    out: list[Credit] = []
    layer_kinds = [LAYER_KINDS[k] for k in kinds if k in LAYER_KINDS]
    if layer_kinds:
        layers = Layer.objects.filter(visibility=Visibility.PUBLIC, kind__in=layer_kinds)
        if filters.layer:
            layers = layers.filter(slug__in=filters.layer)
        else:
            layers = layers.filter(reference=False)
        if filters.partner:
            layers = layers.filter(partner__slug__in=filters.partner)
        for layer in layers.select_related("partner").order_by("partner__slug", "slug"):
            out.append(Credit(layer.slug, layer.title or layer.slug, layer.partner.name,
                              layer.licence, layer.source))
    for name in kinds:
        kind = registry.kind(name)
        if name not in LAYER_KINDS and not filters.layer:
            out.append(Credit("", kind.title, f"the partners of the {PLATFORM}", "",
                              PLATFORM))
    return out


def licences(found: list[Credit]) -> list[str]:
    """The distinct licences stated, in order."""
    return list(dict.fromkeys(c.licence for c in found if c.licence))


def licence_url(licence: str) -> str | None:
    """The licence's page when it is an SPDX identifier (what the Layer's field asks
    for: ``CC-BY-4.0``); None for free text."""
    if licence and " " not in licence:
        return f"https://spdx.org/licenses/{licence}.html"
    return None


def attribution(found: list[Credit]) -> str:
    """One line to show beside the data, as CC-BY asks."""
    partners = list(dict.fromkeys(c.partner for c in found))
    stated = licences(found)
    return (f"Data: {', '.join(partners) or PLATFORM} ({PLATFORM})"
            + (f"; licence: {', '.join(stated)}" if stated else ""))


def licence_text(found: list[Credit]) -> str:
    """The whole statement: the attribution, then each source with its licence."""
    lines = [attribution(found), "", "Sources:"]
    lines += [f"- {c.line()}" for c in found]
    urls = [u for u in (licence_url(x) for x in licences(found)) if u]
    if urls:
        lines += ["", "Licences:", *(f"- {u}" for u in urls)]
    return "\n".join(lines) + "\n"
