"""bbox latency benchmark (issue: API): pages of 1,000 features out of 1,000,000 points.

``wrk -c 16`` against gunicorn for 20 s; reports req/s and latency percentiles
(target: p95 ≤ 50 ms), with the server settings used. Every request asks for
another window (a wrk Lua script picks among 500 windows of ~1,000 points each
over the whole layer), so no cache of a repeated answer can make the number.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from django.db import connection

from layers.models import Layer
from tests.bench.api import _make_layer, gunicorn

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
DURATION = "20s"

SCRIPT = """
local windows = {}
math.randomseed(%(seed)d)
for i = 1, %(n)d do
  local x = %(x0)f + math.random() * %(w)f
  local y = %(y0)f + math.random() * %(h)f
  windows[i] = string.format(
    "/api/attractions/?bbox=%%.4f,%%.4f,%%.4f,%%.4f&limit=1000&lang=el",
    x, y, x + %(dx)f, y + %(dy)f)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", windows[math.random(#windows)])
end
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %%.1f %%.1f %%.1f %%.1f %%.1f\\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def _script(folder: Path) -> Path:
    x0, y0, x1, y1 = EXTENT
    dx, dy = WINDOW
    path = folder / "bboxes.lua"
    path.write_text(SCRIPT % {"seed": 42, "n": WINDOWS, "x0": x0, "y0": y0, "w": x1 - x0 - dx,
                              "h": y1 - y0 - dy, "dx": dx, "dy": dy})
    return path


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


def _server_pids(gunicorn_pid: int) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends serving the benchmark database."""
    children = Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children")
    workers = [int(p) for p in children.read_text().split()] if children.exists() else []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()")
        return [gunicorn_pid, *workers, *(r[0] for r in cur.fetchall())]


def run() -> None:
    if not shutil.which("wrk"):
        print("\nbbox benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    _make_layer(SLUG, N)
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp, \
            gunicorn(workers=WORKERS, threads=THREADS) as base:
        script = _script(Path(tmp))
        sample = f"{base}/api/attractions/?bbox=22.300,39.600,22.338,39.626&limit=1000&lang=el"
        for _ in range(2 * WORKERS * THREADS):  # every thread's connection opened and warm
            body = urllib.request.urlopen(sample).read()
        load = os.getloadavg()[0]
        before = _cpu_seconds(_server_pids(base.pid))
        wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION,
                              "--latency", "-s", str(script), base],
                             capture_output=True, text=True, check=True).stdout
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = _cpu_seconds(_server_pids(base.pid))
    p50, p90, p95, p99, worst = re.search(r"PERCENTILES (\S+) (\S+) (\S+) (\S+) (\S+)",
                                          out).groups()
    rps = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(f"\nbbox: pages of 1,000 features out of {N:,} points ({len(body) / 1024:.0f} kB each), "
          f"{WINDOWS} windows at random; wrk -t 2 -c {CONNECTIONS} -d {DURATION}; gunicorn "
          f"{WORKERS} workers × {THREADS} threads (gthread), one PostgreSQL connection per "
          f"thread kept open; load average {load:.1f} on {os.cpu_count()} cores before the run")
    print(f"  {rps} req/s; latency p50 {p50} ms, p90 {p90} ms, p95 {p95} ms (target ≤ 50), "
          f"p99 {p99} ms, max {worst} ms" + (f"; {errors.group(1)} errors" if errors else ""))
    # What a request costs in CPU, whoever else shares the machine: on idle cores the
    # throughput cannot pass cores / cost, nor the mean latency at c connections go
    # below c / throughput (Little's law).
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    server = sum(after[p] - before.get(p, 0.0) for p in after) / requests * 1000
    wrk_cpu = (wrk_after.ru_utime + wrk_after.ru_stime
               - wrk_before.ru_utime - wrk_before.ru_stime)
    client = wrk_cpu / requests * 1000
    cores = os.cpu_count() or 1
    capacity = cores / (server + client) * 1000
    print(f"  CPU per request: {server:.1f} ms server (gunicorn + PostgreSQL) + {client:.1f} ms "
          f"wrk; {cores} idle cores would serve at most {capacity:.0f} req/s, a mean latency "
          f"of at least {CONNECTIONS / capacity * 1000:.0f} ms at {CONNECTIONS} connections")
    Layer.objects.filter(slug=SLUG).delete()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE layers_attraction")
