"""``atlas_analyze`` also counts again the statistics of the public-transport tables.

A feed goes in with COPY as the site's role, which owns no table and may not ANALYZE:
the departures' joins over a fresh feed were planned on statistics that said its tables
were empty until autovacuum came by. The function keeps its checks (importers migration
0005); only its list of tables grows.
"""

from importlib import import_module

from django.db import migrations

analyze = import_module("importers.migrations.0005_atlas_analyze")
TRANSIT_TABLES = ("transit_stop", "transit_trip", "transit_stoptime", "transit_calendar",
                  "transit_calendardate", "transit_line")


class Migration(migrations.Migration):

    dependencies = [
        ("transit", "0001_feeds"),
        ("importers", "0007_previews_in_background"),
    ]

    operations = [migrations.RunSQL(analyze.function(analyze.TABLES + TRANSIT_TABLES),
                                    analyze.SQL)]
