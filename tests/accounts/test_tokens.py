"""API tokens (Trust D16): hashed, expiring, scoped to read or write, revocable by their
owner; and the REST framework's old plaintext tokens carried over.

Before the fix a token was kept as its own text in the database, lived for ever, and could
do whatever its owner could.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import ApiToken
from importers.models import ImportRun
from tests.accounts.conftest import auth, import_form
from tests.factories import make_token, run_queued_imports

pytestmark = pytest.mark.django_db


def test_the_database_keeps_no_token_text(client, world):
    text = world["tokens"]["editor of A"]
    with connection.cursor() as cur:
        cur.execute("SELECT to_jsonb(t)::text FROM accounts_apitoken t")
        rows = " ".join(r[0] for r in cur.fetchall())
    assert text not in rows and text[:15] in rows  # only its first characters, to name it
    assert client.get("/api/tokens/", **auth(text)).status_code == 200


def test_a_token_expires(client, world, settings):
    made = client.post("/api/tokens/", {"scope": "write", "days": 7},
                       **auth(world["tokens"]["editor of A"]))
    assert made.status_code == 201
    body = made.json()
    expiry = timezone.datetime.fromisoformat(body["expiry"].replace("Z", "+00:00"))
    assert timedelta(days=6, hours=23) < expiry - timezone.now() <= timedelta(days=7)
    ApiToken.objects.filter(token_key=body["key"]).update(
        expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/tokens/", **auth(body["token"])).status_code == 401


def test_a_token_lives_the_default_days_and_no_longer_than_the_maximum(client, world,
                                                                       settings):
    token = world["tokens"]["editor of A"]
    listed = client.get("/api/tokens/", **auth(token)).json()["tokens"]
    expiry = timezone.datetime.fromisoformat(listed[0]["expiry"].replace("Z", "+00:00"))
    assert (expiry - timezone.now()).days == settings.ATLAS_API_TOKEN_DAYS - 1
    too_long = client.post("/api/tokens/", {"days": settings.ATLAS_API_TOKEN_MAX_DAYS + 1},
                           **auth(token))
    assert too_long.status_code == 400 and too_long.json()["parameter"] == "days"


def test_a_read_token_reads_but_neither_imports_undoes_composes_nor_makes_tokens(
        client, world):
    editor = world["users"]["editor of A"]
    run = client.post("/api/imports/", import_form(world["a"]),
                      **auth(world["tokens"]["editor of A"])).json()["id"]
    run_queued_imports()
    read = auth(make_token(editor, scope="read"))
    assert client.get(f"/api/imports/{run}/", **read).status_code == 200
    refusals = [
        client.post("/api/imports/", import_form(world["a"], layer="other"), **read),
        client.post(f"/api/imports/{run}/undo/", **read),
        client.delete(f"/api/imports/{run}/", **read),
        client.put(f"/api/routes/{world['route'].slug}/composition/",
                   {"stops": [{"id": str(a.uid)} for a in world["stops"]], "modes": ["car"]},
                   content_type="application/json", **read),
        client.post("/api/tokens/", {"scope": "write"}, **read),
    ]
    assert [r.status_code for r in refusals] == [403] * 5
    assert "read" in refusals[0].json()["error"]
    assert ImportRun.objects.get(pk=run).status == "succeeded"
    assert ImportRun.objects.count() == 1 and world["route"].stops.count() == 0


def test_an_owner_lists_and_revokes_their_tokens(client, world):
    editor = world["users"]["editor of A"]
    second = make_token(editor, scope="read")
    main = auth(world["tokens"]["editor of A"])
    listed = client.get("/api/tokens/", **main).json()["tokens"]
    assert sorted(t["scope"] for t in listed) == ["read", "write"]
    assert all("token" not in t for t in listed)  # the text is shown once, when made
    assert client.delete(f"/api/tokens/{second[:15]}/", **main).status_code == 204
    assert client.get("/api/tokens/", **auth(second)).status_code == 401
    assert len(client.get("/api/tokens/", **main).json()["tokens"]) == 1


def test_a_signed_in_editor_makes_a_token_in_the_browser_session(client, world):
    client.force_login(world["users"]["editor of A"])
    made = client.post("/api/tokens/", {"scope": "write", "name": "nightly import"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["name"] == "nightly import"
    response = client.post("/api/imports/", import_form(world["a"]),
                           **auth(made.json()["token"]))
    assert response.status_code == 202


def test_the_command_makes_lists_and_revokes_a_users_tokens(client, world):
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", "editor-a", "--scope", "write", "--days", "3",
                 stdout=out, stderr=err)
    text = out.getvalue().strip()
    assert "shown only now" in err.getvalue()
    assert client.post("/api/imports/", import_form(world["a"]),
                       **auth(text)).status_code == 202
    out = StringIO()
    call_command("api_token", "list", "editor-a", stdout=out)
    assert text[:15] in out.getvalue() and "write" in out.getvalue()
    call_command("api_token", "revoke", "editor-a", text[:15], stdout=StringIO())
    assert client.get("/api/tokens/", **auth(text)).status_code == 401


def test_an_old_plaintext_token_is_carried_over_hashed_for_30_days_then_its_table_dropped(
        client, world):
    editor = world["users"]["editor of A"]
    old = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                    "created timestamptz NOT NULL, user_id integer NOT NULL)")
        cur.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old, editor.pk])
    migration = importlib.import_module(
        "accounts.migrations.0002_tokens_from_drf")
    migration.tokens_from_drf(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('authtoken_token')")
        assert cur.fetchone()[0] is None
    carried = ApiToken.objects.get(token_key=old[:15])
    assert carried.scope == "write" and carried.digest != old
    assert timedelta(days=29) < carried.expiry - timezone.now() <= timedelta(days=30)
    assert client.post("/api/imports/", import_form(world["a"]),
                       **auth(old)).status_code == 202


def test_a_superuser_sees_and_revokes_tokens_in_the_admin_without_their_text(client, world):
    text = world["tokens"]["editor of A"]
    client.force_login(world["users"]["superuser"])
    page = client.get("/admin/accounts/apitoken/").content.decode()
    assert text[:15] in page and text not in page
    digest = ApiToken.objects.get(token_key=text[:15]).pk
    client.post(f"/admin/accounts/apitoken/{digest}/delete/", {"post": "yes"})
    assert client.get("/api/tokens/", **auth(text)).status_code == 401
