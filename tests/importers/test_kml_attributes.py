"""KML attributes keep their exact names in any script, and their declared types."""

from __future__ import annotations

from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Schema name="obekti" id="obekti">
    <SimpleField name="ПОСЕТИТЕЛИ" type="int"/><SimpleField name="ΥΨΟΜΕΤΡΟ" type="double"/>
    <SimpleField name="open" type="bool"/>
  </Schema>
  <Folder><name>Обекти</name>
    <Placemark><name>Античен форум</name>
      <ExtendedData>
        <Data name="Бележка"><value>вход от ул. „Генерал Столетов“</value></Data>
        <SchemaData schemaUrl="#obekti"><SimpleData name="ПОСЕТИТЕЛИ">1200</SimpleData>
          <SimpleData name="ΥΨΟΜΕΤΡΟ">196.5</SimpleData><SimpleData name="open">1</SimpleData>
        </SchemaData>
      </ExtendedData>
      <Point><coordinates>25.6264,42.4271</coordinates></Point>
    </Placemark>
  </Folder>
</Document></kml>
"""


def test_kml_attributes_keep_their_names_and_types(partners, tmp_path):
    path = tmp_path / "obekti.kml"
    path.write_text(KML, encoding="utf-8")
    result = run_import(ImportRequest(path=path, partner=partners["stara-zagora"],
                                      layer_slug="sz-kml", kind="attractions"))
    assert result.counts["created"] == 1
    forum = Attraction.objects.get(layer__slug="sz-kml")
    assert forum.name_bg == "Античен форум"
    assert forum.properties == {"Бележка": "вход от ул. „Генерал Столетов“", "ПОСЕТИТЕЛИ": 1200,
                                "ΥΨΟΜΕΤΡΟ": 196.5, "open": True}
