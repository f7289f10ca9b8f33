"""The project-local PostgreSQL + PostGIS cluster under ``var/``.

Run as ``python -m geo.pgcluster start|stop|status|url``. It has no Django
dependency so the Makefile can call it before the project is configured.

The cluster listens on 127.0.0.1 and on a socket in ``var/postgres/run`` only,
with ``trust`` authentication: it is a development and test database that no
other host can reach. PostgreSQL refuses to run as root, so when invoked as root
the server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_DIR / "var"
CLUSTER_LINK = VAR_DIR / "postgres"
PG_VERSION = "15"
DB_NAME = os.environ.get("ATLAS_DB_NAME", "atlas")
DB_USER = "atlas"
PORT = int(os.environ.get("ATLAS_PGPORT", "54329"))

# Settings that make a throw-away development cluster quick without risking
# corruption: a crash may lose the last few commits, never the cluster.
CONF = f"""
# --- Regional Tourism Atlas local cluster ---
listen_addresses = '127.0.0.1'
port = {PORT}
max_connections = 60
shared_buffers = 256MB
work_mem = 32MB
maintenance_work_mem = 256MB
synchronous_commit = off
"""


class ClusterError(RuntimeError):
    pass


def database_url() -> str:
    """The libpq URL of the local cluster's project database."""
    return f"postgis://{DB_USER}@127.0.0.1:{PORT}/{DB_NAME}"


def _bindir() -> Path:
    candidates = [Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")]
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    for cand in candidates:
        if (cand / "initdb").exists() and (cand / "pg_ctl").exists():
            return cand
    raise ClusterError(
        f"PostgreSQL {PG_VERSION} server binaries not found; install them with "
        f"'apt-get install postgresql-{PG_VERSION} postgresql-{PG_VERSION}-postgis-3' "
        "(make demo / make test do this when run as root)."
    )


def _is_root() -> bool:
    return os.geteuid() == 0


def _as_server_user(cmd: list[str]) -> list[str]:
    if _is_root():
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _server_user_can_reach(path: Path) -> bool:
    if not _is_root():
        return True
    probe = subprocess.run(_as_server_user(["test", "-x", str(path)]), capture_output=True)
    return probe.returncode == 0


def cluster_dir() -> Path:
    """Where the cluster lives: ``var/postgres``, possibly a symlink.

    When root runs a checkout that the ``postgres`` user cannot traverse (for
    example under /root), the cluster goes to a directory of its own under
    /var/lib/postgresql and ``var/postgres`` points there.
    """
    if CLUSTER_LINK.exists() or CLUSTER_LINK.is_symlink():
        return CLUSTER_LINK.resolve()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if _server_user_can_reach(VAR_DIR):
        CLUSTER_LINK.mkdir()
    else:
        key = hashlib.sha1(str(PROJECT_DIR).encode()).hexdigest()[:12]
        target = Path("/var/lib/postgresql/atlas") / key
        target.mkdir(parents=True, exist_ok=True)
        CLUSTER_LINK.symlink_to(target)
    if _is_root():
        pw = pwd.getpwnam("postgres")
        os.chown(CLUSTER_LINK.resolve(), pw.pw_uid, pw.pw_gid)
    return CLUSTER_LINK.resolve()


def _paths() -> tuple[Path, Path, Path]:
    base = cluster_dir()
    return base / "data", base / "run", base / "server.log"


def _run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, check=True, **kw)


def _psql(sql: str, db: str = "postgres") -> str:
    bindir = _bindir()
    _, run_dir, _ = _paths()
    out = subprocess.run(
        [str(bindir / "psql"), "-X", "-q", "-At", "-h", str(run_dir), "-p", str(PORT),
         "-U", DB_USER, "-d", db, "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise ClusterError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def is_running() -> bool:
    data, _, _ = _paths()
    if not (data / "PG_VERSION").exists():
        return False
    res = subprocess.run(
        _as_server_user([str(_bindir() / "pg_ctl"), "-D", str(data), "status"]),
        capture_output=True,
    )
    return res.returncode == 0


def init() -> None:
    data, run_dir, _ = _paths()
    if (data / "PG_VERSION").exists():
        return
    bindir = _bindir()
    owner = ["runuser", "-u", "postgres", "--"] if _is_root() else []
    _run([*owner, "mkdir", "-p", str(data), str(run_dir)])
    _run([*owner, str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust",
          "--encoding=UTF8", "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
    conf = CONF + f"unix_socket_directories = '{run_dir}'\n"
    # Append through the server user so the file keeps its owner.
    subprocess.run([*owner, "tee", "-a", str(data / "postgresql.conf")], input=conf.encode(),
                   stdout=subprocess.DEVNULL, check=True)


def start() -> None:
    init()
    data, _, log = _paths()
    if not is_running():
        try:
            _run(_as_server_user([str(_bindir() / "pg_ctl"), "-D", str(data), "-l", str(log),
                                  "-w", "-t", "60", "start"]), stdout=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
            raise ClusterError(
                f"the PostgreSQL server in {data} did not start. If port {PORT} is taken by "
                "another server, set ATLAS_PGPORT to a free port. Server log:\n  "
                + "\n  ".join(tail)
            ) from None
    for _ in range(50):
        try:
            _psql("SELECT 1")
            break
        except ClusterError:
            time.sleep(0.2)
    if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'") != "1":
        _psql(f'CREATE DATABASE "{DB_NAME}"')
    _psql("CREATE EXTENSION IF NOT EXISTS postgis", db=DB_NAME)


def stop() -> None:
    data, _, _ = _paths()
    if is_running():
        _run(_as_server_user([str(_bindir() / "pg_ctl"), "-D", str(data), "-m", "fast",
                              "-w", "stop"]), stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.pgcluster", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status", "url"])
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            start()
            print(f"PostGIS cluster ready at {database_url()} (data in {cluster_dir()})")
        elif args.action == "stop":
            stop()
            print("PostGIS cluster stopped")
        elif args.action == "status":
            running = is_running()
            print("running" if running else "stopped")
            return 0 if running else 3
        else:
            print(database_url())
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
