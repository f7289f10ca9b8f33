"""Load benchmark (issue: Trust, "Done when"): gunicorn as deployed under ``wrk -c 32`` for
60 s over a mix of what visitors and GIS clients ask for, on the demo data.

The server is the deployment's: ``gunicorn -c config/gunicorn.conf.py config.wsgi``
(WEB_CONCURRENCY sync workers, replaced after about 1,000 requests), connecting as the
application's role (``atlas_app``), DEBUG off, a random secret key. The mix (a wrk Lua
script picks a URL at random for every request): the explorer, a layer's page and a
route's page; API pages by bbox; vector tiles at zooms 6 to 14; OGC API items; a layer's
GeoJSON export and a route's GPX.

Printed, not asserted: requests per second, errors (answers other than 2xx/3xx, and
wrk's socket errors and timeouts), p50/p90/p99 latency, the answers by status, and each
worker's memory (RSS, /proc) after the warm-up and after the run, with whether the
workers' memory after is within 1.5× that at the start. Rate limits are raised for the
run (ATLAS_THROTTLE_*): 32 connections from one address are not 32 visitors.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from layers.models import Attraction, Layer
from layers.ogc.catalogue import REGIONAL_LAYER
from layers.vocabulary import LayerKind, Visibility
from routes.models import PilotRoute
from tests.bench.api import _free_port, wait_until_up

CONNECTIONS = 32
DURATION = "60s"
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")  # config/gunicorn.conf.py's default
TILE_ZOOMS = (6, 8, 10, 12, 14)
# Far above what 32 connections ask in a minute: the limits are per address, and wrk is one.
NO_LIMIT = "1000000/min"
THROTTLES = ("ANON", "USER", "TILES", "EXPORTS", "IMPORTS")

SCRIPT = """
local urls = {%(urls)s}
local threads = {}
math.randomseed(%(seed)d)
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
init = function(args)
  statuses = {}
  math.randomseed(%(seed)d + id)
end
request = function()
  return wrk.format("GET", urls[math.random(#urls)])
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %%.1f %%.1f %%.1f %%.1f\\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("SOCKET %%d %%d %%d %%d\\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %%d %%d\\n", status, n))
    end
  end
end
"""


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    rad = math.radians(lat)
    return (int((lon + 180) / 360 * n),
            int((1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2 * n))


def _urls() -> dict[str, list[str]]:
    """The mix, by what it is: a few URLs of each kind, over the four partners."""
    layers = list(Layer.objects.filter(visibility=Visibility.PUBLIC).order_by("slug"))
    attraction_layers = [la for la in layers if la.kind == LayerKind.ATTRACTIONS]
    routes = list(PilotRoute.objects.filter(status="published").order_by("slug"))
    places = [a.location for a in
              (Attraction.objects.filter(layer=la).order_by("id").first()
               for la in attraction_layers) if a is not None]
    bboxes = [f"{p.x - 0.1:.3f},{p.y - 0.07:.3f},{p.x + 0.1:.3f},{p.y + 0.07:.3f}"
              for p in places]
    return {
        "pages": ["/", *(f"/layers/{la.slug}/" for la in layers[:2]),
                  *(f"/routes/{r.slug}/" for r in routes[:2])],
        "bbox": [f"/api/attractions/?bbox={b}&limit=100" for b in bboxes]
                + [f"/api/regional-layer/?bbox={b}&lang=bg" for b in bboxes[:2]],
        "tiles": [f"/tiles/{REGIONAL_LAYER}/{z}/{x}/{y}.mvt"
                  for p in places for z in TILE_ZOOMS for x, y in [_tile(p.x, p.y, z)]],
        "ogc": [f"/ogc/collections/{REGIONAL_LAYER}/items?bbox={b}&limit=50" for b in bboxes]
               + [f"/ogc/collections/{la.slug}/items?limit=100" for la in layers[:2]],
        "exports": [f"/api/layers/{attraction_layers[0].slug}/export/?format=geojson",
                    *(f"/api/routes/{r.slug}/export/?format=gpx" for r in routes[:1])],
    }


def _rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) if found else None


def _workers(master: int) -> dict[int, int]:
    """Each gunicorn worker's RSS in KiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(p): rss for p in children if (rss := _rss_kib(int(p))) is not None}


def _server_env(port: int) -> dict[str, str]:
    from geo import pgcluster

    env = {k: v for k, v in os.environ.items() if k != "ATLAS_DB_ROLE"}
    # The application's role on the benchmark database (the local cluster's atlas_app);
    # with BENCH_DATABASE_URL, that URL's role.
    url = os.environ.get("BENCH_DATABASE_URL") or pgcluster.database_url()
    env.update(DATABASE_URL=url, ATLAS_DEBUG="0", ATLAS_SECRET_KEY=secrets.token_urlsafe(50),
               ATLAS_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=WORKERS,
               **{f"ATLAS_THROTTLE_{scope}": NO_LIMIT for scope in THROTTLES})
    return env


@contextmanager
def _deployed_gunicorn(log: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.conf.py",
             "config.wsgi"], cwd=settings.BASE_DIR, env=_server_env(port),
            stdout=subprocess.DEVNULL, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait()


class _Sampler(threading.Thread):
    """The workers' RSS every half second: the largest seen, and every worker seen."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.peak, self.seen = master, 0, set[int]()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            workers = _workers(self.master)
            self.seen |= set(workers)
            self.peak = max([self.peak, *workers.values()])


def _mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def run() -> None:
    if not shutil.which("wrk"):
        print("\nload benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    call_command("load_demo", verbosity=0)
    mix = _urls()
    urls = [u for group in mix.values() for u in group]
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        script = Path(tmp) / "mix.lua"
        script.write_text(SCRIPT % {"urls": ", ".join(f'"{u}"' for u in urls), "seed": 42})
        with _deployed_gunicorn(Path(tmp) / "gunicorn.log") as (base, master):
            fresh = _workers(master)
            # Every URL twice: the workers' imports loaded, the export made and kept.
            for _ in range(2):
                for url in urls:
                    urllib.request.urlopen(base + url, timeout=120).read()
            start = _workers(master)
            sampler = _Sampler(master)
            sampler.start()
            out = subprocess.run(
                ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION, "--timeout", "60s",
                 "--latency", "-s", str(script), base],
                capture_output=True, text=True, check=True).stdout
            sampler.stop.set()
            sampler.join()
            time.sleep(1)  # a worker replaced at the end of the run is up again
            after = _workers(master)
        server_log = (Path(tmp) / "gunicorn.log").read_text(errors="replace")
    _report(mix, out, fresh, start, after, sampler, server_log)


def _report(mix: dict[str, list[str]], out: str, fresh: dict[int, int],
            start: dict[int, int], after: dict[int, int], sampler: _Sampler,
            server_log: str) -> None:
    p50, p90, p99, worst = re.search(r"PERCENTILES (\S+) (\S+) (\S+) (\S+)", out).groups()
    rps = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    connect, read, write, timeout = map(int, re.search(r"SOCKET (\d+) (\d+) (\d+) (\d+)",
                                                       out).groups())
    statuses: dict[int, int] = {}
    for status, n in re.findall(r"STATUS (\d+) (\d+)", out):
        statuses[int(status)] = statuses.get(int(status), 0) + int(n)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + connect + read + write + timeout
    print(f"\nload: gunicorn as deployed (config/gunicorn.conf.py, {WORKERS} sync workers, "
          f"atlas_app, DEBUG off), the demo data; wrk -t 2 -c {CONNECTIONS} -d {DURATION} "
          f"over {sum(map(len, mix.values()))} URLs at random: "
          + ", ".join(f"{len(v)} {k}" for k, v in mix.items())
          + f"; rate limits raised for the run ({', '.join(THROTTLES)}: {NO_LIMIT}); load "
          f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end")
    print(f"  {requests:,} requests, {rps} req/s; {errors} errors (not 2xx/3xx "
          f"{non_2xx.group(1) if non_2xx else 0}, socket: connect {connect}, read {read}, "
          f"write {write}, timeout {timeout}); answers by status: "
          + ", ".join(f"{s}: {n:,}" for s, n in sorted(statuses.items())))
    print(f"  latency p50 {p50} ms, p90 {p90} ms, p99 {p99} ms, max {worst} ms")
    replaced = len(sampler.seen - set(start))
    print("  workers' RSS: fresh " + ", ".join(_mib(v) for v in fresh.values())
          + "; after the warm-up (the start) " + ", ".join(_mib(v) for v in start.values())
          + "; after the run " + ", ".join(_mib(v) for v in after.values())
          + f"; largest seen during it {_mib(sampler.peak)}; {replaced} worker(s) replaced "
          "during the run (max_requests)")
    ratio = sum(after.values()) / max(1, sum(start.values()))
    print(f"  the workers' memory after the run is {ratio:.2f}× that at the start: "
          + ("within 1.5×" if ratio <= 1.5 else "NOT within 1.5×"))
    if errors:
        tail = [line for line in server_log.splitlines() if "Error" in line or "error" in line]
        print("  the server's log, its last errors:\n    " + "\n    ".join(tail[-10:]))
