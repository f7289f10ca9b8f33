"""Bulk imports add rows to the trigram search indexes in a large pending list.

GIN inserts of 100,000 rows straight into the tree cost several seconds; with a
64 MB pending list they are appended and merged later (by autovacuum or when
the list is full), and searches read the list meanwhile.
"""

from django.db import migrations

SQL = """
ALTER INDEX attraction_search_trgm SET (fastupdate = on, gin_pending_list_limit = 65536);
ALTER INDEX trail_search_trgm SET (fastupdate = on, gin_pending_list_limit = 65536);
"""
REVERSE = """
ALTER INDEX attraction_search_trgm RESET (gin_pending_list_limit);
ALTER INDEX trail_search_trgm RESET (gin_pending_list_limit);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0006_data_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
