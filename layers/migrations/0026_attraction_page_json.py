"""Each attraction keeps its GeoJSON Feature as text, in parts, so that a page of them is
an index scan and a concatenation (decision 0023; layers/selectors/stored.py reads them).

The parts are kept by triggers, so that every writer keeps them true: importers, the
admin, the API, undo and restore all write the row, and a BEFORE trigger recomputes its
parts on every INSERT and UPDATE. What the Feature takes from other rows has its own
trigger, which sets ``page_head`` to NULL on the attractions concerned (an UPDATE, so the
row trigger recomputes them): a layer's or partner's slug, the layer's partner, a photo.
The columns are not in the Django model: nothing but these triggers writes them, and the
audit's history (pghistory) does not copy them.

- ``page_head``: ``{"type":"Feature","id":…,"geometry":…,"properties":{"kind":…,
  "partner":…,"layer":…`` (the geometry as RFC 7946 and the API write it, 6 decimals);
- ``page_texts``: ``,"name":…,"description":…`` in each content language (bg, el, fr, en,
  each with its fallbacks), NULL where the same as bg's: most features read the same in
  every language;
- ``page_names`` / ``page_names_flat``: the names in every language, nested (the REST
  API) and one member a language (the OGC API);
- ``page_tail``: ``,"category":…,"photo":…,"updated_at":…}}``.

The frozen copy here of the language codes and their fallbacks is the settings' of
today (MODELTRANSLATION_*); tests/layers/test_stored_pages.py compares the kept text with
the text built from scratch, so a change of either shows.
"""

from django.db import migrations

CODES = ("bg", "el", "fr", "en")
FALLBACKS = ("en", "bg", "el", "fr")


def _chain(lang: str) -> list[str]:
    return list(dict.fromkeys([lang, *FALLBACKS, *CODES]))


def _translated(field: str, lang: str) -> str:
    return "COALESCE(" + ", ".join(f"NULLIF(NEW.{field}_{c}, '')" for c in _chain(lang)) + ")"


def _member(key: str, expr: str, first: bool = False) -> str:
    return f"""'{"" if first else ","}"{key}":' || COALESCE(to_json({expr})::text, 'null')"""


def _texts(lang: str) -> str:
    return (_member("name", _translated("name", lang)) + " || "
            + _member("description", _translated("description", lang)))


PHOTO = ("(SELECT '/media/' || m.uid || '/160' FROM media_mediaitem m "
         "JOIN django_content_type ct ON ct.id = m.owner_type_id "
         "WHERE ct.app_label = 'layers' AND ct.model = 'attraction' "
         "AND m.owner_id = NEW.id AND m.renditions ? '160' ORDER BY m.position, m.id LIMIT 1)")

NESTED = ("""',"names":{' || """
          + " || ".join(_member(c, f"NULLIF(NEW.name_{c}, '')", first=i == 0)
                        for i, c in enumerate(CODES)) + " || '}'")
FLAT = " || ".join(_member(f"name_{c}", f"NULLIF(NEW.name_{c}, '')") for c in CODES)

DEDUPED = ", ".join(f"NULLIF(texts[{i}], texts[1])" for i in range(2, len(CODES) + 1))
TEXTS = ", ".join(_texts(c) for c in CODES)

SQL = f"""
ALTER TABLE layers_attraction ADD COLUMN page_head text, ADD COLUMN page_texts text[],
  ADD COLUMN page_names text, ADD COLUMN page_names_flat text, ADD COLUMN page_tail text;

-- UTC: the API's connections read updated_at in UTC (Django's USE_TZ), and so must the
-- kept text, whoever writes the row.
CREATE FUNCTION atlas_attraction_page() RETURNS trigger LANGUAGE plpgsql
SET TimeZone = 'UTC' AS $$
DECLARE
  owners text;
  texts text[];
BEGIN
  SELECT {_member("partner", "p.slug")} || {_member("layer", "l.slug")} INTO owners
  FROM layers_layer l JOIN layers_partner p ON p.id = l.partner_id WHERE l.id = NEW.layer_id;
  NEW.page_head := '{{"type":"Feature","id":"' || NEW.uid || '","geometry":'
    || COALESCE(ST_AsGeoJSON(NEW.location, 6, 0), 'null')
    || ',"properties":{{"kind":"attraction"' || owners;
  texts := ARRAY[{TEXTS}];
  NEW.page_texts := ARRAY[texts[1], {DEDUPED}];
  NEW.page_names := {NESTED};
  NEW.page_names_flat := {FLAT};
  NEW.page_tail := {_member("category", "NEW.category")} || {_member("photo", PHOTO)}
    || {_member("updated_at", "date_trunc('milliseconds', NEW.updated_at)")} || '}}}}';
  RETURN NEW;
END
$$;

CREATE TRIGGER page_json BEFORE INSERT OR UPDATE ON layers_attraction
  FOR EACH ROW EXECUTE FUNCTION atlas_attraction_page();

-- What a Feature takes from other rows: the attractions concerned are written again.
CREATE FUNCTION atlas_attraction_page_of_layer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE layers_attraction SET page_head = NULL WHERE layer_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER attraction_page_json AFTER UPDATE OF slug, partner_id ON layers_layer
  FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug
                     OR OLD.partner_id IS DISTINCT FROM NEW.partner_id)
  EXECUTE FUNCTION atlas_attraction_page_of_layer();

CREATE FUNCTION atlas_attraction_page_of_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE layers_attraction SET page_head = NULL
  WHERE layer_id IN (SELECT l.id FROM layers_layer l WHERE l.partner_id = NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER attraction_page_json AFTER UPDATE OF slug ON layers_partner
  FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
  EXECUTE FUNCTION atlas_attraction_page_of_partner();

CREATE FUNCTION atlas_attraction_page_of_photo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind integer := (SELECT ct.id FROM django_content_type ct
                   WHERE ct.app_label = 'layers' AND ct.model = 'attraction');
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.owner_type_id = kind THEN
    UPDATE layers_attraction SET page_head = NULL WHERE id = OLD.owner_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.owner_type_id = kind THEN
    UPDATE layers_attraction SET page_head = NULL WHERE id = NEW.owner_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER attraction_page_json AFTER INSERT OR UPDATE OR DELETE ON media_mediaitem
  FOR EACH ROW EXECUTE FUNCTION atlas_attraction_page_of_photo();

-- The attractions there are: their parts, as the trigger writes them.
UPDATE layers_attraction SET page_head = NULL;
"""

DROP = """
DROP TRIGGER IF EXISTS attraction_page_json ON media_mediaitem;
DROP TRIGGER IF EXISTS attraction_page_json ON layers_partner;
DROP TRIGGER IF EXISTS attraction_page_json ON layers_layer;
DROP TRIGGER IF EXISTS page_json ON layers_attraction;
DROP FUNCTION IF EXISTS atlas_attraction_page_of_photo();
DROP FUNCTION IF EXISTS atlas_attraction_page_of_partner();
DROP FUNCTION IF EXISTS atlas_attraction_page_of_layer();
DROP FUNCTION IF EXISTS atlas_attraction_page();
ALTER TABLE layers_attraction DROP COLUMN IF EXISTS page_head, DROP COLUMN IF EXISTS page_texts,
  DROP COLUMN IF EXISTS page_names, DROP COLUMN IF EXISTS page_names_flat,
  DROP COLUMN IF EXISTS page_tail;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("layers", "0025_layer_metadata"),
        ("media", "0002_documents"),
    ]

    operations = [migrations.RunSQL(SQL, DROP)]
