"""Benchmarks: ``make bench`` (``python -m tests.bench [NAME…]``; ``make bench-load``: the
load run alone).

Each benchmark prints its result as a ratio to a baseline measured in the same
run on the same machine and data, with sizes and medians. Benchmarks are not
tests: they assert nothing; the targets are in the issues and in the output.

They run against a database of their own (``atlas_bench`` in the local
cluster, or ``BENCH_DATABASE_URL``), created and migrated here.
"""

from __future__ import annotations

import os
import sys


def _clear_leftovers() -> None:
    """A benchmark that was interrupted leaves its data behind (and the coverage one keeps
    the demo data it measures with), and the explorer or a bbox page would then measure
    more data than it says (1,150,000 attractions instead of 50,000, once). The benchmark
    database is its own: it starts empty of layers and routes."""
    from layers.models import Layer
    from routes.models import PilotRoute
    from tests.bench.scale import drop_layers

    left = list(Layer.objects.values_list("slug", flat=True))
    if left:
        print(f"Deleting the layers an earlier run left: {', '.join(sorted(left))}")
        # Their attractions in SQL first: the ORM would load a million of them to delete them.
        drop_layers(left)
    PilotRoute.objects.all().delete()
    Layer.objects.all().delete()
    from tests.bench.peers import TABLE, TABLE_DOCUMENT, drop_tables

    drop_tables(TABLE, TABLE_DOCUMENT)  # the peers' copies of the points


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The benchmarks migrate their database and make tables: the owner's work.
    os.environ.setdefault("ATLAS_DB_ROLE", "owner")
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    elif not os.environ.get("DATABASE_URL"):
        os.environ["ATLAS_DB_NAME"] = "atlas_bench"
        from geo import pgcluster

        pgcluster.DB_NAME = "atlas_bench"
        pgcluster.start()
    import django

    django.setup()
    from django.conf import settings

    # The servers, psql and commands the benchmarks start connect as the same role.
    os.environ["PGPASSWORD"] = settings.DATABASES["default"]["PASSWORD"] or ""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _clear_leftovers()
    from tests.bench import api, bbox, coverage, imports, load, maps, network, peers, scale, tiles

    wanted = set(argv) or {"imports", "network", "api", "tiles", "bbox", "peers", "scale",
                           "coverage", "maps", "load"}
    if "imports" in wanted:
        imports.run()
    if "network" in wanted:
        network.run()
    if "api" in wanted:
        api.run()
    if "tiles" in wanted:
        tiles.run()
    if "bbox" in wanted:
        bbox.run()
    if "peers" in wanted:
        peers.run()
    if "scale" in wanted:
        scale.run()
    if "coverage" in wanted:
        coverage.run()
    if "maps" in wanted:
        maps.run()
    if "load" in wanted:
        load.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
