"""Trust D19: a NUL character in a text no longer cuts the text silently."""

from __future__ import annotations

import json

import pytest

from importers.exceptions import Refused
from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction

pytestmark = pytest.mark.django_db


def _feature(name: str, description: str, lon: float = 5.0) -> dict:
    return {"type": "Feature", "properties": {"name": name, "description": description},
            "geometry": {"type": "Point", "coordinates": [lon, 44.7]}}


def test_a_nul_in_a_geojson_text_is_removed_and_the_rest_kept(tmp_path, partners):
    path = tmp_path / "nul.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _feature("Château de Grignan", "plain"),
        _feature("Abc\u0000def", "before\u0000after", 5.1),
        # An escaped backslash followed by "u0000" is text, not a NUL.
        _feature("C:\\u0000dir", "plain", 5.2),
    ]}))
    result = run_import(ImportRequest(path=path, partner=partners["drome"], layer_slug="nul",
                                      kind="attractions"))
    names = dict(Attraction.objects.values_list("name", "description"))
    assert names == {"Château de Grignan": "plain", "Abcdef": "beforeafter",
                     "C:\\u0000dir": "plain"}
    notes = [str(n) for n in result.notes]
    assert any("nul.geojson: NUL characters (U+0000) removed" in n and "row 2, field name" in n
               and "row 2, field description" in n for n in notes), notes


@pytest.mark.parametrize(("name", "body"), [
    ("nul.gpx", b'<?xml version="1.0"?><gpx version="1.1" creator="t" '
                b'xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="44.7" lon="5.0">'
                b'<name>Abc&#0;def</name></wpt></gpx>'),
    ("nul.kml", b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>Abc\x00def'
                b'</name><Point><coordinates>5.0,44.7</coordinates></Point></Placemark></kml>'),
])
def test_a_nul_in_xml_is_refused_as_not_well_formed(tmp_path, partners, name, body):
    # XML cannot hold a NUL at all: the file is refused, with where, and nothing written.
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(Refused, match=f"{name}: not well-formed XML.*line 1"):
        run_import(ImportRequest(path=path, partner=partners["drome"], layer_slug="nul",
                                 kind="attractions"))
    assert not Attraction.objects.exists()
