"""The PostgreSQL side of backups: how to reach the server (from Django's settings), its
own client programs, what a database holds, and the SQL a restore runs around the dump.

The password travels to the client programs in ``PGPASSWORD``, never on a command line
(which every user of the machine can read in ``ps``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.db import connections
from psycopg.conninfo import make_conninfo

from operations.exceptions import OperationError

# Django's OPTIONS that libpq also knows, and the environment variables its programs read.
LIBPQ_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslcrl": "PGSSLCRL", "passfile": "PGPASSFILE",
    "service": "PGSERVICE", "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "application_name": "PGAPPNAME",
    "gssencmode": "PGGSSENCMODE", "channel_binding": "PGCHANNELBINDING",
}
# Inherited from the operator's shell, these would send a program elsewhere than Django goes.
CONFLICTING_ENV = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE",
                   "PGSERVICE", "PGSERVICEFILE", *LIBPQ_ENV.values())
USER_SCHEMA = ("n.nspname NOT IN ('pg_catalog', 'information_schema') "
               "AND n.nspname NOT LIKE 'pg\\_%'")


def not_in_extension(catalog: str, oid: str) -> str:
    """SQL: the object is not part of an extension (PostGIS's spatial_ref_sys, say)."""
    return (f"NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{catalog}'::regclass "
            f"AND d.objid = {oid} AND d.deptype = 'e')")


@dataclass(frozen=True)
class Target:
    """One database, as ``settings.DATABASES[alias]`` (or the test runner) describes it."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, alias: str) -> Target:
        s = connections[alias].settings_dict
        options = {k: str(v) for k, v in (s.get("OPTIONS") or {}).items() if k in LIBPQ_ENV}
        return cls(name=s["NAME"], user=s.get("USER") or "", password=s.get("PASSWORD") or "",
                   host=s.get("HOST") or "", port=str(s.get("PORT") or ""), options=options)

    def env(self) -> dict[str, str]:
        """The environment of a client program: the operator's, with this connection."""
        env = {k: v for k, v in os.environ.items() if k not in CONFLICTING_ENV}
        given = {"PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user,
                 "PGPASSWORD": self.password, "PGDATABASE": self.name}
        given |= {LIBPQ_ENV[k]: v for k, v in self.options.items()}
        return env | {k: v for k, v in given.items() if v}

    def connect(self, *, autocommit: bool = True) -> psycopg.Connection[Any]:
        params = {"dbname": self.name, "user": self.user, "password": self.password,
                  "host": self.host, "port": self.port, **self.options}
        try:
            return psycopg.connect(
                make_conninfo(**{k: v for k, v in params.items() if v}), autocommit=autocommit)
        except psycopg.OperationalError as exc:
            raise OperationError(f"cannot connect to database {self.name}: {exc}") from None


def client_program(name: str, server_version_num: int) -> Path:
    """``pg_dump``, ``pg_restore`` or ``psql`` of the server's major version (or newer).

    ``ATLAS_PG_BINDIR`` names their folder; else Debian's /usr/lib/postgresql/<major>/bin;
    else the one on the PATH, if it is recent enough: an older pg_dump refuses a newer
    server, and a pg_restore of another major version may write SQL the server lacks.
    """
    major = server_version_num // 10000
    if os.environ.get("ATLAS_PG_BINDIR"):
        folders = [Path(os.environ["ATLAS_PG_BINDIR"])]
    else:
        folders = [Path(f"/usr/lib/postgresql/{major}/bin")]
        on_path = shutil.which(name)
        if on_path:
            folders.append(Path(on_path).parent)
    for folder in folders:
        program = folder / name
        if (program.is_file() and os.access(program, os.X_OK)
                and program_major(program) >= major):
            return program
    raise OperationError(
        f"no {name} of PostgreSQL {major} or newer (the server's version) in "
        f"{', '.join(map(str, folders))}: install postgresql-client-{major} or set "
        "ATLAS_PG_BINDIR to the folder that holds it")


def program_version(program: Path) -> str:
    """``pg_dump (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)``."""
    return subprocess.run([str(program), "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def program_major(program: Path) -> int:
    found = re.search(r"\(PostgreSQL\) (\d+)", program_version(program))
    return int(found.group(1)) if found else 0


def quote_ident(name: str) -> str:
    if "\0" in name:
        raise OperationError(f"bad name in the manifest: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def split_table(label: str) -> tuple[str, str]:
    """``schema.table`` as the manifest writes it → (schema, table)."""
    schema, _dot, table = label.partition(".")
    if not table:
        raise OperationError(f"bad table name in the manifest: {label!r}")
    return schema, table


# --- what a database holds (read inside the backup's snapshot, or before a restore) ---

def server_version_num(cur: psycopg.Cursor[Any]) -> int:
    row = cur.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0])


def server_facts(cur: psycopg.Cursor[Any]) -> dict[str, Any]:
    """PostgreSQL's and PostGIS's versions and the extensions installed (but plpgsql)."""
    row = cur.execute("SHOW server_version").fetchone()
    assert row is not None
    extensions = dict(cur.execute(
        "SELECT extname, extversion FROM pg_extension WHERE extname <> 'plpgsql' "
        "ORDER BY extname").fetchall())
    postgis = None
    if "postgis" in extensions:
        lib = cur.execute("SELECT postgis_lib_version()").fetchone()
        postgis = lib[0] if lib else None
    return {"postgresql": row[0], "postgresql_version_num": server_version_num(cur),
            "postgis": postgis, "extensions": extensions}


def user_tables(cur: psycopg.Cursor[Any]) -> list[str]:
    """Every table of the database's own, as ``schema.table``: not the catalogs' nor an
    extension's."""
    rows = cur.execute(f"""
        SELECT n.nspname || '.' || c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMA} AND {not_in_extension('pg_class', 'c.oid')}
        ORDER BY 1""").fetchall()
    return [r[0] for r in rows]


def row_counts(cur: psycopg.Cursor[Any], tables: list[str]) -> dict[str, int]:
    counts = {}
    for label in tables:
        schema, table = split_table(label)
        row = cur.execute(
            f"SELECT count(*) FROM {quote_ident(schema)}.{quote_ident(table)}").fetchone()
        assert row is not None
        counts[label] = int(row[0])
    return counts


def extension_rows(cur: psycopg.Cursor[Any]) -> dict[str, int]:
    """Rows the dump holds of the extensions' own tables, as ``schema.table``: those the
    extension marks as its users' (PostGIS's spatial_ref_sys: the SRIDs someone added)."""
    configs = cur.execute("""
        SELECT n.nspname, c.relname, x.cond
        FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(cfg, cond)
        JOIN pg_class c ON c.oid = x.cfg JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' ORDER BY 1, 2""").fetchall()
    counts = {}
    for schema, table, condition in configs:
        # The condition is the extension's own SQL (``WHERE NOT (srid BETWEEN …)``).
        row = cur.execute(f"SELECT count(*) FROM {quote_ident(schema)}.{quote_ident(table)} "
                          f"{condition or ''}").fetchone()
        assert row is not None
        counts[f"{schema}.{table}"] = int(row[0])
    return counts


def applied_migrations(cur: psycopg.Cursor[Any]) -> dict[str, list[str]]:
    """Django's migrations recorded in the database, by app, in the order applied."""
    found = cur.execute("SELECT to_regclass('django_migrations')").fetchone()
    if not found or found[0] is None:
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in cur.execute("SELECT app, name FROM django_migrations ORDER BY id"):
        applied.setdefault(app, []).append(name)
    return applied


# --- the SQL a restore runs in the same transaction as the dump's ---

def extensions_sql(extensions: list[str]) -> str:
    """Create the extensions the dump needs, if missing. The dump's own CREATE/DROP
    EXTENSION are left out of the restore: on a server where an administrator installed
    PostGIS, the platform's role may use it but neither drop nor create it."""
    return "".join(f"CREATE EXTENSION IF NOT EXISTS {quote_ident(e)};\n" for e in extensions)


def wipe_sql() -> str:
    """Drop every object of the database's own (not an extension's): a database replaced
    by a backup keeps nothing the backup lacks — a table of a newer migration, say, which
    the migrate after a restore of an older backup would find in its way."""
    ext = not_in_extension
    return f"""
DO $atlas$
DECLARE statement text;
BEGIN
  -- Listed whole before the first drop: a cascade removes some of the later ones.
  FOREACH statement IN ARRAY ARRAY(SELECT sql FROM (
    SELECT CASE c.relkind WHEN 'v' THEN 1 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END AS rank,
           format('DROP %s IF EXISTS %I.%I CASCADE',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                  WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                  n.nspname, c.relname) AS sql
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm', 'r', 'p', 'f', 'S') AND {USER_SCHEMA}
      AND {ext('pg_class', 'c.oid')}
      -- A column's own sequence (serial, identity) goes with its table.
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                      AND d.refobjsubid > 0)
    UNION ALL
    SELECT 4, format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
                     CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END,
                     n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p', 'a') AND {USER_SCHEMA} AND {ext('pg_proc', 'p.oid')}
    UNION ALL
    SELECT 5, format('DROP %s IF EXISTS %I.%I CASCADE',
                     CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
                     n.nspname, t.typname)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('d', 'e', 'r', 'c') AND {USER_SCHEMA} AND {ext('pg_type', 't.oid')}
      AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
  ) drops ORDER BY rank)
  LOOP
    EXECUTE statement;
  END LOOP;
END $atlas$;
"""


def counts_check_sql(counts: dict[str, int]) -> str:
    """Fail the restore's transaction unless every table holds the rows the manifest
    counted in the backup's snapshot."""
    lines = []
    for label, rows in sorted(counts.items()):
        schema, table = split_table(label)
        lines.append(
            f"  SELECT count(*) INTO n FROM {quote_ident(schema)}.{quote_ident(table)};\n"
            f"  IF n <> {int(rows)} THEN RAISE EXCEPTION 'table % holds % rows after the "
            f"restore, the backup held {int(rows)}', {quote_literal(label)}, n; END IF;\n")
    return ("DO $atlas$\nDECLARE n bigint;\nBEGIN\n  NULL;\n" + "".join(lines)
            + "END $atlas$;\n")


def restore_list(pg_restore: Path, dump: Path, empty: list[str]) -> str:
    """The dump's table of contents without its extensions (see ``extensions_sql``) nor
    the data of the extensions' tables in ``empty`` (``schema.table``), of which it holds
    no row: writing none still needs a right on spatial_ref_sys that only a superuser has.
    """
    toc = subprocess.run([str(pg_restore), "-l", str(dump)], capture_output=True, text=True)
    if toc.returncode != 0:
        raise OperationError(f"pg_restore cannot read the dump: {toc.stderr.strip()}")
    extension = re.compile(r"^\d+;\s+\d+\s+\d+\s+(EXTENSION|COMMENT\s+-\s+EXTENSION)\s")
    no_rows = re.compile(r"^\d+;\s+\d+\s+\d+\s+TABLE DATA (\S+) (\S+) ")

    def left_out(line: str) -> bool:
        data = no_rows.match(line)
        return bool(extension.match(line) or (data and ".".join(data.groups()) in empty))

    return "".join(f";{line}" if left_out(line) else line
                   for line in toc.stdout.splitlines(keepends=True))
