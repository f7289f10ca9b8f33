"""A Styled Layer Descriptor 1.0 of a collection: a rule per category (activity, type),
each a white disc ringed in the family's colour under its Maki icon (linked on the
platform), or a stroke of the activity's colour — for GeoServer, QGIS and OpenLayers."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from layers import registry
from layers.styles.palette import KindStyle, Look, kind_style

SLD = "http://www.opengis.net/sld"
OGC = "http://www.opengis.net/ogc"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd"


def _e(parent: etree._Element, tag: str, text: str | None = None, ns: str = SLD,
       **attrib: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _css(parent: etree._Element, name: str, value: str) -> None:
    _e(parent, "CssParameter", value, name=name)


def _equal(parent: etree._Element, prop: str, value: str) -> None:
    eq = _e(parent, "PropertyIsEqualTo", ns=OGC)
    _e(eq, "PropertyName", prop, ns=OGC)
    _e(eq, "Literal", value, ns=OGC)


def _symbolizers(rule: etree._Element, style: KindStyle, look: Look,
                 icon_url: Callable[[str], str]) -> None:
    if style.lines:
        stroke = _e(_e(rule, "LineSymbolizer"), "Stroke")
        _css(stroke, "stroke", look.colour)
        _css(stroke, "stroke-width", f"{style.width:g}")
        _css(stroke, "stroke-opacity", f"{style.opacity:g}")
        _css(stroke, "stroke-linecap", "round")
        _css(stroke, "stroke-linejoin", "round")
        if style.dash:
            _css(stroke, "stroke-dasharray", " ".join(f"{d:g}" for d in style.dash))
        return
    graphic = _e(_e(rule, "PointSymbolizer"), "Graphic")
    mark = _e(graphic, "Mark")
    _e(mark, "WellKnownName", "circle")
    _css(_e(mark, "Fill"), "fill", style.fill)
    stroke = _e(mark, "Stroke")
    _css(stroke, "stroke", look.colour)
    _css(stroke, "stroke-width", f"{style.ring:g}")
    _e(graphic, "Size", f"{style.diameter:g}")
    if look.icon:
        graphic = _e(_e(rule, "PointSymbolizer"), "Graphic")
        external = _e(graphic, "ExternalGraphic")
        _e(external, "OnlineResource", **{f"{{{XLINK}}}type": "simple",
                                          f"{{{XLINK}}}href": icon_url(look.icon)})
        _e(external, "Format", "image/svg+xml")
        _e(graphic, "Size", f"{style.icon_size:g}")


def _filter(rule: etree._Element, conditions: list[tuple[str, str]],
            none_of: list[tuple[str, str]] | None = None) -> None:
    """All ``conditions``, and none of ``none_of``."""
    if not conditions and not none_of:
        return
    where = _e(rule, "Filter", ns=OGC)
    if len(conditions) + bool(none_of) > 1:
        where = _e(where, "And", ns=OGC)
    for prop, value in conditions:
        _equal(where, prop, value)
    if none_of:
        negated = _e(where, "Not", ns=OGC)
        if len(none_of) > 1:
            negated = _e(negated, "Or", ns=OGC)
        for prop, value in none_of:
            _equal(negated, prop, value)


def sld_style(*, layer: str, title: str, kinds: tuple[str, ...],
              icon_url: Callable[[str], str]) -> bytes:
    """The SLD of collection ``layer``; ``icon_url(name)`` is the absolute URL of a Maki
    icon."""
    root = etree.Element(f"{{{SLD}}}StyledLayerDescriptor", version="1.0.0",
                         nsmap={None: SLD, "ogc": OGC, "xlink": XLINK, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{SLD} {SCHEMA}")
    named = _e(root, "NamedLayer")
    _e(named, "Name", layer)
    user = _e(named, "UserStyle")
    _e(user, "Name", "atlas")
    _e(user, "Title", title)
    for name in kinds:
        style = kind_style(name)
        kind_rule = [("kind", name)] if len(kinds) > 1 else []
        feature_type = _e(user, "FeatureTypeStyle")
        looks = list(style.looks.items()) if style.property else []
        for value, look in looks:
            rule = _e(feature_type, "Rule")
            _e(rule, "Name", f"{name}-{value}")
            _e(rule, "Title", str(look.label or value))
            _filter(rule, [*kind_rule, (style.property, value)])
            _symbolizers(rule, style, look, icon_url)
        rule = _e(feature_type, "Rule")
        _e(rule, "Name", name)
        _e(rule, "Title", registry.kind(name).title)
        if looks and not kind_rule:
            _e(rule, "ElseFilter")
        else:
            # Several kinds: an ElseFilter would take the other kinds' features too.
            _filter(rule, kind_rule, [(style.property, v) for v, _look in looks])
        _symbolizers(rule, style, style.default, icon_url)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
