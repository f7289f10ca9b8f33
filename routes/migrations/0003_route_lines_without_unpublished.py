"""A route's stored line (lists, tiles, OGC API) leaves out the legs that reach a stop or
follow a trail that is not public (Trust D3, D13): routes saved before that drew them.
From now on ``routes.services.route_recompute`` keeps the line so; the SQL below is the
same rule, frozen (``routes.selectors.leg_shown_sql``)."""

from django.db import migrations

HIDDEN = """
    EXISTS (SELECT 1 FROM routes_routestop hs
            JOIN layers_attraction ha ON ha.id = hs.attraction_id
            JOIN layers_layer hl ON hl.id = ha.layer_id
            WHERE hs.route_id = g.route_id AND hs."order" IN (g."order", g."order" + 1)
              AND hl.visibility <> 'public')
    OR EXISTS (SELECT 1 FROM layers_trail ht JOIN layers_layer htl ON htl.id = ht.layer_id
               WHERE ht.id = g.trail_id AND htl.visibility <> 'public')"""

SQL = f"""
UPDATE routes_pilotroute r SET geom = (
    SELECT ST_Multi(ST_Collect(ST_Force2D(g.geom) ORDER BY g."order"))
    FROM routes_routeleg g WHERE g.route_id = r.id AND g.geom IS NOT NULL AND NOT ({HIDDEN}))
WHERE EXISTS (SELECT 1 FROM routes_routeleg g WHERE g.route_id = r.id AND ({HIDDEN}))
"""


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0002_geometry_checks_search"),
        ("layers", "0013_partner_territory"),
    ]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
