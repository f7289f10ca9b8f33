"""Read queries. GeoJSON is built by PostgreSQL itself (as JSON text), not in Python.

- ``sql``: translations and JSON-as-text building blocks;
- ``kinds``: how features are written and the WHERE clauses of the filters (the kinds
  themselves are layers/registry.py's);
- ``pages``: pages of features, for the API, OGC API and exports;
- ``catalogue``: a feature's detail, the layers, the partners, extents and counts (kept
  per layer: ``LayerStatistics``).
"""

from layers.selectors.catalogue import (
    categories_present,
    extent,
    feature_detail,
    layers_list,
    partners_geojson,
    stored_feature_count,
)
from layers.selectors.kinds import (
    DISPLAY,
    OWN_FILTERS,
    RFC7946,
    Output,
    bbox_overlaps,
    conditions,
    near_conditions,
)
from layers.selectors.pages import SortKey, features_page, sortable
from layers.selectors.sql import (
    COORD_DECIMALS,
    METRES_PER_DEGREE,
    all_translations,
    json_members,
    json_object_text,
    translated,
)

__all__ = [
    "COORD_DECIMALS",
    "DISPLAY",
    "METRES_PER_DEGREE",
    "OWN_FILTERS",
    "RFC7946",
    "Output",
    "SortKey",
    "all_translations",
    "bbox_overlaps",
    "categories_present",
    "conditions",
    "extent",
    "feature_detail",
    "features_page",
    "json_members",
    "json_object_text",
    "layers_list",
    "near_conditions",
    "partners_geojson",
    "sortable",
    "stored_feature_count",
    "translated",
]
