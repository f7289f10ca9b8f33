"""The MapLibre style's sprite: every Maki icon the kinds' looks name, drawn from its SVG
(cairosvg) at 15 pixels and, for sharp screens, 30, in one PNG with its index
(``{name: {x, y, width, height, pixelRatio}}``, the MapLibre style spec's sprite)."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image

from layers import registry
from layers.styles.palette import kind_style
from layers.styles.qgis import icon_svg

ICON_PX = 15  # Maki's own size, and the map's (maps/static/maps/explorer.css)
ROW = 16  # icons a row of the sprite


def icons() -> list[str]:
    """The names of every icon a registered kind's look uses, once each, sorted."""
    names: set[str] = set()
    for kind in registry.kinds():
        style = kind_style(kind.name)
        names.update(look.icon for look in (style.default, *style.looks.values()) if look.icon)
    return sorted(names)


@lru_cache(maxsize=2)
def sprite(ratio: int) -> tuple[bytes, dict[str, dict[str, int]]]:
    """The sprite's PNG and its index at ``ratio`` (1 or 2) pixels a CSS pixel."""
    size = ICON_PX * ratio
    found = [(name, svg) for name in icons() if (svg := icon_svg(name))]
    rows = max(1, -(-len(found) // ROW))
    sheet = Image.new("RGBA", (size * min(ROW, max(1, len(found))), size * rows))
    index: dict[str, dict[str, int]] = {}
    for i, (name, svg) in enumerate(found):
        # Imported here: cairo's bindings cost every process ~0.3 s of CPU at start-up,
        # and only a sprite's first drawing needs them.
        import cairosvg

        png = cairosvg.svg2png(bytestring=svg, output_width=size, output_height=size)
        x, y = (i % ROW) * size, (i // ROW) * size
        sheet.paste(Image.open(io.BytesIO(png)), (x, y))
        index[name] = {"x": x, "y": y, "width": size, "height": size, "pixelRatio": ratio}
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue(), index
