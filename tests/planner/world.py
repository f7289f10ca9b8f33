"""A small constructed territory, and what its coverage must be, worked out here.

Everything is placed in EPSG:3035 metres (x east, y north of an origin near Stara
Zagora) and stored in lon/lat, so that the reference values below come from shapely
on the very coordinates PostGIS works with, not from PostGIS itself.

    y (km)
    20 ┌──────────────────┐
       │  A2 ·            ╲ (18,20)            · stop R2 (26,17), private
       │                   ╲
    12 │                    │ (30,12)      · A4 (33,10), outside
       │        · T1 end    │
       │  A1 ·      T1      │  T2 ─────── (34,6)
     0 └──────────────────A3┘ 30
       0     14 = west | east
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString
from django.utils import timezone
from pyproj import Geod, Transformer

from geo.crs import LAEA_EUROPE, WGS84
from layers.models import Attraction, Trail
from layers.vocabulary import LayerKind, Visibility
from planner.models import AreaLayer
from planner.selectors import DISC_FACTOR
from routes.services import StopSpec, route_compose
from routes.vocabulary import RouteStatus
from tests.factories import make_attraction, make_layer, make_partner

TO_LAEA = Transformer.from_crs(WGS84, LAEA_EUROPE, always_xy=True)
TO_LONLAT = Transformer.from_crs(LAEA_EUROPE, WGS84, always_xy=True)
X0, Y0 = TO_LAEA.transform(25.60, 42.40)
GEOD = Geod(ellps="WGS84")
CIRCLE_SEGMENTS = 256  # per quarter: the reference circles are round to 0.1 mm
KM = 1000.0

TERRITORY = [(0, 0), (30, 0), (30, 12), (18, 20), (0, 20)]
WEST = [(-2, -2), (14, -2), (14, 22), (-2, 22)]  # reaches beyond the territory
EAST = [(14, -2), (32, -2), (32, 22), (14, 22)]
T1 = [(12, 2), (16, 6), (14, 9)]
T2 = [(28, 6), (34, 6)]


def laea(points_km) -> np.ndarray:
    return np.array([(X0 + x * KM, Y0 + y * KM) for x, y in points_km])


def lonlat(points_km) -> list[tuple[float, float]]:
    xy = laea(points_km)
    lon, lat = TO_LONLAT.transform(xy[:, 0], xy[:, 1])
    return list(zip(lon.tolist(), lat.tolist(), strict=True))


def polygon_wkt(points_km) -> str:
    ring = lonlat([*points_km, points_km[0]])
    return "MULTIPOLYGON(((" + ", ".join(f"{x!r} {y!r}" for x, y in ring) + ")))"


def shape_laea(points_km, kind: str = "polygon"):
    xy = laea(points_km)
    return shapely.Polygon(xy) if kind == "polygon" else shapely.LineString(xy)


def geodesic_km(points_lonlat) -> float:
    lon, lat = zip(*points_lonlat, strict=True)
    return GEOD.line_length(lon, lat) / KM


@dataclass
class World:
    partner: object
    places: object
    sites_km: dict[str, tuple[float, float]]  # what covers, by name
    route_km: list[tuple[float, float]]  # the published route's line

    def reference(self, radius_km: float, *, sites: list[str] | None = None,
                  route: bool = True, territory=TERRITORY) -> shapely.Geometry:
        """The gaps, by shapely: the territory less every disc (and the route's band),
        without the slivers under (R/50)² the analysis leaves out by design."""
        r = radius_km * KM
        names = self.sites_km if sites is None else sites
        reach = [shapely.Point(laea([self.sites_km[n]])[0]).buffer(
            r, quad_segs=CIRCLE_SEGMENTS) for n in names]
        if route:
            reach.append(shape_laea(self.route_km, "line").buffer(
                r, quad_segs=CIRCLE_SEGMENTS))
        gaps = shape_laea(territory).difference(shapely.union_all(reach))
        return shapely.MultiPolygon([g for g in getattr(gaps, "geoms", [gaps])
                                     if g.area >= (r / 50) ** 2])


def parts(geom) -> list:
    return [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty]


def tolerance_km2(reference, radius_km: float) -> float:
    """How far our gaps may be from the round circles': our discs are polygons drawn
    around the circle, reaching at most R·(1/cos(π/64) − 1) beyond it, along the
    gaps' outline; a route's band is drawn from its line simplified by R/1000."""
    band_m = radius_km * KM * (DISC_FACTOR - 1 + 0.001) + 0.01
    return reference.length * band_m / 1e6 + 1e-4


def partner(result, slug="testland"):
    return next(a for a in result.partners if a.key == slug)


def place(layer, name: str, xy_km, **kw) -> Attraction:
    (lon, lat), = lonlat([xy_km])
    return make_attraction(layer, lon, lat, name_en=name, **kw)


def trail(layer, points_km, **kw) -> Trail:
    geom = MultiLineString(LineString(lonlat(points_km), srid=WGS84), srid=WGS84)
    return Trail.objects.create(layer=layer, geom=geom, name_en=kw.pop("name_en", "Trail"),
                                activity="hiking", **kw)


def make_world() -> World:
    partner = make_partner("testland", country="BG", name_bg="Тестово", name_en="Testland")
    partner.boundary = GEOSGeometry(polygon_wkt(TERRITORY), srid=WGS84)
    partner.save()
    places = make_layer(partner)
    hidden = make_layer(partner, visibility=Visibility.PRIVATE, slug="testland-private")
    trails = make_layer(partner, LayerKind.TRAILS)
    a1 = place(places, "Museum", (5, 5), category="museum")
    a2 = place(places, "Church", (8, 14), category="church")
    place(places, "Peak", (24, 4), category="peak")
    a4 = place(places, "Over the border", (33, 10), category="museum")
    place(hidden, "Private barn", (20, 15), category="museum")
    gone = place(places, "Demolished", (15, 17), category="ruins")
    gone.retired_at = timezone.now()
    gone.save()
    trail(trails, T1)
    trail(trails, T2)
    place(hidden, "Private viewpoint", (26, 17), category="viewpoint")
    corner = place(hidden, "Private corner", (1, 1), category="viewpoint")
    # The published route ends at a public museum: a leg to the private viewpoint would not
    # be on the route's public line (routes/selectors.py), which the planner reads.
    published = route_compose(
        route=_route("testland-route", partner, RouteStatus.PUBLISHED),
        stops=[StopSpec(a2, 30), StopSpec(a4, 30)], modes=["car"])
    route_compose(route=_route("testland-draft", partner, RouteStatus.DRAFT),
                  stops=[StopSpec(a1, 30), StopSpec(corner, 30)], modes=["car"])
    assert published.geom is not None
    return World(partner=partner, places=places, route_km=[(8, 14), (33, 10)], sites_km={
        "A1": (5, 5), "A2": (8, 14), "A3": (24, 4), "A4": (33, 10),
        "T1 start": T1[0], "T1 end": T1[-1], "T2 start": T2[0], "T2 end": T2[-1]})


def _route(slug: str, partner, status: str):
    from routes.models import PilotRoute

    route = PilotRoute.objects.create(slug=slug, status=status, title_en=slug)
    route.partners.add(partner)
    return route


def make_sub_areas(world: World) -> dict[str, Attraction]:
    """The territory cut in two at x = 14 km, as a partner would import its municipalities."""
    layer = make_layer(world.partner, slug="testland-municipalities")
    made = {}
    for name, corners in (("Запад", WEST), ("Изток", EAST)):
        (lon, lat), = lonlat([corners[0]])
        made[name] = make_attraction(layer, lon, lat, name_bg=name, name_en="",
                                     category="attraction",
                                     footprint=GEOSGeometry(polygon_wkt(corners), srid=WGS84))
    AreaLayer.objects.create(layer=layer)
    return made
