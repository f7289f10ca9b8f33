"""Import benchmarks (issue: Importers), each against ogr2ogr on the same file and database.

- 100,000 points in EPSG:2100 with cp1253 attributes: our import (detection, validation,
  reprojection, upsert) vs ``ogr2ogr -f PostgreSQL --config PG_USE_COPY YES``; target ≤ 1.3×.
  A one-``save()``-per-feature import is timed on a slice for reference. Beside it, the
  floor of any loader into the platform's table: ogr2ogr itself, reprojecting to
  EPSG:4326 as an import must, into a new table and into ``layers_attraction`` (the
  table every layer shares, with its indexes and constraints).
- Re-importing the unchanged file: target ≤ 0.5× our first import.
- Re-importing a file of 40,000 points with every name changed, right after the first
  import of the layer (before autovacuum has looked at it): target ≤ 2× that first import,
  each pair timed in turn (Trust D5).
- A GPX of 200,000 track points vs ogr2ogr loading its ``track_points``: target ≤ 1.5×;
  peak memory of the import process: target < 10× the file size.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection
from pyproj import Transformer

from importers.pipeline import ImportRequest, run_import
from layers import services
from layers.models import Attraction, Layer

REPEAT = 3
N_POINTS = 100_000
N_REIMPORT = 40_000
N_TRACK_POINTS = 200_000
GREEK_WORDS = ["Αρχαίο", "Θέατρο", "Μονή", "Πηγή", "Γέφυρα", "Μουσείο", "Κάστρο", "Λίμνη",
               "Φαράγγι", "Σπήλαιο", "Ναός", "Αγίου", "Νικολάου", "Δημητρίου", "Παλαιό"]
CATEGORIES = ["museum", "church", "monastery", "ruins", "spring", "viewpoint", "bridge"]


def _pg() -> str:
    db = settings.DATABASES["default"]
    parts = [f"dbname={db['NAME']}", f"host={db['HOST']}", f"port={db['PORT']}",
             f"user={db['USER']}"]
    if db.get("PASSWORD"):
        parts.append(f"password={db['PASSWORD']}")
    return "PG:" + " ".join(parts)


def _median_time(fn, repeat: int = REPEAT, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _paired(ours, baseline, *, before_ours, before_baseline,
            repeat: int = REPEAT) -> tuple[float, float, float]:
    """Medians of ``ours`` and ``baseline`` run in turns, and the median of their ratios.

    Other work on the machine comes and goes: taking turns gives both the same share
    of it, and each ratio compares two runs made seconds apart.
    """
    pairs = []
    for _ in range(repeat):
        pairs.append((_median_time(ours, 1, before_ours),
                      _median_time(baseline, 1, before_baseline)))
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))


def _larissa():
    return services.partner_upsert(slug="larissa", defaults={
        "name_en": "Larissa", "country": "GR", "languages": ["el", "en"],
        "boundary": MultiPolygon(Polygon.from_bbox((21.6, 39.1, 23.1, 40.2)), srid=4326)})


def make_points_shapefile(folder: Path, edition: str = "", n: int = N_POINTS) -> Path:
    """The points file of ``n`` points; another ``edition`` changes every name (a file sent
    again with corrections)."""
    rng = np.random.default_rng(7)
    lon = rng.uniform(21.8, 22.9, n)
    lat = rng.uniform(39.3, 40.0, n)
    x, y = Transformer.from_crs(4326, 2100, always_xy=True).transform(lon, lat)
    names = np.array([" ".join(rng.choice(GREEK_WORDS, 3)) + f" {i}{edition}"
                      for i in range(n)], dtype=object)
    kinds = np.array(rng.choice(CATEGORIES, n), dtype=object)
    path = folder / f"larissa_points{edition}_{n}.shp"
    pyogrio.raw.write(path, shapely.to_wkb(shapely.points(x, y)),
                      [np.arange(n), names, kinds, rng.integers(0, 5000, n)],
                      fields=["ID", "ONOMA", "TYPE", "VISITORS"], geometry_type="Point",
                      driver="ESRI Shapefile", encoding="cp1253", crs="EPSG:2100")
    path.with_suffix(".cpg").unlink(missing_ok=True)  # as partners send them: no .cpg
    return path


def make_gpx(folder: Path, *, timed: bool = True) -> Path:
    """200,000 track points in 100 tracks; ``timed``: a <time> a point, one a second.

    Devices and apps record a time with every point (GPX 1.1's trkpt); without it
    the file is a third smaller than any real track of the same points.
    """
    rng = np.random.default_rng(11)
    path = folder / ("tracks.gpx" if timed else "tracks-untimed.gpx")
    per_track = 2_000
    start = datetime(2025, 5, 1, 6, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
                 'xmlns="http://www.topografix.com/GPX/1/1">\n')
        for t in range(N_TRACK_POINTS // per_track):
            lon0, lat0 = rng.uniform(21.9, 22.8), rng.uniform(39.4, 39.9)
            steps = rng.normal(0, 0.0002, (per_track, 2)).cumsum(axis=0)
            ele = 200 + rng.normal(0, 1.5, per_track).cumsum()
            fh.write(f"<trk><name>Διαδρομή {t}</name><trkseg>\n")
            for i, ((dx, dy), z) in enumerate(zip(steps, ele, strict=True)):
                when = (f"<time>{start + timedelta(days=t, seconds=i):%Y-%m-%dT%H:%M:%SZ}</time>"
                        if timed else "")
                fh.write(f'<trkpt lat="{lat0 + dy:.6f}" lon="{lon0 + dx:.6f}">'
                         f"<ele>{z:.1f}</ele>{when}</trkpt>\n")
            fh.write("</trkseg></trk>\n")
        fh.write("</gpx>\n")
    return path


def _ogr2ogr(src: Path, layer: str | None = None, table: str = "bench_ogr",
             encoding: str | None = None, reproject: bool = False) -> None:
    cmd = ["ogr2ogr", "-f", "PostgreSQL", _pg(), str(src), "-nln", table, "-overwrite",
           "-lco", "GEOMETRY_NAME=geom", "--config", "PG_USE_COPY", "YES"]
    if reproject:
        cmd += ["-t_srs", "EPSG:4326"]
    if encoding:
        # Told the code page (it cannot detect one), as our importer finds it itself.
        cmd += ["--config", "SHAPE_ENCODING", encoding]
    if layer:
        cmd.append(layer)
    subprocess.run(cmd, check=True, capture_output=True)


def _ogr2ogr_into_attractions(src: Path, layer_id: int) -> None:
    """ogr2ogr writing the file's rows into ``layers_attraction``, reprojected, by COPY.

    Every column is given a value in the SQL: GDAL falls back to one INSERT per
    feature when a column would take its default. The public id is made from ID.
    """
    sql = ("SELECT CONCAT('00000000-0000-4000-8000-', "
           "CAST(ID + 100000000000 AS character(12))) AS uid, "
           f"{layer_id} AS layer_id, CAST(ID AS character(12)) AS source_id, ONOMA AS name, "
           "ONOMA AS name_el, '' AS description, TYPE AS category, '' AS address, "
           "'' AS website, '' AS phone, '' AS opening_hours, '' AS wheelchair, "
           "'{}' AS properties, ONOMA AS search, '2026-01-01 00:00:00+00' AS created_at, "
           f"'2026-01-01 00:00:00+00' AS updated_at FROM {src.stem}")
    subprocess.run(["ogr2ogr", "-append", "-f", "PostgreSQL", _pg(), str(src),
                    "-nln", "layers_attraction(location)", "-t_srs", "EPSG:4326", "-sql", sql,
                    "--config", "PG_USE_COPY", "YES", "--config", "SHAPE_ENCODING", "CP1253"],
                   check=True, capture_output=True)


def _empty_layer(layer_id: int) -> None:
    with connection.cursor() as cur:
        cur.execute("DELETE FROM layers_attraction WHERE layer_id = %s", [layer_id])
        cur.execute("VACUUM FULL ANALYZE layers_attraction")


def _drop_ogr_table() -> None:
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_ogr")


def _clear_layer(slug: str) -> None:
    Layer.objects.filter(slug=slug).delete()
    # Every run starts from a clean table, as a database with autovacuum would be.
    with connection.cursor() as cur:
        cur.execute("VACUUM FULL ANALYZE layers_attraction")
        cur.execute("VACUUM FULL ANALYZE layers_trail")


def _save_per_feature(shp: Path, n: int, partner) -> float:
    """The naive way: read with pyogrio, one ORM save() per feature (reference only)."""
    layer = services.layer_upsert(slug="bench-naive", partner=partner,
                                  defaults={"kind": "attractions"})
    _meta, _, wkb, fields = pyogrio.raw.read(shp, encoding="cp1253", max_features=n)
    t = Transformer.from_crs(2100, 4326, always_xy=True)
    t0 = time.perf_counter()
    for g, name, kind in zip(shapely.from_wkb(wkb), fields[1], fields[2], strict=True):
        lon, lat = t.transform(g.x, g.y)
        Attraction(layer=layer, source_id=f"{g.x},{g.y}", name_el=name, category=kind,
                   location=Point(lon, lat, srid=4326)).save()
    elapsed = time.perf_counter() - t0
    _clear_layer("bench-naive")
    return elapsed


def _peak_rss_of_import(path: Path, kind: str) -> float:
    """Peak resident memory (MiB) of a separate `manage.py import_layer` process."""
    db = settings.DATABASES["default"]
    url = f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    code = ("import resource, subprocess, sys, os; "
            "p = subprocess.run(sys.argv[1:], env={**os.environ, 'DATABASE_URL': "
            f"{url!r}}}, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "manage.py", "import_layer", str(path),
         "--partner", "larissa", "--layer", "bench-mem", "--kind", kind, "--verbosity", "0"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    _clear_layer("bench-mem")
    return int(out.stdout.strip()) / 1024


def _rest_rss(folder: Path) -> float:
    """Peak memory (MiB) of the same import command on a GPX of one short track."""
    tiny = folder / "one-track.gpx"
    tiny.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
                    'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>T</name><trkseg>'
                    '<trkpt lat="39.6" lon="22.4"><ele>100</ele></trkpt>'
                    '<trkpt lat="39.61" lon="22.41"><ele>110</ele></trkpt></trkseg></trk></gpx>')
    return _peak_rss_of_import(tiny, "trails")


def _row(name: str, ours: float, base: float, target: str, ratio: float | None = None) -> None:
    ratio = ours / base if ratio is None else ratio
    print(f"  {name:58s} {ours:8.2f} s  vs {base:8.2f} s   ratio {ratio:5.2f}  "
          f"(target {target})")


def _changed_reimport(folder: Path, partner) -> None:
    """A first import of N_REIMPORT points, then at once the file with every name changed;
    medians of REPEAT pairs and of their ratios."""
    original = make_points_shapefile(folder, n=N_REIMPORT)
    changed = make_points_shapefile(folder, edition="b", n=N_REIMPORT)

    def timed(path: Path) -> float:
        t0 = time.perf_counter()
        run_import(ImportRequest(path=path, partner=partner, layer_slug="bench-reimport",
                                 kind="attractions"))
        return time.perf_counter() - t0

    pairs = []
    for _ in range(REPEAT):
        _clear_layer("bench-reimport")
        # Right after the first import, before autovacuum has looked at the table.
        pairs.append((timed(original), timed(changed)))
    _clear_layer("bench-reimport")
    first = statistics.median(f for f, _ in pairs)
    again = statistics.median(c for _, c in pairs)
    print(f"  {N_REIMPORT:,} points imported, then at once again with every name changed "
          "(pairs: " + ", ".join(f"{f:.1f} s → {c:.1f} s" for f, c in pairs) + ")")
    _row(f"changed re-import of {N_REIMPORT:,} right after the first vs it", again, first,
         "≤ 2.00", statistics.median(c / f for f, c in pairs))


def run() -> None:
    partner = _larissa()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        folder = Path(tmp)
        shp = make_points_shapefile(folder)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(f"\nImport: {N_POINTS:,} points, EPSG:2100, cp1253 DBF without .cpg "
              f"({size:.1f} MiB); medians of {REPEAT} runs, ours and the baseline in turns")

        def ours_first():
            run_import(ImportRequest(path=shp, partner=partner, layer_slug="bench-points",
                                     kind="attractions"))

        first, ogr, ratio = _paired(
            ours_first, lambda: _ogr2ogr(shp, encoding="CP1253"),
            before_ours=lambda: _clear_layer("bench-points"), before_baseline=_drop_ogr_table)
        _drop_ogr_table()
        again = _median_time(ours_first)  # layer holds the same data: every row unchanged
        _row("our import vs ogr2ogr (PG_USE_COPY)", first, ogr, "≤ 1.30", ratio)
        _row("re-import of the unchanged file vs our first import", again, first, "≤ 0.50")
        _clear_layer("bench-points")
        _changed_reimport(folder, partner)
        floor = services.layer_upsert(slug="bench-ogr-floor", partner=partner,
                                      defaults={"kind": "attractions"})
        new_table, _, new_ratio = _paired(
            lambda: _ogr2ogr(shp, encoding="CP1253", reproject=True),
            lambda: _ogr2ogr(shp, encoding="CP1253"),
            before_ours=_drop_ogr_table, before_baseline=_drop_ogr_table)
        into_ours, _, into_ratio = _paired(
            lambda: _ogr2ogr_into_attractions(shp, floor.pk),
            lambda: _ogr2ogr(shp, encoding="CP1253"),
            before_ours=lambda: _empty_layer(floor.pk), before_baseline=_drop_ogr_table)
        _drop_ogr_table()
        _clear_layer("bench-ogr-floor")
        print("  the floor of any loader, ogr2ogr itself doing what an import must:")
        _row("  reprojecting to EPSG:4326, into a new table", new_table, ogr, "—", new_ratio)
        _row("  the same, into layers_attraction (its indexes)", into_ours, ogr, "—",
             into_ratio)
        n_naive = 5_000
        naive = _save_per_feature(shp, n_naive, partner)
        print(f"  reference: one save() per feature: {naive:.2f} s for {n_naive:,} → about "
              f"{naive * N_POINTS / n_naive:.0f} s for {N_POINTS:,} "
              f"({naive * N_POINTS / n_naive / first:.0f}× our import)")

        rest = _rest_rss(folder)
        for timed in (True, False):
            gpx = make_gpx(folder, timed=timed)
            gpx_mib = gpx.stat().st_size / 2**20
            print(f"\nImport: GPX of {N_TRACK_POINTS:,} track points in "
                  f"{N_TRACK_POINTS // 2000} tracks ({gpx_mib:.1f} MiB"
                  + (", a <time> a point, as devices record)" if timed else
                     ", no <time>: thinner than any device's track)"))

            def ours_gpx(path=gpx):
                run_import(ImportRequest(path=path, partner=partner, layer_slug="bench-gpx",
                                         kind="trails"))

            gpx_time, ogr_gpx, ratio = _paired(
                ours_gpx, lambda path=gpx: _ogr2ogr(path, "track_points"),
                before_ours=lambda: _clear_layer("bench-gpx"), before_baseline=_drop_ogr_table)
            _drop_ogr_table()
            _clear_layer("bench-gpx")
            _row("our import vs ogr2ogr loading track_points", gpx_time, ogr_gpx, "≤ 1.50",
                 ratio)
            peak = _peak_rss_of_import(gpx, "trails")
            print(f"  peak memory of the import process: {peak:.0f} MiB = {peak / gpx_mib:.1f}× "
                  f"the file (target < 10×); the same command on a one-track GPX peaks at "
                  f"{rest:.0f} MiB: the file's import adds {peak - rest:.0f} MiB = "
                  f"{(peak - rest) / gpx_mib:.1f}× the file")
        print(f"  (this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
              " MiB peak)")
