"""Backing the platform up and restoring it: ``backup_create`` and ``backup_restore``.

What a backup holds, and what it leaves out on purpose:

- the database, whole: ``pg_dump -Fc`` in a snapshot, of which the manifest also counts
  every table's rows and records the migrations applied;
- the uploaded files under ``MEDIA_ROOT`` (when set): what people uploaded, which nothing
  else holds;
- not ``ATLAS_UPLOAD_DIR``: files waiting, at most ``ATLAS_UPLOAD_TTL_HOURS``, between an
  import's preview and its confirmation. Their importer still has them (a preview never
  outlives its page), the token that finds them lives only in that page, and each may be
  as large as ``ATLAS_IMPORT_MAX_FILE_BYTES``: a backup would carry dead weight of
  untrusted files;
- not the secret key (``var/secret-key`` or ``ATLAS_SECRET_KEY``): a credential, which an
  archive would spread; a restored platform with a key of its own loses only the open
  sessions. Nor ``var/static`` (collectstatic makes it) nor the local cluster's files (the
  dump is the database).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from operations import archive, postgres
from operations.exceptions import OperationError
from operations.postgres import Target

Say = Callable[[str], None]


@dataclass
class Backup:
    path: Path
    sha256: str
    size: int
    manifest: dict[str, Any]


@dataclass
class Restored:
    manifest: dict[str, Any]
    migrated: list[str]
    notes: list[str]


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"atlas-{stamp}.tar"


def media_root() -> Path | None:
    return Path(settings.MEDIA_ROOT).resolve() if settings.MEDIA_ROOT else None


def platform_facts() -> dict[str, Any]:
    """The platform's version, and the git commit of its checkout when there is one."""
    try:
        version: str | None = importlib.metadata.version("regional-tourism-atlas")
    except importlib.metadata.PackageNotFoundError:
        version = None
    try:
        commit: str | None = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True,
            text=True, timeout=10, check=True).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None  # a Docker image has no .git
    return {"version": version, "git_commit": commit, "django": django.get_version()}


def backup_create(*, output: Path, database: str = DEFAULT_DB_ALIAS, say: Say = print
                  ) -> Backup:
    """Write a backup of the platform to ``output`` (a tar) and ``output``.sha256."""
    output = output.absolute()
    if output.exists():
        raise OperationError(f"{output} exists already: give another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    target = Target.of(database)
    # Beside the archive, not in /tmp: the dump is as large as the archive.
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".atlas-backup-") as work:
        dump = Path(work) / archive.DUMP
        facts = _dump(target, dump, say)
        members = [(archive.DUMP, dump)]
        root = media_root()
        media = list(_media_files(root)) if root else []
        members += [(f"{archive.MEDIA}/{rel}", path) for rel, path in media]
        manifest = {
            "format": archive.FORMAT, "format_version": archive.FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": platform_facts(), **facts,
            "files": {
                "media_root": str(root) if root else None, "media_files": len(media),
                "left_out": {
                    "ATLAS_UPLOAD_DIR": "uploads waiting for their import's confirmation "
                                        "(temporary; the importer keeps the file)",
                    "secret key": "a credential; a restored platform uses its own",
                    "STATIC_ROOT": "made by collectstatic"}},
        }
        say(f"Writing {output}")
        digest = archive.archive_write(output=output, manifest=manifest, members=members)
    return Backup(path=output, sha256=digest, size=output.stat().st_size, manifest=manifest)


def _dump(target: Target, dump: Path, say: Say) -> dict[str, Any]:
    """pg_dump into ``dump``, and what the manifest says of the database, both read in one
    snapshot: the counts are those of the dump even while the platform is written to."""
    with target.connect(autocommit=False) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cur:
            row = cur.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            server = postgres.server_facts(cur)
            server["extension_rows"] = postgres.extension_rows(cur)
            migrations = postgres.applied_migrations(cur)
            counts = postgres.row_counts(cur, postgres.user_tables(cur))
            pg_dump = postgres.client_program("pg_dump", server["postgresql_version_num"])
            say(f"Dumping database {target.name} (PostgreSQL {server['postgresql']}, "
                f"PostGIS {server['postgis']}) with {pg_dump}")
            done = subprocess.run(
                [str(pg_dump), "--format=custom", f"--snapshot={row[0]}", f"--file={dump}"],
                env=target.env(), capture_output=True, text=True)
            if done.returncode != 0:
                raise OperationError(f"pg_dump failed: {done.stderr.strip()}")
        conn.rollback()
    return {
        "database": {"name": target.name, **server,
                     "pg_dump": postgres.program_version(pg_dump),
                     "pg_dump_major": postgres.program_major(pg_dump)},
        "migrations": migrations, "counts": counts,
    }


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """(path under the root, with /) of every regular file under ``root``; links are not
    followed, so nothing outside the root is taken."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def backup_restore(*, path: Path, database: str = DEFAULT_DB_ALIAS, force: bool = False,
                   expected_sha256: str | None = None, say: Say = print) -> Restored:
    """Replace the database (and MEDIA_ROOT) with the backup at ``path``.

    Nothing is changed before the archive is checked whole and the target is found
    fit: empty, unless ``force``. The database is restored in one transaction, which
    fails unless every table then holds the rows the backup counted. A backup from an
    older version of the platform is migrated after; one from a newer version is refused.
    """
    target = Target.of(database)
    root = media_root()
    # Beside MEDIA_ROOT when there is one: its files are then moved in place, not copied.
    with tempfile.TemporaryDirectory(prefix=".atlas-restore-", dir=root.parent
                                     if root and root.parent.is_dir() else None) as work:
        unpacked = archive.archive_unpack(archive=path, into=Path(work),
                                          expected_sha256=expected_sha256)
        manifest = unpacked.manifest
        say(f"Checked {path}: {len(manifest['members'])} member(s) match the manifest; "
            + "; ".join(unpacked.notes))
        notes: list[str] = []
        _refuse_newer_migrations(manifest)
        media = list(unpacked.media())
        if media and root is None:
            raise OperationError(f"the backup holds {len(media)} uploaded file(s) but "
                                 "MEDIA_ROOT is not set here: set it, then restore")
        restore_media = root is not None and manifest["files"].get("media_root") is not None
        with target.connect() as conn, conn.cursor() as cur:
            version = postgres.server_version_num(cur)
            tables = postgres.user_tables(cur)
        notes += _refuse_unfit_target(target, manifest, version, tables, force,
                                      root if restore_media else None)
        connections[database].close()
        say(f"Restoring database {target.name} from the backup of "
            f"{manifest['created_at']}" + (f", replacing its {len(tables)} tables"
                                           if tables else ""))
        _restore_database(target, unpacked.dump, manifest, version, wipe=bool(tables))
        if restore_media and root is not None:
            try:
                notes += _swap_media(root, media, Path(work))
            except OSError as exc:
                raise OperationError(f"the database was restored, but not the uploaded "
                                     f"files to {root}: {exc}") from None
    connections[database].close()
    migrated = _migrate(database, say)
    return Restored(manifest=manifest, migrated=migrated, notes=notes)


def _refuse_newer_migrations(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known |= set(migration.replaces)
    unknown = [f"{app}.{name}" for app, names in manifest["migrations"].items()
               for name in names if (app, name) not in known]
    if unknown:
        made_by = manifest["platform"].get("git_commit") or manifest["platform"].get("version")
        raise OperationError(
            f"the backup was made by a newer version of the platform ({made_by}): it has "
            f"migrations this code does not know ({', '.join(unknown[:5])}"
            f"{', …' if len(unknown) > 5 else ''}); restore it with that version or a later "
            "one")


def _refuse_unfit_target(target: Target, manifest: dict[str, Any], version: int,
                         tables: list[str], force: bool, root: Path | None) -> list[str]:
    notes = []
    held = [p for p in root.rglob("*") if p.is_file()] if root and root.is_dir() else []
    if (tables or held) and not force:
        what = [f"database {target.name} holds {len(tables)} tables"] if tables else []
        what += [f"MEDIA_ROOT {root} holds {len(held)} file(s)"] if held else []
        raise OperationError(
            f"{' and '.join(what)}: restoring would replace them. Nothing was changed; "
            "restore into an empty database, or add --force to replace it")
    backup_major = manifest["database"]["postgresql_version_num"] // 10000
    if manifest["database"].get("pg_dump_major", 0) > version // 10000:
        raise OperationError(
            f"the backup was dumped by {manifest['database']['pg_dump']}, newer than this "
            f"server (PostgreSQL {version // 10000}), whose pg_restore cannot read it: "
            f"restore onto PostgreSQL {manifest['database']['pg_dump_major']} or later")
    if backup_major != version // 10000:
        notes.append(f"the backup is of PostgreSQL {backup_major}, this server is "
                     f"{version // 10000}")
    return notes


def _restore_database(target: Target, dump: Path, manifest: dict[str, Any], version: int,
                      *, wipe: bool) -> None:
    """pg_restore's SQL, through psql, in one transaction with what must go with it.

    pg_restore (--clean --if-exists: drop each object before making it; --no-owner,
    --no-acl: the owners and grants of the server the backup came from need not exist
    here) writes the SQL; psql runs it between our BEGIN and COMMIT, after the
    extensions and, for a database being replaced, the drop of what it holds, and before
    the check of every table's rows. ON_ERROR_STOP: the first error ends the session,
    the COMMIT never runs, and the database is as it was.
    """
    pg_restore = postgres.client_program("pg_restore", version)
    psql = postgres.client_program("psql", version)
    with tempfile.TemporaryDirectory(prefix=".atlas-restore-") as work:
        listing = Path(work) / "restore.list"
        empty = [t for t, n in manifest["database"].get("extension_rows", {}).items() if n == 0]
        listing.write_text(postgres.restore_list(pg_restore, dump, empty))
        restore_err, psql_err = Path(work) / "pg_restore.err", Path(work) / "psql.err"
        head = ("SET client_min_messages = warning;\nBEGIN;\n"
                + postgres.extensions_sql(list(manifest["database"]["extensions"]))
                + (postgres.wipe_sql() if wipe else ""))
        tail = postgres.counts_check_sql(manifest["counts"]) + "COMMIT;\n"
        env = target.env()
        with restore_err.open("wb") as rerr, psql_err.open("wb") as perr:
            writer = subprocess.Popen(
                [str(pg_restore), "--clean", "--if-exists", "--no-owner", "--no-acl",
                 f"--use-list={listing}", "--file=-", str(dump)],
                stdout=subprocess.PIPE, stderr=rerr, env=env)
            runner = subprocess.Popen(
                [str(psql), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--file=-"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=perr, env=env)
            assert writer.stdout is not None and runner.stdin is not None
            try:
                runner.stdin.write(head.encode())
                shutil.copyfileobj(writer.stdout, runner.stdin, archive.CHUNK)
                # The COMMIT goes only after the whole of pg_restore's SQL.
                if writer.wait() == 0:
                    runner.stdin.write(tail.encode())
            except BrokenPipeError:
                pass  # psql stopped at an error: its own message says which
            finally:
                writer.stdout.close()
                if writer.poll() is None:  # psql stopped first: pg_restore is not needed
                    writer.kill()
                writer.wait()
                with contextlib.suppress(BrokenPipeError):
                    runner.stdin.close()
                runner.wait()
        if writer.returncode != 0:
            raise OperationError("pg_restore failed; the database was left as it was: "
                                 + restore_err.read_text(errors="replace").strip())
        if runner.returncode != 0:
            raise OperationError("the restore failed and was rolled back; the database was "
                                 "left as it was: "
                                 + psql_err.read_text(errors="replace").strip()[-2000:])


def _swap_media(root: Path, media: list[tuple[str, Path]], work: Path) -> list[str]:
    """Put the backup's files in MEDIA_ROOT's place; the files that were there are moved
    aside, not deleted."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    staged = root.with_name(f".{root.name}.restoring-{stamp}")
    staged.mkdir(parents=True)  # MEDIA_ROOT's parent too, on a new server
    for rel, path in media:
        dest = staged / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, dest)
    notes = []
    if root.exists():
        if any(root.iterdir()):
            aside = root.with_name(f"{root.name}.replaced-{stamp}")
            root.rename(aside)
            notes.append(f"the files that were in MEDIA_ROOT are in {aside}")
        else:
            root.rmdir()
    staged.rename(root)
    notes.append(f"{len(media)} uploaded file(s) restored to {root}")
    return notes


def _migrate(database: str, say: Say) -> list[str]:
    """Apply the migrations the code has and the backup had not (a backup of an older
    version); the names applied."""
    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    names = [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]
    if names:
        say(f"The backup is of an older version: applying {len(names)} migration(s): "
            + ", ".join(names))
        call_command("migrate", database=database, interactive=False, verbosity=0)
    return names


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False)
