"""Coverage benchmark (issue: Coverage): the full analysis of the four partners.

Data: the demo partners' territories, their demo data and routes, sub-areas (a grid of
20 km squares over each territory), and 10,000 attractions and 500 trails made here, in
two shapes: *towns* (30 towns a partner, 0.3 to 2 km
across, 1 % of the attractions alone in between; trails leave the towns), where a
planner looks for gaps; and *spread* (every attraction alone, anywhere), where nearly
everything is within reach. Ours: ``coverage.selectors.analyse`` (statistics, gaps,
comparison), and its gaps step alone. Baseline, on the same sites: the naive
``ST_Union`` of every buffer, then ``ST_Difference`` with each territory, in one
process, and as PostgreSQL runs it by default (its ``ST_Union`` may use parallel
workers). Targets: the full analysis ≤ 2 s; our gaps ≥ 5× faster than the baseline.

Ours keeps the Voronoi diagram of the sites between analyses (``planner.services``): it is
drawn again by the first analysis after a write. Both are measured: the gaps with the
diagram as kept, and the gaps with the diagram drawn first; so is the query a category
filter makes, which draws a diagram of its own sites in the query.

Ours and the baseline run in turns, so that both meet the same load; besides the wall
time, the CPU time of this process and of its database backend is shown when the
backend's ``/proc`` entry can be read (a local cluster): on a machine others are using,
it moves far less than the wall time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection

from fixtures.demo_layers import DEMO_DIR, load_demo
from fixtures.demo_routes import load_demo_routes
from geo.crs import LAEA_EUROPE, WGS84
from layers import services
from layers.models import Layer, Partner
from layers.vocabulary import LayerKind, Visibility
from planner.models import AreaLayer
from planner.params import CoverageQuery
from planner.selectors import analyse, coverage_gaps
from planner.services import site_diagram_update

N_ATTRACTIONS = 10_000
N_TRAILS = 500
TOWNS_PER_PARTNER = 30
SUB_AREA_KM = 20  # the side of the squares standing for municipalities
SHAPES = {"towns": 0.01, "spread": 1.0}
"""Share of the attractions alone, outside towns (peaks, springs, monasteries …)."""
REPEAT = 5
PREFIX = "bench-coverage-"
CATEGORIES = ["museum", "church", "monastery", "ruins", "spring", "viewpoint", "bridge",
              "peak", "castle", "winery", "waterfall", "monument"]


def _make_data(isolated_share: float) -> None:
    # The demo routes are recomputed as their trails load: without ours around.
    Layer.objects.filter(slug__startswith=PREFIX).delete()
    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    for partner in Partner.objects.all():
        for kind in (LayerKind.ATTRACTIONS, LayerKind.TRAILS):
            services.layer_upsert(slug=f"{PREFIX}{partner.slug}-{kind}", partner=partner,
                                  defaults={"kind": kind, "visibility": Visibility.PUBLIC})
        areas = services.layer_upsert(
            slug=f"{PREFIX}{partner.slug}-areas", partner=partner,
            defaults={"kind": LayerKind.ATTRACTIONS, "visibility": Visibility.PARTNERS})
        AreaLayer.objects.create(layer=areas)
    per_partner = N_ATTRACTIONS // 4
    in_towns = int(per_partner * (1 - isolated_share))
    with connection.cursor() as cur:
        # The same data every run: random() is drawn in one fixed order (partners by id,
        # rows by number, no parallel workers), before any join can reorder the rows.
        # (Joined first, the same seed once gave 60, 68 or 71 gaps.)
        cur.execute("SET max_parallel_workers_per_gather = 0")
        cur.execute("SELECT setseed(0.2026)")
        # Towns: centres inside each territory, each with its own spread (0.3 to 2 km).
        cur.execute(f"""
            CREATE TEMP TABLE bench_town AS
            SELECT partner_id, n, centre, 300 + 1700 * random() ^ 2 AS spread
            FROM (SELECT p.id AS partner_id, d.path[1] AS n, d.geom AS centre
                  FROM layers_partner p, ST_Dump(ST_GeneratePoints(
                      ST_Transform(p.boundary, {LAEA_EUROPE}), %s, 7)) d
                  ORDER BY p.id, d.path[1] OFFSET 0) t""", [TOWNS_PER_PARTNER])
        cur.execute("""
            CREATE TEMP TABLE bench_draw AS
            SELECT g, sqrt(-2 * ln(1 - random())) AS r1, 2 * pi() * random() AS a1
            FROM generate_series(1, %s) g ORDER BY g""", [in_towns])
        cur.execute(f"""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_en, description,
                category, location, address, website, phone, opening_hours, wheelchair,
                properties, created_at, updated_at)
            SELECT gen_random_uuid(), l.id, 't' || b.g, 'Site ' || b.g, 'Site ' || b.g, '',
                   (%s::text[])[1 + b.g %% %s],
                   ST_Transform(ST_Translate(t.centre, t.spread * b.r1 * cos(b.a1),
                                             t.spread * b.r1 * sin(b.a1)), {WGS84}),
                   '', '', '', '', '', '{{}}', now(), now()
            FROM bench_draw b
            JOIN bench_town t ON t.n = 1 + b.g %% %s
            JOIN layers_layer l ON l.partner_id = t.partner_id AND l.kind = 'attractions'
                 AND l.slug LIKE %s""",
                    [CATEGORIES, len(CATEGORIES), TOWNS_PER_PARTNER, PREFIX + "%-attractions"])
        cur.execute("""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_en, description,
                category, location, address, website, phone, opening_hours, wheelchair,
                properties, created_at, updated_at)
            SELECT gen_random_uuid(), l.id, 'i' || d.path[1], 'Site', 'Site', '',
                   (%s::text[])[1 + d.path[1] %% %s], d.geom,
                   '', '', '', '', '', '{}', now(), now()
            FROM layers_partner p
            JOIN layers_layer l ON l.partner_id = p.id AND l.kind = 'attractions'
                 AND l.slug LIKE %s
            CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(p.boundary, %s, 11)) d""",
                    [CATEGORIES, len(CATEGORIES), PREFIX + "%-attractions",
                     per_partner - in_towns])
        # Trails: walks of 12 to 30 steps of 500 m leaving a town, turning gently.
        cur.execute("""
            CREATE TEMP TABLE bench_head AS
            SELECT g, 2 * pi() * random() AS heading, 12 + (random() * 18)::int AS steps
            FROM generate_series(1, %s) g""", [N_TRAILS])
        cur.execute("""
            CREATE TEMP TABLE bench_walk AS
            SELECT h.g, t.partner_id, t.centre, h.heading, h.steps
            FROM bench_head h
            JOIN bench_town t ON t.n = 1 + (h.g * 7) %% %s
               AND t.partner_id = (SELECT id FROM layers_partner
                                   ORDER BY id OFFSET h.g %% 4 LIMIT 1)
            ORDER BY h.g""", [TOWNS_PER_PARTNER])
        cur.execute(f"""
            INSERT INTO layers_trail (uid, layer_id, source_id, name, name_en, description,
                activity, difficulty, geom, properties, created_at, updated_at)
            SELECT gen_random_uuid(), l.id, 'w' || w.g, 'Trail', 'Trail', '', 'hiking', '',
                   ST_Multi(ST_Transform(w.line, {WGS84})), '{{}}', now(), now()
            FROM (
                SELECT w.g, w.partner_id, (
                    SELECT ST_MakeLine(ST_Translate(w.centre, x, y) ORDER BY i) FROM (
                        SELECT i, sum(500 * cos(a)) OVER (ORDER BY i) AS x,
                                  sum(500 * sin(a)) OVER (ORDER BY i) AS y
                        FROM (SELECT i, w.heading + sum(0.6 * (random() - 0.5))
                                         OVER (ORDER BY i) AS a
                              FROM generate_series(1, w.steps) i) turns) walk) AS line
                FROM bench_walk w OFFSET 0) w
            JOIN layers_layer l ON l.partner_id = w.partner_id AND l.kind = 'trails'
                 AND l.slug LIKE %s""", [PREFIX + "%-trails"])
        cur.execute("DROP TABLE bench_head, bench_walk, bench_draw")
        cur.execute("DROP TABLE bench_town")
        # Sub-areas: each territory cut by a grid of SUB_AREA_KM squares, as municipalities.
        cur.execute(f"""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_en, description,
                category, location, footprint, address, website, phone, opening_hours,
                wheelchair, properties, created_at, updated_at)
            SELECT gen_random_uuid(), l.id, c.i || ',' || c.j, 'Area', 'Area ' || c.i || ','
                   || c.j, '', 'attraction', ST_PointOnSurface(f.g), f.g,
                   '', '', '', '', '', '{{}}', now(), now()
            FROM layers_partner p
            JOIN layers_layer l ON l.partner_id = p.id AND l.slug = %s || p.slug || '-areas'
            CROSS JOIN LATERAL ST_SquareGrid(%s, ST_Transform(p.boundary, {LAEA_EUROPE})) c
            CROSS JOIN LATERAL (SELECT ST_Multi(ST_CollectionExtract(ST_Transform(
                ST_Intersection(c.geom, ST_Transform(p.boundary, {LAEA_EUROPE})), {WGS84}), 3))
                AS g) f
            WHERE ST_Intersects(c.geom, ST_Transform(p.boundary, {LAEA_EUROPE}))
              AND NOT ST_IsEmpty(f.g)""", [PREFIX, SUB_AREA_KM * 1000])
        cur.execute("RESET max_parallel_workers_per_gather")
        cur.execute("ANALYZE layers_attraction; ANALYZE layers_trail")


NAIVE = f"""
    WITH territory AS (
        SELECT p.id, p.slug, ST_Transform(p.boundary, {LAEA_EUROPE}) AS g FROM layers_partner p
    ),
    reach AS (
        SELECT ST_Buffer(ST_Transform(x.location, {LAEA_EUROPE}), %(r)s) AS g
        FROM layers_attraction x JOIN layers_layer l ON l.id = x.layer_id
        WHERE l.visibility = 'public' AND x.retired_at IS NULL
        UNION ALL
        SELECT ST_Buffer(ST_Transform(ST_Force2D(e.p), {LAEA_EUROPE}), %(r)s)
        FROM layers_trail tr JOIN layers_layer l ON l.id = tr.layer_id
        CROSS JOIN LATERAL (VALUES (ST_StartPoint(ST_GeometryN(tr.geom, 1))),
            (ST_EndPoint(ST_GeometryN(tr.geom, ST_NumGeometries(tr.geom))))) e(p)
        WHERE l.visibility = 'public' AND tr.retired_at IS NULL
        UNION ALL
        SELECT ST_Buffer(ST_Transform(ST_Force2D(r.geom), {LAEA_EUROPE}), %(r)s)
        FROM routes_pilotroute r WHERE r.status = 'published' AND r.geom IS NOT NULL
    ),
    covered AS (SELECT ST_Union(g) AS g FROM reach)
    SELECT t.slug, d.path[1], ST_Area(d.geom) / 1e6
    FROM territory t, covered c, ST_Dump(ST_Difference(t.g, c.g)) d
    ORDER BY t.slug, 3 DESC
"""


def _naive(radius_m: float, *, workers: bool = True) -> list[tuple]:
    with connection.cursor() as cur:
        if not workers:
            cur.execute("SET max_parallel_workers_per_gather = 0")
        try:
            cur.execute(NAIVE, {"r": radius_m})
            return cur.fetchall()
        finally:
            cur.execute("RESET max_parallel_workers_per_gather")


class Clock:
    """Wall time, and the CPU time of this process and its database backend."""

    def __init__(self) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
        self.stat = f"/proc/{pid}/schedstat"
        # The pid is the server's: it names a process here only for a local server.
        host = connection.settings_dict.get("HOST") or ""
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                self.has_cpu = (host in ("", "localhost", "127.0.0.1", "::1")
                                or host.startswith("/")) and b"postgres" in f.read()
        except OSError:
            self.has_cpu = False

    def _backend_s(self) -> float | None:
        try:
            with open(self.stat) as f:
                return int(f.read().split()[0]) / 1e9  # time on a CPU, ns
        except OSError:
            return None

    def cpu_s(self) -> float:
        return (self._backend_s() or 0.0) + time.process_time()


class Runs:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.result: object = None

    @property
    def wall_s(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_s(self) -> float:
        return statistics.median(self.cpu)


def _in_turns(clock: Clock, **fns: Callable[[], object]) -> dict[str, Runs]:
    """Medians of REPEAT runs of each function, the functions taking turns."""
    runs = {name: Runs() for name in fns}
    for _ in range(REPEAT):
        for name, fn in fns.items():
            t0, c0 = time.perf_counter(), clock.cpu_s()
            runs[name].result = fn()
            runs[name].cpu.append(clock.cpu_s() - c0)
            runs[name].wall.append(time.perf_counter() - t0)
    return runs


def _counts() -> tuple[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM layers_attraction), "
                    "(SELECT count(*) FROM layers_trail)")
        return cur.fetchone()


def run() -> None:
    query = CoverageQuery()
    clock = Clock()
    print(f"\nCoverage: the 4 partners, R = {query.radius_km:g} km, medians of {REPEAT}"
          + (" (wall time; cpu: this process and its database backend)"
             if clock.has_cpu else ""))

    def times(wall: float, cpu: float) -> str:
        return f"{wall:6.3f} s" + (f"  cpu {cpu:6.3f} s" if clock.has_cpu else "")

    for shape, isolated_share in SHAPES.items():
        _make_data(isolated_share)
        n_attractions, n_trails = _counts()
        analyse(query, "en")  # warm up: PROJ and the plan caches of this connection
        full = _in_turns(clock, full=lambda: analyse(query, "en"))["full"]
        def drawn_first():
            site_diagram_update(force=True)
            return coverage_gaps(query, "en")

        runs = _in_turns(clock, ours=lambda: coverage_gaps(query, "en"),
                         serial=lambda: _naive(query.radius_m, workers=False),
                         first=drawn_first, draw=lambda: site_diagram_update(force=True),
                         filtered=lambda: coverage_gaps(query, "en", kept=False))
        ours, serial = runs["ours"], runs["serial"]
        parallel = _in_turns(clock, parallel=lambda: _naive(query.radius_m))["parallel"]
        result, found, naive_gaps = full.result, ours.result, serial.result
        ours_km2 = sum(g.area_km2 for g in found.gaps)
        naive_km2 = sum(area for _slug, _n, area in naive_gaps)
        within = ", ".join(f"{a.key} {a.covered_share:.1%}" for a in result.partners)

        def ratio(baseline: Runs, mine: Runs) -> str:
            text = f"ratio {baseline.wall_s / mine.wall_s:4.1f}×"
            if clock.has_cpu:
                text += f", cpu {baseline.cpu_s / mine.cpu_s:4.1f}×"
            return text

        print(f"  {shape}: {n_attractions - len(result.sub_areas):,} attractions, {n_trails:,} "
              f"trails, {len(result.sub_areas)} sub-areas (as attractions with a footprint); "
              f"within reach: {within}")
        print(f"    full analysis (statistics, gaps, comparison)  "
              f"{times(full.wall_s, full.cpu_s)}   (target ≤ 2 s)")
        print(f"    gaps: ours, the sites' diagram as kept          "
              f"{times(ours.wall_s, ours.cpu_s)}   {len(found.gaps)} gaps, {ours_km2:,.1f} km²")
        print(f"    gaps: naive union of buffers, one process      "
              f"{times(serial.wall_s, serial.cpu_s)}   {len(naive_gaps)} gaps, "
              f"{naive_km2:,.1f} km²   {ratio(serial, ours)} (target ≥ 5×)")
        print(f"    gaps: naive, parallel workers allowed          {parallel.wall_s:6.3f} s"
              f"   ratio {parallel.wall_s / ours.wall_s:4.1f}×")
        print(f"    the sites' diagram drawn ({runs['draw'].result.sites:,} sites)     "
              f"{times(runs['draw'].wall_s, runs['draw'].cpu_s)}")
        print(f"    gaps: ours, the diagram drawn first (after a write) "
              f"{times(runs['first'].wall_s, runs['first'].cpu_s)}   "
              f"{ratio(serial, runs['first'])}")
        print(f"    gaps: ours, a diagram drawn in the query (as for a category filter) "
              f"{times(runs['filtered'].wall_s, runs['filtered'].cpu_s)}   "
              f"{ratio(serial, runs['filtered'])}")
    Layer.objects.filter(slug__startswith=PREFIX).delete()
