-- The project database and its two roles (docs/deployment.md):
--   owner  owns the database and its tables, and runs the migrations;
--   app    what the site connects as: reads and writes rows, and nothing else
--          (no superuser, no CREATE, ALTER or DROP).
-- Run by psql as a superuser, connected to any database of the server; every step may run
-- again (an existing server is brought up to date, tables made before are handed over):
--   ATLAS_DB_OWNER_PASSWORD=… ATLAS_DB_APP_PASSWORD=… psql -X -v ON_ERROR_STOP=1 \
--     -v db=atlas -v owner=atlas_owner -v app=atlas_app -f geo/postgres_roles.sql postgres
-- The local cluster (geo/pgcluster.py) and the Docker database run this same file.
-- Passwords come from the environment, so that no command line shows them.

\set QUIET on
\getenv owner_password ATLAS_DB_OWNER_PASSWORD
\getenv app_password ATLAS_DB_APP_PASSWORD
SET password_encryption = 'scram-sha-256';

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') AS missing \gset
\if :missing
CREATE ROLE :"owner";
\endif
-- CREATEDB: the test suite, which connects as the owner, makes its own test database.
ALTER ROLE :"owner" LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') AS missing \gset
\if :missing
CREATE ROLE :"app";
\endif
ALTER ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';

SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') AS missing \gset
\if :missing
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8';
\endif
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
-- TEMPORARY: the importers stage a file's rows in a temporary table.
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

\connect :"db"
\set QUIET on
-- PostGIS is not a trusted extension: only a superuser can create it.
CREATE EXTENSION IF NOT EXISTS postgis;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Tables, views, sequences and functions made before this role split (by a superuser that
-- ran the migrations) go to the owner. A sequence that belongs to a column moves with its
-- table; the extensions' own objects stay where they are.
SELECT format('ALTER %s %s OWNER TO %I',
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                             ELSE 'TABLE' END,
              c.oid::regclass, :'owner')
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND c.relowner <> :'owner'::regrole
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
\gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'owner')
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
  AND p.proowner <> :'owner'::regrole
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                  AND d.objid = p.oid AND d.deptype = 'e')
\gexec

-- The application's rights on the owner's tables, those there now and those the next
-- migrations make.
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', c.oid::regclass, :'app')
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'f')
  AND c.relowner = :'owner'::regrole
\gexec
SELECT format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', c.oid::regclass, :'app')
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
  AND c.relowner = :'owner'::regrole
\gexec
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";
