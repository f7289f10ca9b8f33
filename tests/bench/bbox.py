"""bbox latency benchmark (issue: API): a page of 1,000 features out of 1,000,000 points.

``wrk -c 16`` against gunicorn for 20 s; reports req/s and latency percentiles
(target: p95 ≤ 50 ms), with the server settings used.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from django.db import connection

from layers.models import Layer
from tests.bench.api import _make_layer, gunicorn

N = 1_000_000
SLUG = "bench-bbox"
# About 1,000 of the points fall in this box (the points cover 1° × 0.7°).
BBOX = "22.300,39.600,22.338,39.626"
WORKERS = 4
THREADS = 4


def run() -> None:
    if not shutil.which("wrk"):
        print("\nbbox benchmark skipped: wrk is not installed (apt-get install wrk)")
        return
    _make_layer(SLUG, N)
    with gunicorn(workers=WORKERS, threads=THREADS) as base:
        url = f"{base}/api/attractions/?bbox={BBOX}&limit=1000&lang=el"
        import urllib.request, json  # noqa: E401, I001 - a one-off look at the page size

        page = json.loads(urllib.request.urlopen(url).read())
        out = subprocess.run(["wrk", "-t", "2", "-c", "16", "-d", "20s", "--latency", url],
                             capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    rps = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
    print(f"\nbbox: pages of {page['numberReturned']:,} features out of {N:,} points; "
          f"wrk -t 2 -c 16 -d 20s; gunicorn {WORKERS} workers × {THREADS} threads")
    print(f"  {rps} req/s; latency p50 {latency.get('50')}, p90 {latency.get('90')}, "
          f"p99 {latency.get('99')} (wrk reports no p95; target p95 ≤ 50 ms)")
    Layer.objects.filter(slug=SLUG).delete()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE layers_attraction")
