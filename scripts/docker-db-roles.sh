#!/bin/sh
# The PostGIS container runs this once, when it makes its data volume (docker-compose.yml):
# the owner and application roles and their grants, as in any deployment
# (geo/postgres_roles.sql, docs/deployment.md). The passwords are in the environment.
set -e
psql -X -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v db="$POSTGRES_DB" -v owner=atlas_owner -v app=atlas_app -f /atlas/postgres_roles.sql
