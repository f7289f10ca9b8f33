"""Coordinate reference systems used by the platform.

The only place with bare EPSG numbers: everything else names them.
"""

WGS84 = 4326
"""Storage CRS of every geometry (lon/lat degrees)."""

WEB_MERCATOR = 3857
LAEA_EUROPE = 3035
"""Equal-area CRS covering all four partners: areas and analysis buffers."""

GREEK_GRID = 2100
LAMBERT_93 = 2154
BGS2005_CCS = 7801
