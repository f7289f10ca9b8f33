"""``atlas_analyze(table, columns)``: the importers refresh the statistics of the feature
tables they write, whatever role the site connects as (Trust D5).

PostgreSQL 15 lets only a table's owner ANALYZE it; the site connects as the
application's role, which owns no table, and its ANALYZE was skipped with a warning:
a re-import right after a large first import planned its joins on statistics that
said the layer was empty. This function belongs to the role that runs the migrations
(the tables' owner) and runs as it (SECURITY DEFINER), for a fixed list of tables only.

Who may call it: every role (EXECUTE for PUBLIC, PostgreSQL's default, said explicitly)
that may write rows of the table it names; the function checks that itself. The
migration cannot know the application role's name (each deployment gives it in
DATABASE_URL; with DATABASE_URL alone the one role is both; a backup restored on
another server keeps its grants by name), and a grant to a role that does not exist
fails. A role that may insert, update or delete a table's rows can already change what
its statistics should say; letting it ask for them to be counted again gives it
nothing more.
"""

from django.db import migrations

TABLES = ("layers_attraction", "layers_trail", "importers_runchange")

TEMPLATE = """
CREATE OR REPLACE FUNCTION atlas_analyze(target regclass, columns text[] DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
-- A caller's search_path must not decide what the owner's code resolves to.
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  schema_name name;
  table_name name;
  column_list text;
  found bigint;
BEGIN
  SELECT n.nspname, c.relname INTO schema_name, table_name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = target AND c.relkind = 'r';
  -- A temporary table of the same name is in another schema: refused as well.
  IF schema_name IS DISTINCT FROM 'public' OR NOT table_name = ANY ({tables}) THEN
    RAISE EXCEPTION 'atlas_analyze refreshes the feature tables only, not %', target
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- session_user: inside this function current_user is the owner.
  IF NOT has_table_privilege(session_user, target, 'INSERT, UPDATE, DELETE') THEN
    RAISE EXCEPTION 'role % may not write %: it may not refresh its statistics',
      session_user, target USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF columns IS NULL THEN
    EXECUTE format('ANALYZE %I.%I', schema_name, table_name);
    RETURN;
  END IF;
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), count(*)
    INTO column_list, found
  FROM pg_attribute a
  WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped
    AND a.attname = ANY (columns);
  IF found = 0 OR found <> (SELECT count(DISTINCT c) FROM unnest(columns) c) THEN
    RAISE EXCEPTION 'atlas_analyze: % has no column among %', target, columns
      USING ERRCODE = 'undefined_column';
  END IF;
  EXECUTE format('ANALYZE %I.%I (%s)', schema_name, table_name, column_list);
END
$$;
GRANT EXECUTE ON FUNCTION atlas_analyze(regclass, text[]) TO PUBLIC;
"""


def function(tables: tuple[str, ...]) -> str:
    """The function's SQL for the list of ``tables`` (later migrations widen it)."""
    return TEMPLATE.replace("{tables}", "ARRAY[" + ", ".join(f"'{t}'" for t in tables)
                            + "]::name[]")


SQL = function(TABLES)

REVERSE = "DROP FUNCTION IF EXISTS atlas_analyze(regclass, text[]);"


class Migration(migrations.Migration):

    dependencies = [
        ("importers", "0004_run_partner"),
        ("layers", "0016_partner_data_version"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
