"""Peers benchmark (issue 20, item 7): ours side by side with tipg and pygeoapi.

On the same 1,000,000 points and the same 500 random windows, in turns (a round is every
server once), each under ``wrk -t 2 -c 16`` for 20 s on the same cores:

- ours: ``/api/attractions/?bbox=…&limit=1000`` and ``/ogc/collections/{slug}/items?bbox=…
  &limit=1000`` (gunicorn, 2 workers × 8 threads, as the ``bbox`` benchmark);
- tipg (developmentseed; uvicorn, 2 workers) and pygeoapi 0.21 (the last release for
  Python 3.11; its PostgreSQL provider; gunicorn 2 workers × 8 threads): each installed at
  a pinned version into a venv of its own under ``var/bench-peers/``, serving a real table
  of the same points (id, name, category, geometry; a primary key and a GiST index).

Then one 50,000-feature GeoJSON document (ours: the layer's export; tipg and pygeoapi: their
items with ``limit=50000``; psql running ``json_agg(ST_AsGeoJSON(...))`` over the same
rows), in turns, medians of ``ROUNDS`` + 1; and vector tiles at zoom 14 over the million
points (about 500 points a tile; 500 tiles at random), ours against tipg under wrk.

Printed: req/s, p50/p95/p99 and errors (answers not 2xx/3xx, socket errors and wrk's
timeouts at 10 s) for each, and our ratios to each peer. Targets (issue 20): bbox pages
≥ 5× both peers' throughput and p95 ≤ 50 ms; the document ≥ 1.0× psql; tiles ≥ 1.0× tipg.
``BENCH_ROUNDS`` (2) sets the rounds; ``BENCH_PEERS_N`` the number of points (a smoke run);
``BENCH_PEERS`` the parts ("pages tiles document": bbox pages, tiles, the document).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from layers.exports import geojson_sql
from layers.models import Layer
from layers.params import FeatureFilters
from tests.bench.api import Server, _free_port, gunicorn
from tests.bench.bbox import (
    CONNECTIONS,
    DURATION,
    EXTENT,
    THREADS,
    WORKERS,
    WrkResult,
    _cpu_seconds,
    _server_pids,
    windows,
    wrk_run,
    wrk_script,
)
from tests.bench.scale import bump_version, drop_layers, make_layer, vacuum

N = int(os.environ.get("BENCH_PEERS_N", "1000000"))
N_DOCUMENT = min(N, 50_000)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
# A git ref (e.g. main) whose code is served beside ours, in turns: what a change gained,
# measured in the same run on the same data.
BASELINE = os.environ.get("BENCH_BASELINE", "")
SLUG = "bench-peers"
SLUG_DOCUMENT = "bench-peers-doc"
TABLE = "bench_peer_points"
TABLE_DOCUMENT = "bench_peer_document"
TILE_ZOOM = 14
PEERS_DIR = Path(settings.BASE_DIR) / "var" / "bench-peers"
# Each peer's release and what it runs with, pinned: a run next year measures the same code.
TIPG = ["tipg==1.6.1", "uvicorn==0.55.0"]
PYGEOAPI = ["pygeoapi==0.21.0", "gunicorn==27.0.1", "psycopg2-binary==2.9.13",
            "SQLAlchemy==2.1.9", "GeoAlchemy2==0.20.0"]


def peer_venv(name: str, pins: list[str]) -> Path:
    """A venv under var/bench-peers/ with ``pins`` installed (kept while the pins hold)."""
    folder = PEERS_DIR / name
    stamp = folder / "bench-pins.txt"
    if stamp.exists() and stamp.read_text() == "\n".join(pins):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    subprocess.run([str(folder / "bin" / "pip"), "install", "--quiet", *pins], check=True)
    stamp.write_text("\n".join(pins))
    return folder


def baseline_source(ref: str) -> Path:
    """The code of git ref ``ref``, unpacked in the system's temporary folder (kept per
    commit; outside the checkout, where the linters would read it as ours)."""
    commit = subprocess.run(["git", "rev-parse", ref], cwd=settings.BASE_DIR, check=True,
                            capture_output=True, text=True).stdout.strip()
    folder = Path(tempfile.gettempdir()) / "atlas-bench-baseline" / commit[:12]
    if not (folder / "manage.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=settings.BASE_DIR,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


@contextmanager
def _baseline_server() -> Iterator[Server | None]:
    if not BASELINE:
        yield None
        return
    with gunicorn(workers=WORKERS, threads=THREADS, source=baseline_source(BASELINE)) as base:
        yield base


def peer_table(layer_id: int, table: str) -> None:
    """The layer's points as a table of their own, as a peer would be given them: a
    primary key and a GiST index, the name in Greek (what our pages ask with lang=el)."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"""CREATE TABLE {table} AS
            SELECT id, name_el AS name, category, location AS geom FROM layers_attraction
            WHERE layer_id = %s ORDER BY id""", [layer_id])
        cur.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (id)")
        cur.execute(f"CREATE INDEX {table}_geom ON {table} USING gist (geom)")
    vacuum(table)


def drop_tables(*tables: str) -> None:
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")


def _db() -> dict:
    db = settings.DATABASES["default"]
    return {"host": db["HOST"] or "127.0.0.1", "port": int(db["PORT"] or 5432),
            "name": db["NAME"], "user": db["USER"], "password": db.get("PASSWORD") or ""}


def _wait(url: str, process: subprocess.Popen, log: Path, tries: int = 600) -> None:
    for _ in range(tries):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=10).read()
            return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"{url}: no answer after {tries * 0.2:.0f} s")


@contextmanager
def _serve(cmd: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[Server]:
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen([part.format(port=port) for part in cmd],
                                   env={**os.environ, **env}, cwd=log.parent,
                                   stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + probe, process, log)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        process.wait()


@contextmanager
def tipg(tables: list[str], folder: Path) -> Iterator[Server]:
    """tipg serving ``tables`` (uvicorn, one worker a core)."""
    venv = peer_venv("tipg", TIPG)
    db = _db()
    env = {"DATABASE_URL": (f"postgresql://{db['user']}:{db['password']}@{db['host']}:"
                            f"{db['port']}/{db['name']}"),
           "TIPG_DB_SCHEMAS": '["public"]',
           "TIPG_DB_TABLES": json.dumps([f"public.{t}" for t in tables]),
           "TIPG_DB_FUNCTIONS": "[]",
           "TIPG_MAX_FEATURES_PER_QUERY": str(max(N_DOCUMENT, 10_000)),
           # Its pool as large as the connections wrk keeps open, per worker.
           "DB_MIN_CONN_SIZE": "1", "DB_MAX_CONN_SIZE": str(CONNECTIONS)}
    cmd = [str(venv / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port",
           "{port}", "--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"]
    with _serve(cmd, env, "/collections", folder / "tipg.log") as base:
        yield base


def _pygeoapi_config(tables: dict[str, str], port: int, max_items: int) -> str:
    db = _db()
    resources = {
        name: {"type": "collection", "title": name, "description": name,
               "keywords": ["bench"],
               "extents": {"spatial": {"bbox": [-180, -90, 180, 90],
                                       "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
               "providers": [{"type": "feature", "name": "PostgreSQL",
                              "data": {"host": db["host"], "port": db["port"],
                                       "dbname": db["name"], "user": db["user"],
                                       "password": db["password"],
                                       "search_path": ["public"]},
                              "id_field": "id", "table": table, "geom_field": "geom"}]}
        for name, table in tables.items()}
    config = {
        "server": {"bind": {"host": "127.0.0.1", "port": port},
                   "url": f"http://127.0.0.1:{port}", "mimetype": "application/json; "
                   "charset=UTF-8", "encoding": "utf-8", "languages": ["en-US"],
                   "limits": {"default_items": 10, "max_items": max_items},
                   "pretty_print": False,
                   "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                           "attribution": "OpenStreetMap"}},
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"],
                               "keywords_type": "theme", "terms_of_service": "none",
                               "url": "http://127.0.0.1"},
            "license": {"name": "CC-BY 4.0",
                        "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {"name": "bench", "position": "bench", "address": "-", "city": "-",
                        "stateorprovince": "-", "postalcode": "-", "country": "-",
                        "phone": "-", "fax": "-", "email": "bench@example.org",
                        "url": "http://127.0.0.1", "hours": "-", "instructions": "-",
                        "role": "pointOfContact"}},
        "resources": resources}
    return json.dumps(config)  # YAML is a superset of JSON


@contextmanager
def pygeoapi(tables: dict[str, str], folder: Path) -> Iterator[Server]:
    """pygeoapi serving ``tables`` ({collection: table}) through its PostgreSQL provider,
    under gunicorn as ours (2 workers × 8 threads)."""
    venv = peer_venv("pygeoapi", PYGEOAPI)
    port = _free_port()
    config = folder / "pygeoapi-config.yml"
    config.write_text(_pygeoapi_config(tables, port, max(N_DOCUMENT, 10_000)))
    openapi = folder / "pygeoapi-openapi.yml"
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    with openapi.open("w") as out:
        subprocess.run([str(venv / "bin" / "pygeoapi"), "openapi", "generate", str(config)],
                       env={**os.environ, **env}, stdout=out, check=True)
    cmd = [str(venv / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "--bind",
           f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", str(THREADS),
           "--timeout", "300"]
    log = folder / "pygeoapi.log"
    with log.open("w") as out:
        process = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=folder, stdout=out,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/collections?f=json", process, log)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        process.wait()


def _tiles(n: int = 500, seed: int = 42) -> list[tuple[int, int]]:
    """``n`` zoom-14 tiles (x, y) at random among those inside the points' extent."""
    import random

    def tile(lon: float, lat: float) -> tuple[int, int]:
        k = 2**TILE_ZOOM
        return (int((lon + 180) / 360 * k),
                int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * k))

    x0, y1 = tile(EXTENT[0], EXTENT[1])
    x1, y0 = tile(EXTENT[2], EXTENT[3])
    rng = random.Random(seed)
    return [(rng.randint(x0 + 1, x1 - 1), rng.randint(y0 + 1, y1 - 1)) for _ in range(n)]


def _warm(base: str, paths: list[str], times: int = 2 * CONNECTIONS) -> int:
    """Every worker's connections opened; the size of the last answer."""
    size = 0
    for i in range(times):
        with urllib.request.urlopen(base + paths[i % len(paths)], timeout=120) as answer:
            size = len(answer.read())
    return size


def _in_turns(runs: dict[str, tuple[Server, Path]]) -> dict[str, list[WrkResult]]:
    """Each run once a round, the rounds one after the other; with each run's CPU time
    per request (the server's processes and every backend of the database: the other
    servers' are idle meanwhile), which the machine's other work moves far less."""
    results: dict[str, list[WrkResult]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, (base, script) in runs.items():
            before = _cpu_seconds(_server_pids(base.pid))
            result = wrk_run(base, script)
            after = _cpu_seconds(_server_pids(base.pid))
            result.cpu_ms = (sum(after[p] - before.get(p, 0.0) for p in after)
                             / max(result.requests, 1) * 1000)
            results[name].append(result)
    return results


def _report(results: dict[str, list[WrkResult]], ours: list[str], peers: list[str],
            target: str) -> None:
    for name, rounds in results.items():
        for i, r in enumerate(rounds, 1):
            print(f"  {name:34s} round {i}: {r.line()}")
    best = {name: statistics.median(r.rps for r in rounds) for name, rounds in results.items()}
    cpu = {name: statistics.median(r.cpu_ms for r in rounds) for name, rounds in results.items()}
    for mine in ours:
        for peer in peers:
            pairs = [a.rps / b.rps for a, b in zip(results[mine], results[peer], strict=True)
                     if b.rps]
            ratio = ", ".join(f"{p:.1f}×" for p in pairs) or "—"
            print(f"  {mine} / {peer}: throughput {ratio} by round "
                  f"(medians {best[mine]:.1f} / {best[peer]:.1f} req/s; target {target}); "
                  f"CPU a request {cpu[mine]:.1f} / {cpu[peer]:.1f} ms"
                  + (f" = {cpu[peer] / cpu[mine]:.1f}× less" if cpu[mine] else ""))


UNCOUNTED = "ours, the same, rate limits off"
BUILT_API = "ours, /api/attractions/, built"
BUILT_OGC = "ours, /ogc/…/items, built"
UNCOUNTED_TILES = "ours, /tiles/, rate limits off"


def _bbox_pages(folder: Path) -> None:
    boxes = windows()
    collection = "points"
    paths = {
        "ours, /api/attractions/": [f"/api/attractions/?bbox={b}&limit=1000&lang=el"
                                    for b in boxes],
        "ours, /ogc/…/items": [f"/ogc/collections/{SLUG}/items?bbox={b}&limit=1000&lang=el"
                               for b in boxes],
        "tipg, …/items": [f"/collections/public.{TABLE}/items?bbox={b}&limit=1000"
                          for b in boxes],
        "pygeoapi 0.21, …/items": [f"/collections/{collection}/items?bbox={b}&limit=1000&f=json"
                                   for b in boxes],
    }
    # What counting each request against the rate limits costs (one write a request):
    # the same, served without it (not as deployed).
    paths[UNCOUNTED] = paths["ours, /api/attractions/"]
    # The pages built, as before the kept text (decision 0023): the baseline in this run.
    paths[BUILT_API] = paths["ours, /api/attractions/"]
    paths[BUILT_OGC] = paths["ours, /ogc/…/items"]
    if BASELINE:
        paths[f"ours at {BASELINE}, /api/attractions/"] = paths["ours, /api/attractions/"]
        paths[f"ours at {BASELINE}, /ogc/…/items"] = paths["ours, /ogc/…/items"]
    with gunicorn(workers=WORKERS, threads=THREADS) as ours, tipg([TABLE], folder) as tp, \
            pygeoapi({collection: TABLE}, folder) as pg, \
            gunicorn(workers=WORKERS, threads=THREADS, counted=False) as uncounted, \
            gunicorn(workers=WORKERS, threads=THREADS, stored=False) as built, \
            _baseline_server() as baseline:
        bases = {"ours, /api/attractions/": ours, "ours, /ogc/…/items": ours,
                 BUILT_API: built, BUILT_OGC: built,
                 "tipg, …/items": tp, "pygeoapi 0.21, …/items": pg, UNCOUNTED: uncounted,
                 f"ours at {BASELINE}, /api/attractions/": baseline,
                 f"ours at {BASELINE}, /ogc/…/items": baseline}
        sizes = {}
        for name, plist in paths.items():
            sizes[name] = _warm(bases[name], plist)
        # The same answer from each: the features a window holds.
        sample = boxes[0]
        counts = {
            "ours": len(json.loads(urllib.request.urlopen(
                f"{ours}{paths['ours, /api/attractions/'][0]}").read())["features"]),
            "tipg": len(json.loads(urllib.request.urlopen(
                f"{tp}{paths['tipg, …/items'][0]}").read())["features"]),
            "pygeoapi": len(json.loads(urllib.request.urlopen(
                f"{pg}{paths['pygeoapi 0.21, …/items'][0]}").read())["features"]),
        }
        load = os.getloadavg()
        print(f"\nPeers: pages of up to 1,000 features out of {N:,} points, {len(boxes)} "
              f"windows at random, the same for every server; wrk -t 2 -c {CONNECTIONS} "
              f"-d {DURATION} --timeout 10s, {ROUNDS} rounds in turns; ours gunicorn {WORKERS}×"
              f"{THREADS}, tipg uvicorn {WORKERS} workers, pygeoapi gunicorn {WORKERS}×"
              f"{THREADS}; load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} "
              f"cores before")
        print(f"  features in the first window ({sample}): " +
              ", ".join(f"{k} {v}" for k, v in counts.items()) + "; answer sizes: " +
              ", ".join(f"{k} {v / 1024:.0f} kB" for k, v in sizes.items() if k in paths))
        scripts = {name: (bases[name], wrk_script(folder, plist, f"peer{i}.lua"))
                   for i, (name, plist) in enumerate(paths.items())}
        results = _in_turns(scripts)
        _report(results, ["ours, /api/attractions/", "ours, /ogc/…/items", UNCOUNTED,
                          BUILT_API, BUILT_OGC],
                ["tipg, …/items", "pygeoapi 0.21, …/items"], "≥ 5×; our p95 ≤ 50 ms")
        _against_baseline(results, ["ours, /api/attractions/", "ours, /ogc/…/items"])
        for kept, built_name in (("ours, /api/attractions/", BUILT_API),
                                 ("ours, /ogc/…/items", BUILT_OGC)):
            pairs = zip(results[kept], results[built_name], strict=True)
            print(f"  {kept} / {built_name}: " + ", ".join(
                f"throughput {a.rps / b.rps:.2f}×, p95 {a.p95:.0f} / {b.p95:.0f} ms, CPU "
                f"{a.cpu_ms:.1f} / {b.cpu_ms:.1f} ms" for a, b in pairs) + " by round")


def _tiles_vs_tipg(folder: Path) -> None:
    """Our tiles against tipg's, the same tiles of the same points, in turns."""
    tiles = _tiles()
    tile_paths = {
        "ours, /tiles/": [f"/tiles/{SLUG}/{TILE_ZOOM}/{x}/{y}.mvt" for x, y in tiles],
        UNCOUNTED_TILES: [f"/tiles/{SLUG}/{TILE_ZOOM}/{x}/{y}.mvt" for x, y in tiles],
        "tipg, …/tiles/WebMercatorQuad": [
            f"/collections/public.{TABLE}/tiles/WebMercatorQuad/{TILE_ZOOM}/{x}/{y}"
            for x, y in tiles],
    }
    if BASELINE:
        tile_paths[f"ours at {BASELINE}, /tiles/"] = tile_paths["ours, /tiles/"]
    with gunicorn(workers=WORKERS, threads=THREADS) as ours, tipg([TABLE], folder) as tp, \
            gunicorn(workers=WORKERS, threads=THREADS, counted=False) as uncounted, \
            _baseline_server() as baseline:
        bases = {"ours, /tiles/": ours, UNCOUNTED_TILES: uncounted,
                 "tipg, …/tiles/WebMercatorQuad": tp, f"ours at {BASELINE}, /tiles/": baseline}
        sizes = {name: _warm(bases[name], plist) for name, plist in tile_paths.items()}
        load = os.getloadavg()
        print(f"\nPeers: vector tiles, zoom {TILE_ZOOM}, {len(tiles)} tiles at random over "
              f"the {N:,} points (about {N / 1e6 * 530:.0f} points a tile); load average "
              f"{load[0]:.1f} / {load[1]:.1f} before; sizes of a tile: " +
              ", ".join(f"{k} {v / 1024:.0f} kB" for k, v in sizes.items()
                        if k in tile_paths))
        scripts = {name: (bases[name], wrk_script(folder, plist, f"tiles{i}.lua"))
                   for i, (name, plist) in enumerate(tile_paths.items())}
        results = _in_turns(scripts)
        _report(results, ["ours, /tiles/", UNCOUNTED_TILES]
                + ([f"ours at {BASELINE}, /tiles/"] if BASELINE else []),
                ["tipg, …/tiles/WebMercatorQuad"], "≥ 1.0×")
        _against_baseline(results, ["ours, /tiles/"])


def _against_baseline(results: dict[str, list[WrkResult]], mine: list[str]) -> None:
    """Ours over the baseline's code (BENCH_BASELINE), round by round."""
    if not BASELINE:
        return
    for name in mine:
        base = name.replace("ours, ", f"ours at {BASELINE}, ", 1)
        pairs = zip(results[name], results[base], strict=True)
        print(f"  {name} / at {BASELINE}: " + ", ".join(
            f"throughput {a.rps / b.rps:.2f}×, p95 {a.p95:.0f} / {b.p95:.0f} ms, CPU "
            f"{a.cpu_ms:.1f} / {b.cpu_ms:.1f} ms" for a, b in pairs) + " by round")


def _timed_get(url: str) -> tuple[float, int, bytes]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=600) as answer:
            body, status = answer.read(), answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return time.perf_counter() - t0, status, body


MADE = "ours, the layer's export, made"


def _document(folder: Path, layer: Layer) -> None:
    rows_sql, params, _names = geojson_sql(kinds=["attraction"],
                                           filters=FeatureFilters(layer=[SLUG_DOCUMENT]),
                                           with_partner=False)
    with connection.cursor() as cur:
        rows_sql = cur.mogrify(rows_sql, params)
    sql = ("SELECT json_build_object('type', 'FeatureCollection', 'features', "
           f"json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json)) FROM ({rows_sql}) t")
    db = _db()
    psql = ["psql", "-X", "-q", "-At", "-h", db["host"], "-p", str(db["port"]), "-U",
            db["user"], "-d", db["name"], "-c", sql]
    collection = "document"
    with gunicorn(workers=WORKERS, threads=THREADS) as ours, \
            tipg([TABLE_DOCUMENT], folder) as tp, \
            pygeoapi({collection: TABLE_DOCUMENT}, folder) as pg:
        export = f"{ours}/api/layers/{SLUG_DOCUMENT}/export/?format=geojson"
        urls = {
            # Exports are made once per version of the data and kept (layers/exports/
            # stored.py): "made" follows a write (the version bumped as any write does),
            # "kept" is the same request again, its file sent.
            MADE: export,
            "ours, the same, kept": export,
            f"tipg, …/items?limit={N_DOCUMENT}": f"{tp}/collections/public.{TABLE_DOCUMENT}/items"
                                         f"?limit={N_DOCUMENT}",
            f"pygeoapi 0.21, …/items?limit={N_DOCUMENT}": f"{pg}/collections/{collection}/items"
                                                  f"?limit={N_DOCUMENT}&f=json",
        }
        times: dict[str, list[float]] = {name: [] for name in [*urls, "psql json_agg"]}
        errors = dict.fromkeys(times, 0)
        sizes = {}
        for name, url in urls.items():  # warm, and each answer checked once
            _elapsed, status, body = _timed_get(url)
            features = len(json.loads(body).get("features", [])) if status == 200 else 0
            sizes[name] = (len(body), features)
            if features != N_DOCUMENT:
                errors[name] += 1
        for _ in range(ROUNDS + 1):
            for name, url in urls.items():
                if name == MADE:
                    bump_version()
                elapsed, status, _body = _timed_get(url)
                times[name].append(elapsed)
                errors[name] += status != 200
            t0 = time.perf_counter()
            done = subprocess.run(psql, stdout=subprocess.DEVNULL, env={
                **os.environ, "PGPASSWORD": db["password"]})
            times["psql json_agg"].append(time.perf_counter() - t0)
            errors["psql json_agg"] += done.returncode != 0
    print(f"\nPeers: one GeoJSON document of {N_DOCUMENT:,} features, {ROUNDS + 1} rounds "
          f"in turns, one request at a time; load average {os.getloadavg()[0]:.1f}")
    for name, values in times.items():
        median = statistics.median(values)
        size = (f"{sizes[name][0] / 2**20:5.1f} MiB, {sizes[name][1]:,} features"
                if name in sizes else "")
        print(f"  {name:38s} median {median:6.2f} s ({', '.join(f'{v:.2f}' for v in values)})"
              f"  {N_DOCUMENT / median:8,.0f} features/s  errors {errors[name]}  {size}")
    for mine in (MADE, "ours, the same, kept"):
        ours_median = statistics.median(times[mine])
        for name in [*list(urls)[2:], "psql json_agg"]:
            ratio = statistics.median(times[name]) / ours_median
            target = " (target ≥ 1.0)" if name == "psql json_agg" else ""
            print(f"  {mine} / {name}: throughput {ratio:.2f}×{target}")


def run() -> None:
    if not shutil.which("wrk"):
        print("\npeers benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    parts = os.environ.get("BENCH_PEERS", "pages tiles document").split()
    if "pages" in parts or "tiles" in parts:
        t0 = time.perf_counter()
        layer, _seconds, _grown = make_layer(SLUG, N, EXTENT)
        peer_table(layer.pk, TABLE)
        print(f"\nPeers: {N:,} points made (our layer and the peers' table) in "
              f"{time.perf_counter() - t0:.0f} s")
        try:
            with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
                if "pages" in parts:
                    _bbox_pages(Path(tmp))
                if "tiles" in parts:
                    _tiles_vs_tipg(Path(tmp))
        finally:
            drop_layers([SLUG])
            drop_tables(TABLE)
    if "document" not in parts:
        return
    document, _seconds, _grown = make_layer(SLUG_DOCUMENT, N_DOCUMENT, EXTENT)
    peer_table(document.pk, TABLE_DOCUMENT)
    try:
        with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
            _document(Path(tmp), document)
    finally:
        drop_layers([SLUG_DOCUMENT])
        drop_tables(TABLE_DOCUMENT)
