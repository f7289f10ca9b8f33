"""CQL2 (OGC API – Features Part 3) beyond the basics: temporal operators on updated_at,
S_DWITHIN on the spheroid, CASEI/ACCENTI, property-property comparisons, filter-crs, the
conformance classes, and values that cannot reach the SQL as text. Each filter is compared
with an independent filter of the whole collection's GeoJSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from pyproj import Geod, Transformer

from layers.models import Attraction, Layer
from layers.registry import kind as registry_kind
from layers.selectors.cql import to_sql
from tests.factories import make_attraction
from tests.layers.test_ogc_items_options import make_two_trails_world

URL = "/ogc/collections/regional-layer/items"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"


@pytest.fixture
def world(db):
    make_two_trails_world()
    # Site i was last changed on 2026-01-(i+1) at noon UTC.
    for a in Attraction.objects.exclude(name_en=""):
        i = int(a.name_en.split()[-1])
        Attraction.objects.filter(pk=a.pk).update(
            updated_at=datetime(2026, 1, i + 1, 12, tzinfo=UTC))


def _everything(client):
    response = client.get(URL, {"limit": 1000})
    assert response.status_code == 200
    return response.json()["features"]


def _filtered(client, text, url=URL, **params):
    response = client.get(url, {"filter": text, "limit": 1000, **params})
    assert response.status_code == 200, response.content[:400]
    return sorted(f["id"] for f in response.json()["features"])


def _ids(features, keep):
    return sorted(f["id"] for f in features if keep(f["properties"], f["geometry"]))


def _when(p):
    return datetime.fromisoformat(p["updated_at"].replace("Z", "+00:00"))


def _day(p):
    return _when(p).astimezone(UTC).date()


NOON = datetime(2026, 1, 5, 12, tzinfo=UTC)
GEOD = Geod(ellps="WGS84")


def _metres_from(lon, lat):
    def far(g):
        return GEOD.inv(lon, lat, g["coordinates"][0], g["coordinates"][1])[2]
    return far


@pytest.mark.parametrize(("text", "keep"), [
    ("T_AFTER(updated_at, TIMESTAMP('2026-01-05T12:00:00Z'))", lambda p, g: _when(p) > NOON),
    ("T_BEFORE(updated_at, TIMESTAMP('2026-01-05T12:00:00Z'))", lambda p, g: _when(p) < NOON),
    ("T_EQUALS(updated_at, TIMESTAMP('2026-01-05T12:00:00Z'))", lambda p, g: _when(p) == NOON),
    ("T_DURING(updated_at, INTERVAL('2026-01-03T00:00:00Z', '2026-01-07T00:00:00Z'))",
     lambda p, g: datetime(2026, 1, 3, tzinfo=UTC) < _when(p) < datetime(2026, 1, 7, tzinfo=UTC)),
    ("T_INTERSECTS(updated_at, INTERVAL('2026-01-10', '..'))",
     lambda p, g: _day(p) >= date(2026, 1, 10)),
    ("T_DISJOINT(updated_at, INTERVAL('..', '2026-01-10T00:00:00Z'))",
     lambda p, g: _when(p) > datetime(2026, 1, 10, tzinfo=UTC)),
    ("T_BEFORE(updated_at, DATE('2026-01-03'))", lambda p, g: _day(p) < date(2026, 1, 3)),
    ("updated_at = DATE('2026-01-04')", lambda p, g: _day(p) == date(2026, 1, 4)),
    ("updated_at BETWEEN TIMESTAMP('2026-01-02T00:00:00Z') AND TIMESTAMP('2026-01-04T23:00:00Z')",
     lambda p, g: datetime(2026, 1, 2, tzinfo=UTC) <= _when(p)
     <= datetime(2026, 1, 4, 23, tzinfo=UTC)),
    ("NOT T_AFTER(updated_at, TIMESTAMP('2026-01-05T12:00:00Z')) AND kind = 'attraction'",
     lambda p, g: p["kind"] == "attraction" and _when(p) <= NOON),
])
def test_temporal_operators_on_updated_at(client, world, text, keep):
    assert _filtered(client, text) == _ids(_everything(client), keep)




def _vertices(g):
    """Every vertex (x, y) of a GeoJSON geometry, whatever its type."""
    def walk(c):
        if isinstance(c[0], (int, float)):
            yield c[0], c[1]
        else:
            for part in c:
                yield from walk(part)
    return list(walk(g["coordinates"]))


def _line(g):
    return g["type"] in ("LineString", "MultiLineString")


@pytest.mark.parametrize(("text", "keep"), [
    ("S_WITHIN(geometry, POLYGON((25.5 42.3, 25.655 42.3, 25.655 42.5, 25.5 42.5, 25.5 42.3)))",
     lambda p, g: all(25.5 < x < 25.655 and 42.3 < y < 42.5 for x, y in _vertices(g))),
    ("S_CONTAINS(geometry, POINT(25.6 42.42))",
     lambda p, g: g["type"] == "Point" and g["coordinates"] == [25.6, 42.42]),
    ("S_EQUALS(geometry, POINT(22.4153 39.6403))",
     lambda p, g: g["coordinates"] == [22.4153, 39.6403]),
    ("S_DISJOINT(geometry, BBOX(25, 42, 26, 43))", lambda p, g: p["partner"] == "larissa"),
    ("S_INTERSECTS(geometry, BBOX(22, 39, 23, 40)) OR S_INTERSECTS(geometry, "
     "GEOMETRYCOLLECTION(POINT(25.6 42.42), LINESTRING(25.5 42.4, 25.6 42.4)))",
     lambda p, g: p["partner"] == "larissa" or g["coordinates"] == [25.6, 42.42]
     or (_line(g) and any(y == 42.4 and 25.5 <= x <= 25.6 for x, y in _vertices(g)))),
    ("S_CROSSES(geometry, LINESTRING(25.61 42.40, 25.61 42.50))",
     lambda p, g: _line(g)
     and min(x for x, _y in _vertices(g)) < 25.61 < max(x for x, _y in _vertices(g))),
    ("S_TOUCHES(geometry, POINT(25.6 42.43))",
     lambda p, g: _line(g) and _vertices(g)[0] == (25.6, 42.43)),
    ("S_DWITHIN(geometry, POINT(25.6 42.42), 2000) AND kind = 'attraction'",
     lambda p, g: p["kind"] == "attraction" and _metres_from(25.6, 42.42)(g) <= 2000),
    ("S_DWITHIN(geometry, POINT(25.6 42.42), 1.5, kilometers) AND kind = 'attraction'",
     lambda p, g: p["kind"] == "attraction" and _metres_from(25.6, 42.42)(g) <= 1500),
])
def test_spatial_operators(client, world, text, keep):
    assert _filtered(client, text) == _ids(_everything(client), keep)


def test_s_dwithin_measures_metres_on_the_spheroid(client, world):
    # Site 0 and Site 1 are 0.01° of longitude apart at 42.42°N: 822 m on the spheroid
    # (1,113 m were it degrees at the equator).
    apart = GEOD.inv(25.60, 42.42, 25.61, 42.42)[2]
    assert 815 < apart < 830
    near = "kind = 'attraction' AND S_DWITHIN(geometry, POINT(25.6 42.42), {})"
    site_1 = _ids(_everything(client), lambda p, g: p.get("name_en") == "Site 1")
    assert set(site_1) <= set(_filtered(client, near.format(apart + 1)))
    assert not set(site_1) & set(_filtered(client, near.format(apart - 1)))


@pytest.mark.parametrize(("text", "keep"), [
    ("CASEI(name_en) LIKE CASEI('site 1%')", lambda p, g: (p.get("name_en") or "").startswith(
        "Site 1")),
    ("ACCENTI(name_el) = ACCENTI('Αρχαιο Θεατρο Λαρισας')",
     lambda p, g: p.get("name_el") == "Αρχαίο Θέατρο Λάρισας"),
    ("CASEI(ACCENTI(name)) LIKE '%θεατρο%'", lambda p, g: "Θέατρο" in (p.get("name") or "")),
    ("name_en LIKE 'Site _'", lambda p, g: len(p.get("name_en") or "") == 6),
    ("name_en NOT LIKE 'Site 1%' AND kind = 'attraction'",
     lambda p, g: p["kind"] == "attraction" and p.get("name_en")
     and not p["name_en"].startswith("Site 1")),
    ("category NOT IN ('museum') AND kind = 'attraction'",
     lambda p, g: p["kind"] == "attraction" and p.get("category") != "museum"),
    ("length_m NOT BETWEEN 500 AND 20000",
     lambda p, g: p.get("length_m") is not None and not 500 <= p["length_m"] <= 20000),
    ("name_en IS NOT NULL AND partner <> 'larissa'",
     lambda p, g: bool(p.get("name_en")) and p["partner"] != "larissa"),
    ("'larissa' = partner", lambda p, g: p["partner"] == "larissa"),
    ("name_en = name_en", lambda p, g: bool(p.get("name_en"))),
    ("1 = 1", lambda p, g: True),
    ("TRUE", lambda p, g: True),
])
def test_comparisons_case_and_accents(client, world, text, keep):
    assert _filtered(client, text) == _ids(_everything(client), keep)


def test_cql2_json_with_temporal_and_distance_operators(client, world):
    everything = _everything(client)
    tree = {"op": "and", "args": [
        {"op": "t_after", "args": [{"property": "updated_at"},
                                   {"timestamp": "2026-01-05T12:00:00Z"}]},
        {"op": "s_dwithin", "args": [{"property": "geometry"},
                                     {"type": "Point", "coordinates": [25.6, 42.42]}, 5000]},
        {"op": "between", "args": [{"property": "updated_at"}, {"date": "2026-01-01"},
                                   {"date": "2026-01-09"}]},
        {"op": "in", "args": [{"property": "category"}, ["museum", "monument"]]}]}
    assert _filtered(client, json.dumps(tree), **{"filter-lang": "cql2-json"}) == _ids(
        everything, lambda p, g: p["kind"] == "attraction" and _when(p) > NOON
        and _day(p) <= date(2026, 1, 9) and _metres_from(25.6, 42.42)(g) <= 5000)


def test_a_geometry_in_another_served_crs(client, world):
    """filter-crs: the same box in CRS84, in EPSG:4326 (lat/lon) and in EPSG:3035
    (northing, easting) finds the same features."""
    in_crs84 = _filtered(client, "S_INTERSECTS(geometry, BBOX(25.55, 42.38, 25.645, 42.46))")
    assert len(in_crs84) > 2
    lat_lon = _filtered(client, "S_INTERSECTS(geometry, BBOX(42.38, 25.55, 42.46, 25.645))",
                        **{"filter-crs": EPSG.format(4326)})
    assert lat_lon == in_crs84
    to_laea = Transformer.from_crs(4326, 3035, always_xy=True)
    ring = [to_laea.transform(lon, lat) for lon, lat in
            [(25.55, 42.38), (25.645, 42.38), (25.645, 42.46), (25.55, 42.46), (25.55, 42.38)]]
    polygon = ", ".join(f"{n:.3f} {e:.3f}" for e, n in ring)  # EPSG:3035 is N, E
    assert _filtered(client, f"S_INTERSECTS(geometry, POLYGON(({polygon})))",
                     **{"filter-crs": EPSG.format(3035)}) == in_crs84


@pytest.mark.parametrize(("params", "name"), [
    ({"filter": "S_INTERSECTS(geometry, POINT(1 2))",
      "filter-crs": EPSG.format(32635)}, "filter-crs"),
    ({"filter": "S_INTERSECTS(geometry, POINT(900000000 900000000))",
      "filter-crs": EPSG.format(3035)}, "filter-crs"),
    ({"filter": "partner = 'drome'", "filter-lang": "cql"}, "filter-lang"),
])
def test_a_bad_filter_crs_or_language_is_a_400_naming_it(client, world, params, name):
    response = client.get(URL, params)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["description"].startswith(f"{name}: ")


@pytest.mark.parametrize(("text", "said"), [
    ("partner = ", "at 1:11"),
    ("T_AFTER(name, TIMESTAMP('2026-01-01T00:00:00Z'))", "dates and times"),
    ("S_INTERSECTS(name, POINT(1 2))", "not a geometry"),
    ("A_CONTAINS(category, ('museum'))", "A_CONTAINS is not supported"),
    ("length_m * 2 > 10", "* is not supported"),
    ("upper(name) = 'X'", "UPPER is not supported"),
    ("S_DWITHIN(geometry, POINT(25 42), 10, furlongs)", "furlongs"),
    ("CASEI(length_m) = 1", "CASEI takes text"),
    ("updated_at = TIMESTAMP('2026-13-45T00:00:00Z')", "not an ISO 8601 date"),
    ("(" * 3000 + "partner = 'drome'" + ")" * 3000, "nested too deeply"),
    ("NOT " * 2000 + "partner = 'drome'", "nested too deeply"),
    ("partner = " + "-" * 5000 + "1", "nested too deeply"),
])
def test_a_bad_filter_is_a_400_with_the_parsers_message(client, world, text, said):
    response = client.get(URL, {"filter": text})
    assert response.status_code == 400, response.content[:300]
    description = response.json()["description"]
    assert description.startswith("filter: ") and said in description, description


def test_a_bad_filter_in_json_is_a_400(client, world):
    for raw in ["{", json.dumps({"op": "between", "args": [{"property": "length_m"}, 1]}),
                "[" * 200 + "]" * 200, json.dumps({"op": "not", "args": [True]})[:-1],
                json.dumps({"op": "=", "args": [{"property": "name"}, "a\u0000b"]})]:
        response = client.get(URL, {"filter": raw, "filter-lang": "cql2-json"})
        assert response.status_code == 400, (raw[:50], response.content[:300])
        assert response.json()["description"].startswith("filter: ")


def test_the_parsers_message_in_the_readers_language(client, world):
    body = client.get(URL, {"filter": "partner = "}, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["description"].startswith("filter: cql2-text non valide : at 1:11")


def test_values_never_reach_the_sql_as_text(client, world):
    """Quotes and SQL in a filter's values are values: the SQL holds placeholders only,
    nothing is injected, and a name with quotes is found exactly."""
    trails = Layer.objects.filter(kind="attractions").first()
    quoted = make_attraction(trails, 25.65, 42.45, name_en="O'Brien's \"Tower\"; --",
                             category="museum")
    attacks = ["name_en = 'x'' OR ''1''=''1'", "name_en = ''' OR 1=1 --'",
               "name_en = 'a''; DROP TABLE layers_attraction; --'",
               "name_en LIKE '%'' OR name_en LIKE ''%'"]
    for text in attacks:
        assert _filtered(client, text) == []
    assert Attraction.objects.count() == 14
    assert _filtered(client, "name_en = 'O''Brien''s \"Tower\"; --'") == [str(quoted.uid)]
    tree = {"op": "=", "args": [{"property": "name_en"}, "x' OR '1'='1"]}
    assert _filtered(client, json.dumps(tree), **{"filter-lang": "cql2-json"}) == []
    for name in ['"name_en; DROP TABLE layers_attraction" = \'a\'',
                 '"x.id) OR (1" = \'1\'']:
        response = client.get(URL, {"filter": name})
        assert response.status_code == 400 and "not a queryable" in response.json()[
            "description"]
    params: list = []
    sql = to_sql({"op": "and", "args": [
        tree, {"op": "s_intersects", "args": [{"property": "geometry"},
                                              {"type": "Point", "coordinates": [1, 2]}]}]},
        registry_kind("attraction"), ["attraction"], params)
    assert "'1'" not in sql and "OR '" not in sql and "Point" not in sql
    assert params[0] == "x' OR '1'='1" and json.loads(params[1])["type"] == "Point"


CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"


def test_the_conformance_classes_are_what_works(client, world):
    conforms = set(client.get("/ogc/conformance").json()["conformsTo"])
    assert {c[len(CQL2):] for c in conforms if c.startswith(CQL2)} == {
        "cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
        "case-insensitive-comparison", "accent-insensitive-comparison",
        "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions",
        "temporal-functions", "property-property"}
    features_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
    assert {c[len(features_3):] for c in conforms if c.startswith(features_3)} == {
        "queryables", "filter", "features-filter"}
    # What is left out is refused, not ignored.
    for text in ["A_EQUALS(category, ('museum'))", "length_m + 1 > 2", "foo(name) = 'x'"]:
        assert client.get(URL, {"filter": text}).status_code == 400


def test_what_gdals_oapif_driver_looks_for(client, world):
    """GDAL (3.6 to 3.12) sends a filter to the server only when the items' filter-lang
    lists cql-text (the drafts' name) and the queryables, asked for as JSON, list the
    property: both are there, and cql-text is read as CQL2 text."""
    api = client.get("/ogc/api").json()
    items = api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    lang = next(p for p in items if p.get("name") == "filter-lang")
    assert "cql-text" in lang["schema"]["enum"]
    links = client.get("/ogc/collections/all-trails").json()["links"]
    assert any(link["rel"] == "queryables" for link in links)
    response = client.get("/ogc/collections/all-trails/queryables",
                          HTTP_ACCEPT="application/geo+json, application/json")
    assert response["Content-Type"] == "application/json"
    assert {"id": "length_m", "type": "number"} in response.json()["queryables"]
    assert _filtered(client, "(length_m > 10000) AND (updated_at > '2000-01-01')",
                     **{"filter-lang": "cql-text"}) == _ids(
        _everything(client), lambda p, g: (p.get("length_m") or 0) > 10000)



def test_ilike_of_the_drafts_as_gdal_writes_it(client, world):
    """GDAL's OAPIF driver sends an OGR SQL ``ILIKE`` as it is, in cql-text: read as
    CQL2's CASEI(…) LIKE CASEI(…), on Cyrillic and Latin alike; a literal that holds
    the word ILIKE stays a literal."""
    everything = _everything(client)
    assert _filtered(client, "name_bg ILIKE 'дълг%'", **{"filter-lang": "cql-text"}) == _ids(
        everything, lambda p, g: (p.get("name_bg") or "").lower().startswith("дълг")) != []
    assert _filtered(client, "\"name_bg\" NOT ILIKE 'дълг%' AND kind = 'trail'",
                     **{"filter-lang": "cql-text"}) == _ids(
        everything, lambda p, g: p["kind"] == "trail"
        and not (p.get("name_bg") or "").lower().startswith("дълг"))
    assert _filtered(client, "name_bg = 'x ILIKE y'", **{"filter-lang": "cql-text"}) == []
    # CQL2 text proper has no ILIKE: there it is the parser's 400.
    assert client.get(URL, {"filter": "name_bg ILIKE 'дълг%'"}).status_code == 400
