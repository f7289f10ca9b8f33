"""How backup and restore reach the database: Django's settings, the password in the
environment only, and an archive never written over."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from operations.postgres import Target


def test_the_password_goes_in_the_environment_and_the_shells_own_pg_settings_are_ignored(
        monkeypatch):
    monkeypatch.setenv("PGHOST", "elsewhere.example.org")
    monkeypatch.setenv("PGPASSWORD", "the shell's")
    target = Target(name="atlas", user="atlas_app", password="s3cret pass", host="db",
                    port="5432", options={"sslmode": "require"})

    env = target.env()

    assert env["PGPASSWORD"] == "s3cret pass" and env["PGHOST"] == "db"
    assert env["PGUSER"] == "atlas_app" and env["PGDATABASE"] == "atlas"
    assert env["PGSSLMODE"] == "require" and env["PGPORT"] == "5432"


def test_a_target_without_password_sends_none_of_the_shells(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "the shell's")
    assert "PGPASSWORD" not in Target(name="atlas", user="atlas").env()


def test_a_backup_never_writes_over_an_archive(tmp_path: Path):
    kept = tmp_path / "atlas.tar"
    kept.write_bytes(b"last night's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(kept))
    assert kept.read_bytes() == b"last night's backup"


def test_a_restore_of_a_file_that_is_no_archive_says_so(tmp_path: Path):
    junk = tmp_path / "atlas.tar"
    junk.write_bytes(b"<html>the backup server's error page</html>")
    with pytest.raises(CommandError, match="is damaged or is not a backup archive"):
        call_command("restore", str(junk))
