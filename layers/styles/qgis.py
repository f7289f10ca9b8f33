"""A QGIS layer style (QML): a rule-based renderer with a rule per category (per activity
for trails, per type for listings), each drawn as on the platform's map — a white disc
ringed in the family's colour with its Maki icon (embedded in the file, so that the
style works offline), or a line of the activity's colour.

QGIS applies it to the layer read from the OGC API (Features) or an export; its fields
(``category``, ``activity``, ``kind``) are the ones both carry.
"""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from lxml import etree

from layers import registry
from layers.styles.palette import KindStyle, Look, kind_style

QGIS_VERSION = "3.28.0-Firenze"  # the long-term release the partners use


def _rgba(colour: str, alpha: float = 1.0) -> str:
    c = colour.lstrip("#")
    return ",".join(str(int(c[i:i + 2], 16)) for i in (0, 2, 4)) + f",{round(alpha * 255)}"


def _options(parent: etree._Element, values: dict[str, str]) -> None:
    root = etree.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        etree.SubElement(root, "Option", name=name, type="QString", value=value)


def icon_svg(icon: str) -> bytes | None:
    """A Maki icon's SVG (node_modules/@mapbox/maki, served as static/vendor/maki)."""
    found = finders.find(f"vendor/maki/{icon}.svg")
    return Path(found).read_bytes() if isinstance(found, str) else None


def _symbol(parent: etree._Element, number: int, style: KindStyle, look: Look) -> None:
    kind = "line" if style.lines else "marker"
    symbol = etree.SubElement(parent, "symbol", type=kind, name=str(number), alpha="1",
                              clip_to_extent="1", force_rhr="0")
    if style.lines:
        layer = etree.SubElement(symbol, "layer", {"class": "SimpleLine", "pass": "0"},
                                 enabled="1", locked="0")
        line = {"line_color": _rgba(look.colour, style.opacity), "line_width": str(style.width),
                "line_width_unit": "Pixel", "line_style": "solid", "capstyle": "round",
                "joinstyle": "round"}
        if style.dash:
            line |= {"use_custom_dash": "1", "customdash_unit": "Pixel",
                     "customdash": ";".join(str(d) for d in style.dash)}
        _options(layer, line)
        return
    disc = etree.SubElement(symbol, "layer", {"class": "SimpleMarker", "pass": "0"},
                            enabled="1", locked="0")
    _options(disc, {"name": "circle", "color": _rgba(style.fill),
                    "outline_color": _rgba(look.colour), "outline_style": "solid",
                    "outline_width": str(style.ring), "outline_width_unit": "Pixel",
                    "size": str(style.diameter - style.ring), "size_unit": "Pixel",
                    "scale_method": "diameter"})
    svg = icon_svg(look.icon) if look.icon else None
    if svg:
        icon = etree.SubElement(symbol, "layer", {"class": "SvgMarker", "pass": "0"},
                                enabled="1", locked="0")
        _options(icon, {"name": "base64:" + base64.b64encode(svg).decode(),
                        "size": str(style.icon_size), "size_unit": "Pixel",
                        "color": "0,0,0,255", "outline_color": "0,0,0,0",
                        "outline_width": "0", "scale_method": "diameter"})


def _key(*parts: str) -> str:
    """A rule's key, the same for the same rule every time (the file is reproducible)."""
    return f"{{{uuid.uuid5(uuid.NAMESPACE_URL, 'atlas:' + ':'.join(parts))}}}"


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def qgis_style(*, kinds: tuple[str, ...]) -> bytes:
    """The QML of a layer of ``kinds``' features (a rule on ``kind`` too when several)."""
    root = etree.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology")
    renderer = etree.SubElement(root, "renderer-v2", type="RuleRenderer", symbollevels="0",
                                enableorderby="0", forceraster="0")
    rules = etree.SubElement(renderer, "rules", key=_key(*kinds))
    symbols = etree.SubElement(renderer, "symbols")
    number = 0
    for name in kinds:
        style = kind_style(name)
        kind = registry.kind(name)
        parent = rules
        if len(kinds) > 1:
            parent = etree.SubElement(rules, "rule", key=_key(name),
                                      label=f"{kind.title}",
                                      filter=f'"kind" = {_quoted(name)}')
        looks = list(style.looks.items()) if style.property else []
        for value, look in looks:
            etree.SubElement(parent, "rule", key=_key(name, value), symbol=str(number),
                             label=str(look.label or value),
                             filter=f'"{style.property}" = {_quoted(value)}')
            _symbol(symbols, number, style, look)
            number += 1
        etree.SubElement(parent, "rule", key=_key(name, ""), symbol=str(number),
                         label=_("Other") if looks else kind.title,
                         filter="ELSE" if looks else "TRUE")
        _symbol(symbols, number, style, style.default)
        number += 1
    if len(kinds) == 1:
        # QGIS checks it against the layer's (0 points, 1 lines).
        etree.SubElement(root, "layerGeometryType").text = (
            "1" if kind_style(kinds[0]).lines else "0")
    return etree.tostring(root, xml_declaration=False, encoding="utf-8",
                          doctype="<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>",
                          pretty_print=True)
