"""Networks for routing (issue: Journeys), on a real extract: Geofabrik's Andorra of
2019 (../shared/data/real/osm/pyosmium/example-test.pbf, 1.4 MiB, 4,073 highway ways).

- Import: ``import_osm`` (pyosmium, junctions, clip, COPY) vs ``ogr2ogr`` loading the
  same file's highway lines into PostGIS, and vs ``osm2pgsql`` (its default style, slim
  off) where Debian's osm2pgsql is installed; target ≤ 2× the peer.
- Routing: a car leg of about 30 km across the country (Pas de la Casa to Sant Julià de
  Lòria) and a walking one, with networkx on the graph kept in the process, first (the
  graph built from the table) and then warm; target ≤ 200 ms. The peer is pgRouting's
  ``pgr_dijkstra`` on the same edges, where the extension is installed (Debian's
  ``postgresql-15-pgrouting``): it reads its edges with each query.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection

from layers import services
from routes import roads
from routes.metrics import cumulative_distance
from routes.osm import network_import

PBF = (Path(settings.BASE_DIR).parent / "shared" / "data" / "real" / "osm" / "pyosmium"
       / "example-test.pbf")
ANDORRA = (1.412, 42.428, 1.787, 42.657)  # the extract's header box
FROM, TO = (1.7330, 42.5425), (1.4920, 42.4635)  # Pas de la Casa, Sant Julià de Lòria
REPEAT = 3
WARM = 20


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    return [f"dbname={db['NAME']}", f"host={db['HOST']}", f"port={db['PORT']}",
            f"user={db['USER']}"]


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _ogr2ogr() -> None:
    subprocess.run(["ogr2ogr", "-f", "PostgreSQL", "PG:" + " ".join(_pg_args()), str(PBF),
                    "lines", "-where", "highway IS NOT NULL", "-nln", "bench_ogr_lines",
                    "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-gt", "65536",
                    "--config", "PG_USE_COPY", "YES"], check=True, capture_output=True)


def _osm2pgsql() -> None:
    db = settings.DATABASES["default"]
    subprocess.run(["osm2pgsql", "--create", "--output=pgsql", "--latlong", "--prefix",
                    "bench_o2p", "-d", db["NAME"], "-H", db["HOST"], "-P", str(db["PORT"]),
                    "-U", db["USER"], "--cache", "200", "--number-processes", "1", str(PBF)],
                   check=True, capture_output=True)


def _pgrouting() -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'")
        if cur.fetchone() is None:
            return False
        cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'pgrouting'")
        if cur.fetchone() is None:
            from geo import pgcluster

            pgcluster.superuser_sql("CREATE EXTENSION IF NOT EXISTS pgrouting",
                                    db=settings.DATABASES["default"]["NAME"])
    return True


def _pgr_leg(network_id: int, a: tuple[float, float], b: tuple[float, float]) -> float:
    """pgRouting's length of the car leg between the junctions nearest ``a`` and ``b``
    (one query, as a router in the database would run it)."""
    edges = (f"SELECT id, source, target, CASE WHEN oneway >= 0 THEN length_m ELSE -1 END "
             f"AS cost, CASE WHEN oneway <= 0 THEN length_m ELSE -1 END AS reverse_cost "
             f"FROM routes_roadedge WHERE network_id = {network_id} AND car")
    with connection.cursor() as cur:
        cur.execute("""
            WITH ends AS (SELECT (SELECT source FROM routes_roadedge WHERE network_id = %s
                                  AND car ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)
                                  LIMIT 1) AS a,
                                 (SELECT source FROM routes_roadedge WHERE network_id = %s
                                  AND car ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)
                                  LIMIT 1) AS b)
            SELECT sum(d.cost) FROM ends, pgr_dijkstra(%s, ends.a, ends.b, true) d""",
                    [network_id, *a, network_id, *b, edges])
        return float(cur.fetchone()[0] or 0)


def run() -> None:
    if not PBF.is_file():
        print(f"\nNetworks for routing: skipped, {PBF} not found")
        return
    partner = services.partner_upsert(slug="andorra-bench", defaults={
        "name_en": "Andorra (bench)", "country": "AD", "languages": ["en"],
        "boundary": MultiPolygon(Polygon.from_bbox(ANDORRA), srid=4326)})
    size = PBF.stat().st_size
    print(f"\nNetworks for routing: {PBF.name} ({size / 2**20:.1f} MiB, Andorra 2019)")
    result = None
    peers = {"ogr2ogr (highway lines)": _ogr2ogr}
    if shutil.which("osm2pgsql"):
        peers["osm2pgsql (default style)"] = _osm2pgsql
    ours_times: list[float] = []
    peer_times: dict[str, list[float]] = {name: [] for name in peers}
    for _ in range(REPEAT):  # in turns, so that both get the same share of other work
        t0 = time.perf_counter()
        result = network_import(partner=partner, path=PBF)
        ours_times.append(time.perf_counter() - t0)
        for name, fn in peers.items():
            peer_times[name].append(_time(fn))
    assert result is not None
    ours_med = statistics.median(ours_times)
    c = result.counts
    print(f"  import_osm: {ours_med:.2f} s (median of {REPEAT}): {c['ways']:,} ways in "
          f"{c['edges']:,} pieces (walk {c['walk']:,}, bike {c['bike']:,}, car {c['car']:,})")
    for name, times in peer_times.items():
        ratio = statistics.median(a / b for a, b in zip(ours_times, times, strict=True))
        print(f"  {name}: {statistics.median(times):.2f} s → ratio {ratio:.2f}× (median of "
              f"the {REPEAT} pairs' ratios; target ≤ 2×: {'met' if ratio <= 2 else 'NOT met'})")
    if not shutil.which("osm2pgsql"):
        print("  osm2pgsql: not installed (Debian's osm2pgsql; scripts/system-deps.sh)")

    pids = [partner.pk]
    network_id = result.network.pk
    import networkx  # noqa: F401  (loaded once per process, not per graph: not timed)

    for mode in ("car", "walk"):
        roads._cache.clear()
        cold = time.perf_counter()
        path = roads.shortest_road_path(partner_ids=pids, mode=mode, start=FROM, end=TO)
        cold = time.perf_counter() - cold
        if isinstance(path, str):
            print(f"  {mode} leg: no path ({path})")
            continue
        length = float(cumulative_distance(path.coords)[-1])
        warm = []
        for _ in range(WARM):
            t0 = time.perf_counter()
            roads.shortest_road_path(partner_ids=pids, mode=mode, start=FROM, end=TO)
            warm.append(time.perf_counter() - t0)
        w = statistics.median(warm) * 1000
        print(f"  {mode} leg of {length / 1000:.1f} km (networkx): first {cold * 1000:.0f} ms "
              f"(graph built), then {w:.0f} ms (median of {WARM}); target ≤ 200 ms: "
              f"{'met' if w <= 200 else 'NOT met'} warm, {'met' if cold <= 0.2 else 'NOT met'} "
              f"first")
        if mode == "car" and _pgrouting():
            times = []
            pgr_len = 0.0
            for _ in range(WARM):
                t0 = time.perf_counter()
                pgr_len = _pgr_leg(network_id, FROM, TO)
                times.append(time.perf_counter() - t0)
            p = statistics.median(times) * 1000
            print(f"  car leg by pgRouting pgr_dijkstra: {p:.0f} ms (median of {WARM}), "
                  f"{pgr_len / 1000:.1f} km between the nearest junctions; networkx warm / "
                  f"pgRouting = {w / p:.2f}×")
        elif mode == "car":
            print("  pgRouting: not installed (postgresql-15-pgrouting); no peer timed")
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_ogr_lines")
        for t in ("point", "line", "polygon", "roads", "nodes", "ways", "rels"):
            cur.execute(f"DROP TABLE IF EXISTS bench_o2p_{t}")
    partner.delete()
