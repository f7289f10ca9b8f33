"""Styles that travel with a layer: the platform's look (maps/static/maps/explorer/style.js
and explorer.css) as a MapLibre style (``maplibre``), a QGIS style (``qml``) and an SLD
1.0 (``sld``), built from one palette (``palette``) that the kinds register.

The map's script keeps its own copy of the colours and icons (it runs in the browser);
tests/layers/test_styles.py checks that both say the same.
"""

from layers.styles.palette import KindStyle, Look, kind_style, register_style

__all__ = ["KindStyle", "Look", "kind_style", "register_style"]
