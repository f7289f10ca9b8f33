"""API benchmark (issue: API): 50,000 attractions as one GeoJSON document.

Ours: GET /api/layers/{slug}/export/?format=geojson through gunicorn (HTTP, as a
client sees it) vs the in-database baseline (psql running json_agg over the
same rows; target ≥ 0.8× its throughput) and vs a stock djangorestframework-gis
GeoFeatureModelSerializer over the same queryset (target ≥ 10×).
"""

from __future__ import annotations

import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from rest_framework.renderers import JSONRenderer
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from layers import services
from layers.exports import geojson_sql
from layers.models import Attraction, Layer
from layers.params import FeatureFilters

N = 50_000
REPEAT = 3
SLUG = "bench-api"


class AttractionSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Attraction
        geo_field = "location"
        fields = ("uid", "source_id", "name_bg", "name_el", "name_fr", "name_en", "category",
                  "properties")


def _make_layer(slug: str = SLUG, n: int = N) -> Layer:
    """A public layer of ``n`` random attractions around Larissa, made in SQL."""
    partner = services.partner_upsert(slug="larissa", defaults={
        "name_en": "Larissa", "country": "GR", "languages": ["el", "en"],
        "boundary": MultiPolygon(Polygon.from_bbox((21.6, 39.1, 23.1, 40.2)), srid=4326)})
    Layer.objects.filter(slug=slug).delete()
    layer = services.layer_upsert(slug=slug, partner=partner,
                                  defaults={"kind": "attractions", "visibility": "public"})
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO layers_attraction (uid, layer_id, source_id, name, name_el, name_en,
                description, category, location, address, website, phone, opening_hours,
                wheelchair, properties, created_at, updated_at)
            SELECT gen_random_uuid(), %s, g::text, 'Θέση ' || g, 'Θέση ' || g, 'Site ' || g, '',
                   (ARRAY['museum','church','ruins','spring'])[1 + g %% 4],
                   ST_SetSRID(ST_MakePoint(21.8 + random(), 39.3 + random() * 0.7), 4326),
                   '', '', '', '', '', jsonb_build_object('VISITORS', g %% 5000), now(), now()
            FROM generate_series(1, %s) g""", [layer.pk, n])
        cur.execute("VACUUM ANALYZE layers_attraction")
    return layer


def _median(fn) -> float:
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def wait_until_up(base: str, tries: int = 300) -> None:
    """Until a server just started answers (or ``tries`` × 0.2 s have gone by).

    Asked for a page that reads no features: /api/layers/ counts every layer's, 25 s
    and more with 11,000,000 points, and a probe given up after 5 s left its query
    running while the next one started another (the scale benchmark's server stalled)."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"{base}/ogc/conformance", timeout=5)
            return
        except OSError:
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(str):
    """A base URL that also knows the process id of the server behind it."""

    def __new__(cls, url: str, pid: int) -> Server:
        self = super().__new__(cls, url)
        self.pid = pid
        return self


@contextmanager
def gunicorn(workers: int = 2, threads: int = 1, counted: bool = True, stored: bool = True,
             source: Path | None = None):
    """The platform served by gunicorn against the benchmark database: its base URL.

    ``counted``: requests are counted against the rate limits (as deployed), which are
    raised out of reach; else not counted at all (what the counting costs). ``stored``:
    pages read from the text rows keep (as deployed), else built (decision 0023).
    ``source``: another checkout of the code to serve (a baseline, BENCH_BASELINE)."""
    db = settings.DATABASES["default"]
    url = f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--timeout", "300"],
        cwd=source or settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "ATLAS_DEBUG": "0",
             **({"PYTHONPATH": str(source)} if source else {}),
             "ATLAS_STORED_PAGES": "1" if stored else "0",
             # A key the settings accept outside development.
             "ATLAS_SECRET_KEY": secrets.token_urlsafe(50),
             # wrk is one address: its 16 connections are not 16 visitors (the limits
             # are still counted, as deployed).
             **{f"ATLAS_THROTTLE_{scope}": "1000000/min" if counted else ""
                for scope in ("ANON", "USER", "TILES", "EXPORTS")}},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        yield Server(f"http://127.0.0.1:{port}", server.pid)
    finally:
        server.terminate()
        server.wait()


def run() -> None:
    layer = _make_layer()
    db = settings.DATABASES["default"]
    with gunicorn() as base:
        endpoint = f"{base}/api/layers/{SLUG}/export/?format=geojson"
        size = len(urllib.request.urlopen(endpoint, timeout=300).read())
        ours = _median(lambda: urllib.request.urlopen(endpoint, timeout=300).read())

    # The same rows and columns as our export, through psql instead of our API.
    rows_sql, params, _names = geojson_sql(kinds=["attraction"],
                                           filters=FeatureFilters(layer=[SLUG]),
                                           with_partner=False)
    with connection.cursor() as cur:
        rows_sql = cur.mogrify(rows_sql, params) if hasattr(cur, "mogrify") else rows_sql
    sql = ("SELECT json_build_object('type', 'FeatureCollection', 'features', "
           f"json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json)) FROM ({rows_sql}) t")
    psql = ["psql", "-X", "-q", "-At", "-h", db["HOST"], "-p", str(db["PORT"]), "-U",
            db["USER"], "-d", db["NAME"], "-c", sql]
    baseline = _median(lambda: subprocess.run(psql, check=True, stdout=subprocess.DEVNULL))

    queryset = Attraction.objects.filter(layer=layer)
    t0 = time.perf_counter()
    JSONRenderer().render(AttractionSerializer(queryset, many=True).data)
    serializer = time.perf_counter() - t0

    print(f"\nAPI: {N:,} attractions as one GeoJSON document ({size / 2**20:.1f} MiB); "
          f"medians of {REPEAT} runs")
    print(f"  our API (gunicorn, HTTP)          {ours:7.2f} s  {N / ours:9,.0f} features/s")
    print(f"  psql json_agg(ST_AsGeoJSON)       {baseline:7.2f} s  {N / baseline:9,.0f} "
          f"features/s   ours/psql throughput {baseline / ours:5.2f} (target ≥ 0.80)")
    print(f"  GeoFeatureModelSerializer         {serializer:7.2f} s  {N / serializer:9,.0f} "
          f"features/s   ours/serializer     {serializer / ours:5.1f}× (target ≥ 10×)")
    Layer.objects.filter(slug=SLUG).delete()
