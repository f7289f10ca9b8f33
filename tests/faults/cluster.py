"""A second local PostgreSQL cluster, for a test that stops and starts its database.

``python -m tests.faults.cluster start|stop FOLDER`` with ``ATLAS_PGPORT`` and
``ATLAS_DB_NAME`` set: ``geo.pgcluster`` as it is, with its ``var/`` moved to FOLDER (its
data, socket, log and the roles' passwords). It runs in a process of its own so that the
test process's ``geo.pgcluster`` keeps pointing at the suite's cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path

from geo import pgcluster


def main(argv: list[str]) -> int:
    action, folder = argv[0], Path(argv[1]).resolve()
    pgcluster.VAR_DIR = folder
    pgcluster.CLUSTER_LINK = folder / "postgres"
    # Run as root, the server's user must reach the folder, else pgcluster would put the
    # data where the suite's cluster may live (/var/lib/postgresql/atlas/<checkout>).
    if pgcluster.cluster_dir() != pgcluster.CLUSTER_LINK.resolve() or \
            not pgcluster.CLUSTER_LINK.resolve().is_relative_to(folder):
        print(f"{folder}: the server's user cannot reach it", file=sys.stderr)
        return 2
    if action == "start":
        pgcluster.start()
    elif action == "stop":
        pgcluster.stop()
    else:
        print(f"unknown action {action!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
