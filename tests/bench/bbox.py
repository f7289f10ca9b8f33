"""bbox latency benchmark (issue: API): pages of 1,000 features out of 1,000,000 points.

``wrk -c 16`` against gunicorn for 20 s; reports req/s and latency percentiles
(target: p95 ≤ 50 ms), with the server settings used. Every request asks for
another window (a wrk Lua script picks among 500 windows of ~1,000 points each
over the whole layer), so no cache of a repeated answer can make the number.

Beside it, the floor of any server that builds its pages in PostgreSQL: ``pgbench``
with as many connections, running the issue's in-database baseline
(``json_agg(ST_AsGeoJSON(...))``) for the same windows, with the total a page
carries — no HTTP, no Python.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from tests.bench.api import gunicorn

N = 1_000_000
SLUG = "bench-bbox"
# The points cover 21.8–22.8 °E × 39.3–40.0 °N; a window this size holds ~1,000 of them.
EXTENT = (21.8, 39.3, 22.8, 40.0)
WINDOW = (0.038, 0.026)
WINDOWS = 500
# One worker per core; threads so that one worker's Python overlaps the other's
# PostgreSQL work and every wrk connection is served at once (2 × 8 = 16).
WORKERS = 2
THREADS = 8
CONNECTIONS = 16
# BENCH_DURATION shortens every wrk run (a smoke run of the set-up).
DURATION = os.environ.get("BENCH_DURATION", "20s")

# Every request one of the paths at random (the windows are drawn in Python, so that the
# same 500 go to every server a benchmark compares).
SCRIPT = """
local paths = {%(paths)s}
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %%.1f %%.1f %%.1f %%.1f %%.1f\\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def windows(extent: tuple[float, float, float, float] = EXTENT, n: int = WINDOWS,
            size: tuple[float, float] = WINDOW, seed: int = 42) -> list[str]:
    """``n`` boxes ``size`` (degrees) at random inside ``extent``, as ``bbox=`` values."""
    rng = random.Random(seed)
    x0, y0, x1, y1 = extent
    dx, dy = size
    out = []
    for _ in range(n):
        x = x0 + rng.random() * (x1 - x0 - dx)
        y = y0 + rng.random() * (y1 - y0 - dy)
        out.append(f"{x:.4f},{y:.4f},{x + dx:.4f},{y + dy:.4f}")
    return out


def wrk_script(folder: Path, paths: list[str], name: str = "paths.lua") -> Path:
    """A wrk Lua script asking for one of ``paths`` at random each request."""
    path = folder / name
    path.write_text(SCRIPT % {"seed": 42, "paths": ", ".join(f'"{p}"' for p in paths)})
    return path


def _script(folder: Path) -> Path:
    return wrk_script(folder, [f"/api/attractions/?bbox={b}&limit=1000&lang=el"
                               for b in windows()], "bboxes.lua")


@dataclass
class WrkResult:
    """What one wrk run measured: throughput, latency percentiles (ms), errors."""
    rps: float
    p50: float
    p90: float
    p95: float
    p99: float
    worst: float
    requests: int
    non_2xx: int  # answers other than 2xx/3xx
    socket_errors: int  # connect, read, write errors and timeouts
    output: str
    cpu_ms: float = 0.0  # server CPU a request, where measured

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors

    def line(self) -> str:
        return (f"{self.rps:7.1f} req/s  p50 {self.p50:7.1f}  p95 {self.p95:7.1f}  "
                f"p99 {self.p99:7.1f} ms  errors {self.errors}"
                + (f"  CPU {self.cpu_ms:5.1f} ms a request" if self.cpu_ms else ""))


def wrk_run(base: str, script: Path, connections: int = CONNECTIONS,
            duration: str = DURATION, timeout: str = "10s") -> WrkResult:
    """``wrk -t 2 -c connections`` against ``base`` with ``script``'s paths."""
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", duration,
                          "--timeout", timeout, "--latency", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout
    p50, p90, p95, p99, worst = (float(v) for v in re.search(
        r"PERCENTILES (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                        r"timeout (\d+)", out)
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+(\S+)", out).group(1)), p50=p50, p90=p90,
        p95=p95, p99=p99, worst=worst,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(v) for v in sockets.groups()) if sockets else 0, output=out)


def _cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process still running (Linux /proc)."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


# The same windows as the wrk script draws, in the same SQL as the in-database
# baseline of the GeoJSON benchmark: the page's first 1,000 rows and their total.
PGBENCH = """
\\set x random(0, 1000000)
\\set y random(0, 1000000)
SELECT (SELECT count(*) FROM layers_attraction a
        WHERE a.layer_id = %(layer)d AND a.location && w.env),
       (SELECT json_agg(ST_AsGeoJSON(t.*)::json) FROM (
            SELECT a.id, a.name_el AS name, a.category, a.location FROM layers_attraction a
            WHERE a.layer_id = %(layer)d AND a.location && w.env ORDER BY a.id LIMIT 1000) t)
FROM (SELECT ST_MakeEnvelope(x, y, x + %(dx)f, y + %(dy)f, 4326) AS env
      FROM (SELECT %(x0)f + :x / 1e6 * %(w)f AS x, %(y0)f + :y / 1e6 * %(h)f AS y) c) w;
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _database_floor(folder: Path, layer_id: int) -> str:
    """pgbench at the same concurrency on the page's SQL alone: what PostgreSQL allows."""
    x0, y0, x1, y1 = EXTENT
    dx, dy = WINDOW
    script = folder / "page.sql"
    script.write_text(PGBENCH % {"layer": layer_id, "x0": x0, "y0": y0, "w": x1 - x0 - dx,
                                 "h": y1 - y0 - dy, "dx": dx, "dy": dy})
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    logs = folder / "pgbench-log"
    out = subprocess.run(
        ["pgbench", "-n", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"], "-c", str(CONNECTIONS), "-j", "2", "-T", DURATION.rstrip("s"),
         "-f", str(script), "-l", "--log-prefix", str(logs), db["NAME"]],
        capture_output=True, text=True, env=env, cwd=folder)
    if out.returncode != 0:
        return f"pgbench failed: {out.stderr.strip()[-300:]}"
    # Per-transaction log lines: client, transaction, latency in µs, ...
    latencies = [int(line.split()[2]) / 1000 for log in folder.glob("pgbench-log*")
                 for line in log.read_text().splitlines()]
    tps = re.search(r"tps = (\S+)", out.stdout).group(1)
    return (f"{float(tps):.0f} pages/s; latency p50 {_percentile(latencies, 0.5):.1f} ms, "
            f"p95 {_percentile(latencies, 0.95):.1f} ms, p99 {_percentile(latencies, 0.99):.1f} ms")


def _server_pids(gunicorn_pid: int) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends serving the benchmark database."""
    children = Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children")
    workers = [int(p) for p in children.read_text().split()] if children.exists() else []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()")
        return [gunicorn_pid, *workers, *(r[0] for r in cur.fetchall())]


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
MODES = {"kept text (as deployed)": True, "built (before decision 0023)": False}


def run() -> None:
    if not shutil.which("wrk"):
        print("\nbbox benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    from tests.bench.scale import drop_layers, make_layer  # scale builds on this module

    layer, _seconds, _grown = make_layer(SLUG, N, EXTENT)
    results: dict[str, list[tuple[WrkResult, float, float]]] = {m: [] for m in MODES}
    # Each page read from the text rows keep (decision 0023), and built as before, the same
    # windows on the same data, in turns.
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp, \
            gunicorn(workers=WORKERS, threads=THREADS) as kept, \
            gunicorn(workers=WORKERS, threads=THREADS, stored=False) as built:
        servers = dict(zip(MODES, (kept, built), strict=True))
        script = _script(Path(tmp))
        sample = "/api/attractions/?bbox=22.300,39.600,22.338,39.626&limit=1000&lang=el"
        bodies = {}
        for mode, base in servers.items():
            for _ in range(2 * WORKERS * THREADS):  # every thread's connection opened and warm
                bodies[mode] = urllib.request.urlopen(base + sample).read()
        kept_body, built_body = bodies.values()
        same = json.loads(kept_body)["features"] == json.loads(built_body)["features"]
        load = os.getloadavg()[0]
        for _ in range(ROUNDS):
            for mode, base in servers.items():
                before = _cpu_seconds(_server_pids(base.pid))
                wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                result = wrk_run(base, script)
                wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                after = _cpu_seconds(_server_pids(base.pid))
                # What a request costs in CPU, whoever else shares the machine: on idle
                # cores the throughput cannot pass cores / cost, nor the mean latency at c
                # connections go below c / throughput (Little's law).
                server = (sum(after[p] - before.get(p, 0.0) for p in after)
                          / max(result.requests, 1) * 1000)
                client = (wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime
                          - wrk_before.ru_stime) / max(result.requests, 1) * 1000
                results[mode].append((result, server, client))
    print(f"\nbbox: pages of 1,000 features out of {N:,} points "
          f"({len(kept_body) / 1024:.0f} kB each; "
          f"the two ways give {'the same' if same else 'DIFFERENT'} features), {WINDOWS} "
          f"windows at random; wrk -t 2 -c {CONNECTIONS} -d {DURATION}, {ROUNDS} rounds in "
          f"turns; gunicorn {WORKERS} workers × {THREADS} threads (gthread), one PostgreSQL "
          f"connection per thread kept open; load average {load:.1f} on {os.cpu_count()} "
          "cores before the run")
    cores = os.cpu_count() or 1
    for mode, rounds in results.items():
        for i, (result, server, client) in enumerate(rounds, 1):
            capacity = cores / (server + client) * 1000
            print(f"  {mode:30s} round {i}: {result.rps:.1f} req/s; latency p50 {result.p50} "
                  f"ms, p95 {result.p95} ms (target ≤ 50), p99 {result.p99} ms"
                  + (f"; {result.errors} errors" if result.errors else "")
                  + f"; CPU a request {server:.1f} ms server (gunicorn + PostgreSQL) + "
                  f"{client:.1f} ms wrk: {cores} idle cores would serve at most "
                  f"{capacity:.0f} req/s, a mean latency of at least "
                  f"{CONNECTIONS / capacity * 1000:.0f} ms")
    kept_rounds, built_rounds = results.values()
    print("  kept / built: throughput " + ", ".join(
        f"{a[0].rps / b[0].rps:.2f}×" for a, b in zip(kept_rounds, built_rounds, strict=True))
          + " by round; server CPU a request " + ", ".join(
        f"{b[1] / a[1]:.2f}× less" for a, b in zip(kept_rounds, built_rounds, strict=True)))
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        floor = _database_floor(Path(tmp), layer.pk)
    print(f"  the database alone (pgbench -c {CONNECTIONS} -j 2, the same windows, count and "
          f"json_agg(ST_AsGeoJSON(...)) of the first 1,000 rows, no HTTP): {floor}")
    drop_layers([SLUG])
