"""Read queries. GeoJSON is built by PostgreSQL itself (as JSON text), not in Python.

- ``sql``: translations and JSON-as-text building blocks;
- ``kinds``: the kinds of feature and the WHERE clauses of the filters;
- ``pages``: pages of features, for the API, OGC API and exports;
- ``catalogue``: a feature's detail, the layers, the partners, extents.
"""

from layers.selectors.catalogue import extent, feature_detail, layers_list, partners_geojson
from layers.selectors.kinds import (
    KINDS,
    OWN_FILTERS,
    RFC7946,
    Kind,
    Output,
    bbox_to_wgs84,
    conditions,
    near_conditions,
    route_partner_condition,
)
from layers.selectors.pages import features_page
from layers.selectors.sql import (
    COORD_DECIMALS,
    METRES_PER_DEGREE,
    all_translations,
    json_members,
    json_object_text,
    translated,
)

__all__ = [
    "COORD_DECIMALS", "KINDS", "METRES_PER_DEGREE", "OWN_FILTERS", "RFC7946", "Kind",
    "Output", "all_translations", "bbox_to_wgs84", "conditions", "extent",
    "feature_detail", "features_page", "json_members", "json_object_text", "layers_list",
    "near_conditions", "partners_geojson", "route_partner_condition", "translated",
]
