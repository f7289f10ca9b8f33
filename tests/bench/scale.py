"""Scale benchmark (issue 20, item 8): bbox pages as the layer grows, and the import's
peak memory as the file grows.

- The ``bbox`` benchmark's pages (``/api/attractions/?bbox=…&limit=1000``, ``wrk -t 2 -c 16``
  for 20 s, 500 windows at random) on layers of 100,000, 1,000,000 and 10,000,000 points,
  at the same density (the extent grows with the layer, so a window holds about 1,000
  points at every size): the index, not the table, should set the cost, so p95 should stay
  flat. Each layer is made by one ``INSERT … SELECT … generate_series`` (its time and what
  it adds to the table and its indexes are printed), the layers one after the other in the
  same table, measured as each is made.
- The peak memory (RSS) of ``manage.py import_layer`` on generated shapefiles of
  100,000, 1,000,000 and 5,000,000 points (EPSG:2100, cp1253), against the 100,000-point
  import's (target ≤ 2×). Files of more features than ``ATLAS_IMPORT_BATCH_ROWS`` are read
  and staged a batch at a time (decision 0019).

- The same for generated GeoJSON of 100,000 and 1,000,000 points (RFC 7946, the same
  attributes), read in batches (decision 0027) and, as before it, whole (the import with
  ``ATLAS_IMPORT_BATCH_ROWS`` above the file's features).

``BENCH_SCALE_SIZES``, ``BENCH_SCALE_IMPORTS`` and ``BENCH_SCALE_GEOJSON`` (comma-separated)
change the sizes; ``BENCH_SCALE_FILES`` keeps the generated files in a folder for the next
run.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from layers import services
from layers.models import Layer
from tests.bench.api import gunicorn
from tests.bench.bbox import (
    CONNECTIONS,
    DURATION,
    EXTENT,
    THREADS,
    WORKERS,
    windows,
    wrk_run,
    wrk_script,
)
from tests.bench.imports import _larissa, make_points_shapefile


def _sizes(name: str, default: str) -> list[int]:
    return [int(s) for s in os.environ.get(name, default).split(",") if s.strip()]


SIZES = _sizes("BENCH_SCALE_SIZES", "100000,1000000,10000000")
IMPORT_SIZES = _sizes("BENCH_SCALE_IMPORTS", "100000,1000000,5000000")
GEOJSON_SIZES = _sizes("BENCH_SCALE_GEOJSON", "100000,1000000")
BASE_N = 1_000_000  # EXTENT holds this many at the bbox benchmark's density
# The points are written in the order of their location, as the importers write rows
# since session 13; BENCH_SPATIAL_ORDER=0 writes them at random, to see what the rows'
# order costs a page (decision 0023).
SPATIAL_ORDER = (" ORDER BY ST_GeoHash(loc, 10)"
                 if os.environ.get("BENCH_SPATIAL_ORDER", "1") != "0" else "")


def extent_for(n: int) -> tuple[float, float, float, float]:
    """The bbox benchmark's extent grown (or shrunk) to hold ``n`` points at its density."""
    x0, y0, x1, y1 = EXTENT
    k = math.sqrt(n / BASE_N)
    return (x0, y0, x0 + (x1 - x0) * k, y0 + (y1 - y0) * k)


def vacuum(table: str, *, full: bool = False) -> None:
    """VACUUM (FULL) ANALYZE ``table``; only ANALYZE inside a transaction, where VACUUM
    cannot run (the smoke test's)."""
    with connection.cursor() as cur:
        if connection.in_atomic_block:
            cur.execute(f"ANALYZE {table}")
        else:
            cur.execute(f"VACUUM {'FULL ' if full else ''}ANALYZE {table}")


def bump_version() -> None:
    """What any write to the attractions does to the data's version (migration 0006)."""
    with connection.cursor() as cur:
        cur.execute("UPDATE atlas_data_version SET version = version + 1 "
                    "WHERE name = 'layers_attraction'")


STEPS: dict[str, float] = {}
"""The last ``make_layer``'s steps: seconds of the INSERT, of its deferred foreign-key
checks and of the VACUUM ANALYZE, and the load average before and after."""


def make_layer(slug: str, n: int, extent: tuple[float, float, float, float] | None = None
               ) -> tuple[Layer, float, int]:
    """A public layer of ``n`` points spread over ``extent`` (``extent_for(n)``), in one
    statement.

    The table's own triggers are off for the statement (they would fold each name into
    ``search`` — given here — copy every row into the audit's events, bump the data
    version and keep the layer's count and extent, made after from the rows): what is
    measured is serving a big layer, not writing it. In a transaction, so
    an interrupted run leaves them on. Returns the layer, the seconds and the bytes the
    table and its indexes grew by."""
    Layer.objects.filter(slug=slug).delete()
    layer = services.layer_upsert(slug=slug, partner=_larissa(),
                                  defaults={"kind": "attractions", "visibility": "public"})
    x0, y0, x1, y1 = extent or extent_for(n)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_total_relation_size('layers_attraction')")
        before = cur.fetchone()[0]
        STEPS.clear()
        STEPS["load_before"] = os.getloadavg()[0]
        t0 = time.perf_counter()
        with transaction.atomic():
            cur.execute("ALTER TABLE layers_attraction DISABLE TRIGGER USER")
            # But each row's GeoJSON text, which the pages read (decision 0023).
            cur.execute("ALTER TABLE layers_attraction ENABLE TRIGGER page_json")
            cur.execute("""
                INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_el, name_en,
                    description, category, location, address, website, phone, opening_hours,
                    wheelchair, properties, search, created_at, updated_at)
                SELECT gen_random_uuid(), %s, g::text, 'Θέση ' || g, 'Θέση ' || g, 'Site ' || g,
                       '', (ARRAY['museum','church','ruins','spring'])[1 + g %% 4], loc,
                       '', '', '', '', '', jsonb_build_object('VISITORS', g %% 5000),
                       'thesi ' || g || ' site ' || g, now(), now()
                FROM (SELECT g, ST_SetSRID(ST_MakePoint(%s + random() * %s,
                                                        %s + random() * %s), 4326) AS loc
                      FROM generate_series(1, %s) g) s""" + SPATIAL_ORDER,
                        [layer.pk, x0, x1 - x0, y0, y1 - y0, n])
            STEPS["insert"] = time.perf_counter() - t0
            # The deferred foreign-key checks now: a table with pending ones can't be altered.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            STEPS["checks"] = time.perf_counter() - t0 - STEPS["insert"]
            cur.execute("ALTER TABLE layers_attraction ENABLE TRIGGER USER")
            # What the statement triggers would have kept: the layer's count and extent.
            cur.execute("SELECT atlas_layer_statistics_refresh('attraction', %s)",
                        [[layer.pk]])
        bump_version()  # as the trigger would have: no kept export or tile ETag outlives it
        t1 = time.perf_counter()
        vacuum("layers_attraction")
        STEPS["vacuum"] = time.perf_counter() - t1
        STEPS["load_after"] = os.getloadavg()[0]
        elapsed = time.perf_counter() - t0
        cur.execute("SELECT pg_total_relation_size('layers_attraction')")
        grown = cur.fetchone()[0] - before
    return layer, elapsed, grown


def drop_layers(slugs: list[str]) -> None:
    """The layers and their rows, fast: the rows deleted in SQL with the triggers off (the
    audit would copy each into its events; the ORM would collect them first), or the
    table truncated when they are all it holds and nothing refers to it (a DELETE checks
    the six tables that may refer to each row: minutes for a million)."""
    ids = list(Layer.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    with connection.cursor() as cur:
        # The tables that refer to it, and those that refer to them, and so on.
        cur.execute("""
            WITH RECURSIVE referring(t) AS (
                SELECT conrelid FROM pg_constraint
                WHERE confrelid = 'layers_attraction'::regclass AND contype = 'f'
              UNION
                SELECT c.conrelid FROM pg_constraint c JOIN referring r ON c.confrelid = r.t
                WHERE c.contype = 'f' AND c.conrelid <> 'layers_attraction'::regclass)
            SELECT DISTINCT t::regclass::text FROM referring""")
        referring = [row[0] for row in cur.fetchall()]
        cur.execute("SELECT EXISTS (SELECT 1 FROM layers_attraction "
                    "WHERE layer_id <> ALL(%s))", [ids])
        others = cur.fetchone()[0]
        for table in referring:
            cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            others = others or cur.fetchone()[0]
        truncated = False
        if not others:
            try:
                # Without CASCADE: should another table refer to these, it fails.
                with transaction.atomic():
                    cur.execute(f"TRUNCATE layers_attraction, {', '.join(referring)}")
                truncated = True
            except DatabaseError:
                truncated = False
        if not truncated:
            with transaction.atomic():
                cur.execute("ALTER TABLE layers_attraction DISABLE TRIGGER USER")
                cur.execute("DELETE FROM layers_attraction WHERE layer_id = ANY(%s)", [ids])
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("ALTER TABLE layers_attraction ENABLE TRIGGER USER")
    bump_version()
    Layer.objects.filter(pk__in=ids).delete()
    vacuum("layers_attraction", full=True)


def _bbox(sizes: list[int]) -> None:
    slugs = [f"bench-scale-{n}" for n in sizes]
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
            folder = Path(tmp)
            for n, slug in zip(sizes, slugs, strict=True):
                _layer, built, grown = make_layer(slug, n)
                with connection.cursor() as cur:
                    cur.execute("SELECT count(*) FROM layers_attraction")
                    in_table = cur.fetchone()[0]
                boxes = windows(extent_for(n))
                script = wrk_script(folder, [
                    f"/api/attractions/?bbox={b}&limit=1000&lang=el" for b in boxes],
                    f"scale-{n}.lua")
                with gunicorn(workers=WORKERS, threads=THREADS) as base:
                    sample = f"{base}/api/attractions/?bbox={boxes[0]}&limit=1000&lang=el"
                    for _ in range(2 * WORKERS * THREADS):
                        urllib.request.urlopen(sample, timeout=120).read()
                    load = os.getloadavg()[0]
                    result = wrk_run(base, script)
                rows.append((n, built, grown, in_table, load, result))
                print(f"  {n:>10,} points: made in {built:6.1f} s (INSERT {STEPS['insert']:.1f} s, "
                      f"its deferred foreign-key checks {STEPS['checks']:.1f} s, VACUUM "
                      f"ANALYZE {STEPS['vacuum']:.1f} s; load {STEPS['load_before']:.1f} "
                      f"before, {STEPS['load_after']:.1f} after)", flush=True)
                print(f"  {n:>10,} points: made in {built:6.1f} s (+{grown / 2**20:,.0f} MiB "
                      f"table and indexes; {in_table:,} rows in the table); "
                      f"load {load:.1f}; {result.line()}", flush=True)
    finally:
        drop_layers(slugs)
    if rows:
        first = rows[0][5]
        print("  p95 against the smallest layer's: " + ", ".join(
            f"{n:,}: {r.p95 / first.p95:.2f}×" for n, _b, _g, _t, _l, r in rows)
            + " (target: flat)")


def _peak_rss(path: Path, batch_rows: int | None = None) -> float:
    """Peak resident memory (MiB) of a separate ``manage.py import_layer`` process
    (``batch_rows``: its ``ATLAS_IMPORT_BATCH_ROWS``)."""
    db = settings.DATABASES["default"]
    batch = {"ATLAS_IMPORT_BATCH_ROWS": str(batch_rows)} if batch_rows else {}
    env = {**os.environ, **batch,
           "DATABASE_URL": f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           # The operator's limits on an upload, not the importer's: raised for the files
           # the benchmark makes.
           "ATLAS_IMPORT_MAX_FILE_BYTES": str(8 * 2**30),
           "ATLAS_IMPORT_MAX_UNPACKED_BYTES": str(16 * 2**30)}
    code = ("import resource, subprocess, sys; "
            "p = subprocess.run(sys.argv[1:]); "
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "manage.py", "import_layer", str(path),
         "--partner", "larissa", "--layer", "bench-scale-import", "--kind", "attractions",
         "--verbosity", "0"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, env=env, check=True)
    status, rss = out.stdout.split()[-2:]
    if status != "0":
        raise RuntimeError(f"import_layer failed ({status}): {out.stderr[-2000:]}")
    return int(rss) / 1024


def _imports(sizes: list[int]) -> None:
    _larissa()
    peaks = []
    # BENCH_SCALE_FILES: a folder to keep the generated files in (made once, then reused).
    kept = os.environ.get("BENCH_SCALE_FILES")
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        folder = Path(kept or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            shp = folder / f"larissa_points_{n}.shp"
            if not (kept and shp.exists()):
                shp = make_points_shapefile(folder, n=n)
            mib = sum(p.stat().st_size for p in folder.glob(f"{shp.stem}.*")) / 2**20
            t0 = time.perf_counter()
            try:
                peak = _peak_rss(shp)
            finally:
                drop_layers(["bench-scale-import"])
            elapsed = time.perf_counter() - t0
            peaks.append(peak)
            print(f"  {n:>10,} points ({mib:,.0f} MiB of .shp/.dbf/.shx/.prj): peak "
                  f"{peak:,.0f} MiB, {peak / peaks[0]:.2f}× the first's (target ≤ 2×), "
                  f"{elapsed:.0f} s with the clearing; load {os.getloadavg()[0]:.1f}")


def make_points_geojson(folder: Path, n: int) -> Path:
    """``n`` points in Larissa as one FeatureCollection (RFC 7946: longitude/latitude), the
    shapefile's attributes; written a feature at a time."""
    import json

    import numpy as np

    from tests.bench.imports import CATEGORIES, GREEK_WORDS

    rng = np.random.default_rng(7)
    lon = rng.uniform(21.8, 22.9, n).round(6).tolist()
    lat = rng.uniform(39.3, 40.0, n).round(6).tolist()
    words = rng.choice(GREEK_WORDS, (n, 3)).tolist()
    kinds = rng.choice(CATEGORIES, n).tolist()
    visitors = rng.integers(0, 5000, n).tolist()
    path = folder / f"larissa_points_{n}.geojson"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for i in range(n):
            fh.write(("," if i else "") + json.dumps({
                "type": "Feature", "geometry": {"type": "Point", "coordinates": [lon[i], lat[i]]},
                "properties": {"ID": i, "ONOMA": f"{' '.join(words[i])} {i}", "TYPE": kinds[i],
                               "VISITORS": visitors[i]}}, ensure_ascii=False) + "\n")
        fh.write("]}\n")
    return path


def _geojson_imports(sizes: list[int]) -> None:
    _larissa()
    first: dict[str, float] = {}
    kept = os.environ.get("BENCH_SCALE_FILES")
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        folder = Path(kept or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            path = folder / f"larissa_points_{n}.geojson"
            if not (kept and path.exists()):
                path = make_points_geojson(folder, n)
            mib = path.stat().st_size / 2**20
            said = []
            # Read whole, as before decision 0027: a batch larger than the file.
            for how, rows in (("in batches", None), ("read whole (before)", 10 * n)):
                t0 = time.perf_counter()
                try:
                    peak = _peak_rss(path, rows)
                finally:
                    drop_layers(["bench-scale-import"])
                first.setdefault(how, peak)
                said.append(f"{how} {peak:,.0f} MiB ({peak / first[how]:.2f}× its first), "
                            f"{time.perf_counter() - t0:.0f} s")
            print(f"  {n:>10,} points ({mib:,.0f} MiB of GeoJSON): " + "; ".join(said)
                  + f"; load {os.getloadavg()[0]:.1f}")


def run() -> None:
    if shutil.which("wrk") and SIZES:
        print(f"\nScale: bbox pages of up to 1,000 features (~1,000 points a window at every "
              f"size), 500 windows at random; wrk -t 2 -c {CONNECTIONS} -d {DURATION}; "
              f"gunicorn {WORKERS}×{THREADS}")
        _bbox(SIZES)
    if IMPORT_SIZES:
        print("\nScale: peak memory of `manage.py import_layer` on generated shapefiles "
              f"(EPSG:2100, cp1253; read in batches of {settings.ATLAS_IMPORT_BATCH_ROWS:,} "
              "features, decision 0019)")
        _imports(IMPORT_SIZES)
    if GEOJSON_SIZES:
        print("\nScale: peak memory of `manage.py import_layer` on generated GeoJSON (RFC 7946), "
              f"in batches of {settings.ATLAS_IMPORT_BATCH_ROWS:,} features (decision 0027) and "
              "read whole as before (target ≤ 2× the 100,000's)")
        _geojson_imports(GEOJSON_SIZES)
