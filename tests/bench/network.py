"""Networks for routing (issue: Journeys), on a real extract: Geofabrik's Andorra of
2019 (../shared/data/real/osm/pyosmium/example-test.pbf, 1.4 MiB, 4,073 highway ways).

- Import: ``import_osm`` (pyosmium, junctions, clip, COPY) vs ``ogr2ogr`` loading the
  same file's highway lines into PostGIS, and vs ``osm2pgsql`` (its default style, slim
  off) where Debian's osm2pgsql is installed, in turns, five pairs; target ≤ 2× the
  peer (the median of the pairs' ratios; each pair's is printed, with the CPU of our
  process and of the peer's). ``BENCH_NETWORK=import`` runs this part alone.
- Routing: a car leg of about 30 km across the country (Pas de la Casa to Sant Julià de
  Lòria) and a walking one, with rustworkx on the graph kept in the process (decision
  0026), timed three ways; target ≤ 200 ms for each:
  - cold: the first leg in a fresh Python process (Django set up and connected, nothing
    else loaded: the rustworkx import, the graph read from the table and built, the
    search), against pgRouting's first query in a fresh ``psql`` session (its
    ``\timing``: the library loaded into a new backend, the edges read, the search);
  - first after the import, in the process that imported (the graph built);
  - warm (median of 20), against the same pgRouting query on a kept connection.
  The peer is ``pgr_dijkstra`` on the same edges, where the extension is installed
  (Debian's ``postgresql-15-pgrouting``): it reads its edges with each query, over the
  whole network as a router that keeps nothing would. Ratios are ours / pgRouting's,
  cold ones the median of pairs run in turns.
"""

from __future__ import annotations

import gc
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
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
REPEAT = 5
WARM = 20
COLD = 3


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    return [f"dbname={db['NAME']}", f"host={db['HOST']}", f"port={db['PORT']}",
            f"user={db['USER']}"]


def _timed_process(fn) -> tuple[float, float]:
    """The wall time of ``fn``, which runs a command, and the command's CPU (user and
    system, its own and its children's: the database's work is in neither figure)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _list(values: list[float], digits: int = 2) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


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


def _pgr_sql(network_id: int, mode: str, a: tuple[float, float],
             b: tuple[float, float]) -> str:
    """pgRouting's length of the leg between the junctions nearest ``a`` and ``b`` on the
    ways ``mode`` may use (one query, as a router in the database would run it)."""
    if mode == "car":
        costs = ("CASE WHEN oneway >= 0 THEN length_m ELSE -1 END AS cost, "
                 "CASE WHEN oneway <= 0 THEN length_m ELSE -1 END AS reverse_cost")
    else:
        costs = "length_m AS cost, length_m AS reverse_cost"
    edges = (f"SELECT id, source, target, {costs} FROM routes_roadedge "
             f"WHERE network_id = {network_id} AND {mode}")
    near = ("(SELECT source FROM routes_roadedge WHERE network_id = {n} AND {m} "
            "ORDER BY geom <-> ST_SetSRID(ST_MakePoint({x}, {y}), 4326) LIMIT 1)")
    return (f"WITH ends AS (SELECT {near.format(n=network_id, m=mode, x=a[0], y=a[1])} AS a, "
            f"{near.format(n=network_id, m=mode, x=b[0], y=b[1])} AS b) "
            f"SELECT sum(d.cost) FROM ends, pgr_dijkstra($${edges}$$, ends.a, ends.b, true) d")


def _pgr_leg(sql: str) -> float:
    with connection.cursor() as cur:
        cur.execute(sql)
        return float(cur.fetchone()[0] or 0)


def _pgr_cold(sql: str) -> float:
    """The query's time in a fresh psql session (its ``\\timing``), in seconds."""
    db = settings.DATABASES["default"]
    out = subprocess.run(["psql", "-X", "-q", "-At", "-h", db["HOST"], "-p", str(db["PORT"]),
                          "-U", db["USER"], "-d", db["NAME"], "-c", "\\timing on", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return float(re.findall(r"Time: ([\d.]+) ms", out)[-1]) / 1000


COLD_LEG = """
import json, os, sys, time
import django
django.setup()
from django.db import connection
connection.ensure_connection()  # as psql's \\timing: the connection is not timed
t0 = time.perf_counter()
from routes import roads
found = roads.shortest_road_path(partner_ids=[int(sys.argv[1])], mode=sys.argv[2],
                                 start=(float(sys.argv[3]), float(sys.argv[4])),
                                 end=(float(sys.argv[5]), float(sys.argv[6])))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "points": len(getattr(found, "coords", [])),
                  "loaded": sorted(m for m in ("networkx", "rustworkx") if m in sys.modules)}))
"""


def _ours_cold(partner_id: int, mode: str) -> dict:
    """The first leg in a fresh Python process: everything a worker that has routed
    nothing yet pays (the engine's import, the graph read and built, the search)."""
    out = subprocess.run([sys.executable, "-c", COLD_LEG, str(partner_id), mode,
                          *map(str, (*FROM, *TO))], check=True, capture_output=True,
                         text=True, cwd=settings.BASE_DIR, env=os.environ.copy()).stdout
    return json.loads(out.strip().splitlines()[-1])


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "—"


def run() -> None:
    if not PBF.is_file():
        print(f"\nNetworks for routing: skipped, {PBF} not found")
        return
    partner = services.partner_upsert(slug="andorra-bench", defaults={
        "name_en": "Andorra (bench)", "country": "AD", "languages": ["en"],
        "boundary": MultiPolygon(Polygon.from_bbox(ANDORRA), srid=4326)})
    size = PBF.stat().st_size
    print(f"\nNetworks for routing: {PBF.name} ({size / 2**20:.1f} MiB, Andorra 2019)")
    result = network_import(partner=partner, path=PBF)  # osmium's first import, untimed
    peers = {"ogr2ogr (highway lines)": _ogr2ogr}
    if shutil.which("osm2pgsql"):
        peers["osm2pgsql (default style)"] = _osm2pgsql
    ours_times: list[float] = []
    ours_cpu: list[float] = []
    peer_times: dict[str, list[float]] = {name: [] for name in peers}
    peer_cpu: dict[str, list[float]] = {name: [] for name in peers}
    for _ in range(REPEAT):  # in turns, so that both get the same share of other work
        c0, t0 = time.process_time(), time.perf_counter()
        result = network_import(partner=partner, path=PBF)
        ours_times.append(time.perf_counter() - t0)
        ours_cpu.append(time.process_time() - c0)
        for name, fn in peers.items():
            seconds, cpu = _timed_process(fn)
            peer_times[name].append(seconds)
            peer_cpu[name].append(cpu)
    ours_med = statistics.median(ours_times)
    c = result.counts
    print(f"  import_osm: {ours_med:.2f} s (median of {REPEAT}; "
          f"{_list(ours_times)} s), its process's CPU {_list(ours_cpu, 3)} s: {c['ways']:,} "
          f"ways in {c['edges']:,} pieces (walk {c['walk']:,}, bike {c['bike']:,}, "
          f"car {c['car']:,})")
    for name, times in peer_times.items():
        ratios = [a / b for a, b in zip(ours_times, times, strict=True)]
        ratio = statistics.median(ratios)
        print(f"  {name}: {statistics.median(times):.2f} s ({_list(times)} s; its CPU "
              f"{_list(peer_cpu[name], 3)} s) → ratio {ratio:.2f}× (median of the {REPEAT} "
              f"pairs' ratios: {_list(ratios)}; within 2× in {sum(r <= 2 for r in ratios)} of "
              f"{REPEAT}; target ≤ 2×: {'met' if ratio <= 2 else 'NOT met'})")
    if not shutil.which("osm2pgsql"):
        print("  osm2pgsql: not installed (Debian's osm2pgsql; scripts/system-deps.sh)")
    if os.environ.get("BENCH_NETWORK") == "import":
        _drop_peers_tables()
        partner.delete()
        return

    pids = [partner.pk]
    network_id = result.network.pk
    pgr = _pgrouting()
    if not pgr:
        print("  pgRouting: not installed (postgresql-15-pgrouting); no peer timed")
    for mode in ("car", "walk"):
        # First after the import, in this process: the graph read and built. The imports'
        # garbage is collected first: else the leg pays for its full passes (0.3–0.6 s),
        # which an import run by the command or the queue leaves in its own process.
        roads._cache.clear()
        gc.collect()
        first = time.perf_counter()
        path = roads.shortest_road_path(partner_ids=pids, mode=mode, start=FROM, end=TO)
        first = time.perf_counter() - first
        if isinstance(path, str):
            print(f"  {mode} leg: no path ({path})")
            continue
        length = float(cumulative_distance(path.coords)[-1])
        warm = []
        for _ in range(WARM):
            t0 = time.perf_counter()
            roads.shortest_road_path(partner_ids=pids, mode=mode, start=FROM, end=TO)
            warm.append(time.perf_counter() - t0)
        w = statistics.median(warm)
        sql = _pgr_sql(network_id, mode, FROM, TO)
        cold: list[float] = []
        pgr_cold: list[float] = []
        loaded: list[str] = []
        for _ in range(COLD):  # in turns: a fresh process of ours, a fresh psql session
            ours = _ours_cold(partner.pk, mode)
            cold.append(ours["seconds"])
            loaded = ours["loaded"]
            if pgr:
                pgr_cold.append(_pgr_cold(sql))
        cold_med = statistics.median(cold)
        print(f"  {mode} leg of {length / 1000:.1f} km (rustworkx; target ≤ 200 ms each):")
        print(f"    cold, a fresh process: {cold_med * 1000:.0f} ms (median of {COLD}; "
              f"{', '.join(f'{x * 1000:.0f}' for x in cold)}; loaded: "
              f"{', '.join(loaded) or 'neither networkx nor rustworkx'}): "
              f"{'met' if cold_med <= 0.2 else 'NOT met'}")
        print(f"    first after the import (graph built): {first * 1000:.0f} ms: "
              f"{'met' if first <= 0.2 else 'NOT met'}")
        print(f"    warm: {w * 1000:.1f} ms (median of {WARM}): "
              f"{'met' if w <= 0.2 else 'NOT met'}")
        if not pgr:
            continue
        pgr_warm = []
        pgr_len = 0.0
        for _ in range(WARM):
            t0 = time.perf_counter()
            pgr_len = _pgr_leg(sql)
            pgr_warm.append(time.perf_counter() - t0)
        p = statistics.median(pgr_warm)
        cold_ratio = statistics.median(a / b for a, b in zip(cold, pgr_cold, strict=True))
        print(f"    pgRouting pgr_dijkstra, {pgr_len / 1000:.1f} km between the nearest "
              f"junctions: cold (fresh psql) {statistics.median(pgr_cold) * 1000:.0f} ms, "
              f"warm {p * 1000:.1f} ms")
        print(f"    ours / pgRouting: cold {cold_ratio:.2f}× (median of the {COLD} pairs), "
              f"warm {_ratio(w, p)}")
    _drop_peers_tables()
    partner.delete()


def _drop_peers_tables() -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_ogr_lines")
        for t in ("point", "line", "polygon", "roads", "nodes", "ways", "rels"):
            cur.execute(f"DROP TABLE IF EXISTS bench_o2p_{t}")
