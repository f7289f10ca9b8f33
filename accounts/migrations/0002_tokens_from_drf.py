"""The REST framework's old tokens (plaintext, never expiring) become hashed write tokens
that expire 30 days after this migration, so that partners' scripts keep working while
their owners make new ones; the plaintext table is dropped."""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

# django-rest-knox keeps a token as the SHA-512 of its text and its first 15 characters.
KEY_LENGTH = 15


def tokens_from_drf(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT to_regclass('authtoken_token') IS NOT NULL")
        if not cur.fetchone()[0]:
            return
        cur.execute("SELECT key, user_id FROM authtoken_token")
        rows = cur.fetchall()
        ApiToken = apps.get_model("accounts", "ApiToken")
        expiry = timezone.now() + timedelta(days=30)
        ApiToken.objects.bulk_create([
            ApiToken(digest=hashlib.sha512(key.encode()).hexdigest(), token_key=key[:KEY_LENGTH],
                     user_id=user_id, expiry=expiry, scope="write",
                     name="the old API token: make a new one before it expires")
            for key, user_id in rows])
        cur.execute("DROP TABLE authtoken_token")
        cur.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):

    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunPython(tokens_from_drf, migrations.RunPython.noop),
    ]
