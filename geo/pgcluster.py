"""The project-local PostgreSQL + PostGIS cluster under ``var/``.

Run as ``python -m geo.pgcluster start|stop|status|url [--owner]``. It has no Django
dependency so the Makefile can call it before the project is configured.

The cluster listens on 127.0.0.1 and on a socket in ``var/postgres/run`` only. The
site connects over TCP as ``atlas_app``, a role that reads and writes rows and nothing
else; the migrations and the test suite as ``atlas_owner``, which owns the tables
(``geo/postgres_roles.sql`` makes both, as in a deployment). Their passwords are the
checkout's own, ``var/db-password-<role>`` (scram-sha-256 over TCP). The socket trusts
whoever can open it, and only the server's system user (and root) can: it is how this
module sets the cluster up as its superuser. PostgreSQL refuses to run as root, so when
invoked as root the server runs as the ``postgres`` system user.

A cluster made before the roles (its superuser ``atlas`` ran the site, and 127.0.0.1 was
trusted) is brought up to date in place by ``start``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import secrets
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
OWNER = "atlas_owner"
APP = "atlas_app"
# The bootstrap superuser: clusters made before the roles named it after the project.
SUPERUSERS = ("postgres", "atlas")
PORT = int(os.environ.get("ATLAS_PGPORT", "54329"))
ROLES_SQL = Path(__file__).resolve().parent / "postgres_roles.sql"

# Settings that make a throw-away development cluster quick without risking
# corruption: a crash may lose the last few commits, never the cluster.
CONF = f"""
# --- Regional Tourism Atlas local cluster ---
listen_addresses = '127.0.0.1'
port = {PORT}
shared_buffers = 256MB
work_mem = 32MB
maintenance_work_mem = 256MB
synchronous_commit = off
"""
# Settings a cluster made by an earlier version may lack: set with ALTER SYSTEM, and the
# server restarted when one differs. Each process keeps at most its pool's connections
# (config/settings.py, ATLAS_DB_POOL_SIZE), so 60 serve a development server, the test
# suite and the benchmarks at once. The socket is trusted: only its owner may open it.
# A backend whose client died (kill -9) notices it within 2 s (milliseconds here), even
# mid-query, and rolls back and lets go of its locks; else it ran on for minutes.
SERVER_SETTINGS = {"max_connections": "60", "unix_socket_permissions": "0700",
                   "client_connection_check_interval": "2000"}
HBA = """# Regional Tourism Atlas local cluster: geo/pgcluster.py writes this file.
# The socket (mode 0700): the server's system user, or root, sets the cluster up.
local   all   all                  trust
# TCP, loopback only: the roles' passwords (var/db-password-<role>).
host    all   all   127.0.0.1/32   scram-sha-256
"""


class ClusterError(RuntimeError):
    pass


def password_file(role: str) -> Path:
    return VAR_DIR / f"db-password-{role}"


def _password(role: str, create: bool = False) -> str:
    """The checkout's password for ``role`` ('' before ``start`` has made it)."""
    path = password_file(role)
    if create and not path.is_file():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        old = os.umask(0o077)
        try:
            path.write_text(secrets.token_urlsafe(32) + "\n")
        finally:
            os.umask(old)
    return path.read_text().strip() if path.is_file() else ""


def database_url(owner: bool = False) -> str:
    """The libpq URL of the local cluster's project database, as the application's role
    (``owner``: as the role that owns the tables and runs the migrations)."""
    role = OWNER if owner else APP
    return f"postgis://{role}:{_password(role)}@127.0.0.1:{PORT}/{DB_NAME}"


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


_superuser_name: str | None = None


def _psql_as(user: str, args: list[str], db: str = "postgres",
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    _, run_dir, _ = _paths()
    return subprocess.run(
        [str(_bindir() / "psql"), "-X", "-q", "-At", "-h", str(run_dir), "-p", str(PORT),
         "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})},
    )


def _superuser() -> str:
    """The cluster's bootstrap superuser (``postgres``, or ``atlas`` in an older one)."""
    global _superuser_name
    if _superuser_name is not None:
        return _superuser_name
    for user in SUPERUSERS:
        out = _psql_as(user, ["-c", "SELECT 1"])
        if out.returncode == 0:
            _superuser_name = user
            return user
        if "does not exist" not in out.stderr:
            raise ClusterError(f"psql failed: {out.stderr.strip()}")
    raise ClusterError(f"none of the roles {', '.join(SUPERUSERS)} can set the cluster up")


def _psql(sql: str, db: str = "postgres") -> str:
    out = _psql_as(_superuser(), ["-c", sql], db=db)
    if out.returncode != 0:
        raise ClusterError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def superuser_sql(sql: str, db: str = "postgres") -> str:
    """Run ``sql`` as the local cluster's superuser, through its socket (tests that make
    roles; the site's roles may not)."""
    return _psql(sql, db=db)


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
    _run([*owner, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSERS[0],
          "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
          "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
    conf = CONF + f"unix_socket_directories = '{run_dir}'\n" + "".join(
        f"{name} = '{value}'\n" for name, value in SERVER_SETTINGS.items())
    # Append through the server user so the file keeps its owner.
    subprocess.run([*owner, "tee", "-a", str(data / "postgresql.conf")], input=conf.encode(),
                   stdout=subprocess.DEVNULL, check=True)


def _pg_ctl(*args: str) -> None:
    data, _, log = _paths()
    try:
        _run(_as_server_user([str(_bindir() / "pg_ctl"), "-D", str(data), "-l", str(log),
                              "-w", "-t", "60", *args]), stdout=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
        raise ClusterError(
            f"the PostgreSQL server in {data} did not start. If port {PORT} is taken by "
            "another server, set ATLAS_PGPORT to a free port. Server log:\n  "
            + "\n  ".join(tail)
        ) from None


def _wait_ready() -> None:
    global _superuser_name
    _superuser_name = None
    for _ in range(50):
        try:
            _superuser()
            return
        except ClusterError:
            time.sleep(0.2)
    _superuser()


def _configure_server() -> None:
    """Bring the server's settings and client authentication to what this version says."""
    data, _, _ = _paths()
    names = ", ".join(f"'{name}'" for name in SERVER_SETTINGS)
    current = dict(
        line.split("|", 1) for line in _psql(
            f"SELECT name, setting FROM pg_settings WHERE name IN ({names})").splitlines())
    changed = {k: v for k, v in SERVER_SETTINGS.items() if current.get(k) != v}
    for name, value in changed.items():
        _psql(f"ALTER SYSTEM SET {name} = '{value}'")
    hba = data / "pg_hba.conf"
    probe = subprocess.run(_as_server_user(["cat", str(hba)]), capture_output=True, text=True)
    if probe.stdout != HBA:
        subprocess.run(_as_server_user(["tee", str(hba)]), input=HBA.encode(),
                       stdout=subprocess.DEVNULL, check=True)
        if not changed:
            _psql("SELECT pg_reload_conf()")
    if changed:
        _pg_ctl("restart")
        _wait_ready()


def _set_up_roles(db: str) -> None:
    """``geo/postgres_roles.sql`` for ``db``: the roles, the database, its owner and grants."""
    env = {"ATLAS_DB_OWNER_PASSWORD": _password(OWNER, create=True),
           "ATLAS_DB_APP_PASSWORD": _password(APP, create=True)}
    out = _psql_as(_superuser(), ["-v", f"db={db}", "-v", f"owner={OWNER}", "-v", f"app={APP}",
                                  "-f", str(ROLES_SQL)], env=env)
    if out.returncode != 0:
        raise ClusterError(f"setting up the roles of {db} failed: {out.stderr.strip()}")


def start() -> None:
    init()
    if not is_running():
        _pg_ctl("start")
    _wait_ready()
    _configure_server()
    _set_up_roles(DB_NAME)
    # Databases the superuser made before the roles (the test suite's, the benchmarks'):
    # handed to the owner, as the project's was.
    for db in _psql("SELECT datname FROM pg_database JOIN pg_roles ON datdba = pg_roles.oid "
                    "WHERE rolsuper AND NOT datistemplate AND datname <> 'postgres'"
                    ).splitlines():
        _set_up_roles(db)
    # The test suite's database is made by the owner from template1: PostGIS, which only a
    # superuser can create, is there already, and so are the application's grants.
    _psql("CREATE EXTENSION IF NOT EXISTS postgis; "
          f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
          f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP}; "
          f"ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} IN SCHEMA public "
          f"GRANT USAGE, SELECT ON SEQUENCES TO {APP}", db="template1")


def stop() -> None:
    data, _, _ = _paths()
    if is_running():
        _run(_as_server_user([str(_bindir() / "pg_ctl"), "-D", str(data), "-m", "fast",
                              "-w", "stop"]), stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.pgcluster", description=__doc__)
    parser.add_argument("action", choices=["start", "stop", "status", "url"])
    parser.add_argument("--owner", action="store_true",
                        help="url: the owner's (migrations), not the application's")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            start()
            print(f"PostGIS cluster ready at 127.0.0.1:{PORT}, database {DB_NAME}, roles "
                  f"{APP} and {OWNER} (data in {cluster_dir()})")
        elif args.action == "stop":
            stop()
            print("PostGIS cluster stopped")
        elif args.action == "status":
            running = is_running()
            print("running" if running else "stopped")
            return 0 if running else 3
        else:
            print(database_url(owner=args.owner))
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
