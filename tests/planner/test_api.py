"""The coverage API: statistics in JSON and CSV, areas and gaps in GeoJSON, errors, schema."""

from __future__ import annotations

import csv
import io

import pytest
import shapely
from shapely.geometry import shape

from fixtures.demo_layers import DEMO_DIR, load_demo
from fixtures.demo_routes import load_demo_routes
from planner.params import CoverageQuery
from planner.selectors import analyse
from tests.planner.world import TERRITORY, lonlat

pytestmark = pytest.mark.django_db


def polygons(geom) -> list:
    return list(getattr(geom, "geoms", [geom]))


def get(client, path: str, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response


def test_statistics_say_what_the_planner_asked(client, world):
    body = get(client, "/api/coverage/", partner="testland", radius_km="4",
               kinds="attractions,trails").json()
    assert body["parameters"] == {"partners": ["testland"], "radius_km": 4.0,
                                  "categories": [], "kinds": ["attractions", "trails"]}
    (testland,) = body["partners"]
    expected = analyse(CoverageQuery(partners=("testland",), radius_km=4.0,
                                     kinds=("attractions", "trails")), "en").partners[0]
    assert testland["name"] == "Testland"
    assert testland["attractions"] == 3
    assert testland["attractions_by_category"] == {"church": 1, "museum": 1, "peak": 1}
    assert testland["covered_share"] == pytest.approx(expected.covered_share, abs=1e-5)
    assert testland["gap_km2"] == pytest.approx(expected.gap_km2, abs=1e-3)
    assert [g["rank"] for g in body["gaps"]] == list(range(1, testland["gaps"] + 1))
    areas = [g["area_km2"] for g in body["gaps"]]
    assert areas == sorted(areas, reverse=True)


def test_names_follow_the_language(client, world):
    body = get(client, "/api/coverage/", lang="bg").json()
    assert body["partners"][0]["name"] == "Тестово"
    assert get(client, "/api/coverage/", lang="fr").json()["partners"][0]["name"] == "Testland"


@pytest.mark.parametrize(("params", "param"), [
    ({"partner": "atlantis"}, "partner"),
    ({"radius_km": "0"}, "radius_km"),
    ({"radius_km": "51"}, "radius_km"),
    ({"radius_km": "five"}, "radius_km"),
    ({"radius_km": "nan"}, "radius_km"),
    ({"categories": "museum,spaceport"}, "categories"),
    ({"kinds": "attractions,hotels"}, "kinds"),
    ({"kinds": ""}, "kinds"),
    ({"format": "xlsx"}, "format"),
    ({"format": "csv", "table": "everything"}, "table"),
    ({"lang": "de"}, "lang"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, world, params, param):
    for path in ("/api/coverage/", "/api/coverage/gaps/", "/api/coverage/areas/"):
        if param in ("format", "table") and path != "/api/coverage/":
            continue
        response = client.get(path, params)
        assert response.status_code == 400, (path, response.content)
        body = response.json()
        assert body["parameter"] == param and body["error"].startswith(f"{param}: ")


def test_gaps_are_an_rfc_7946_feature_collection(client, world):
    response = get(client, "/api/coverage/gaps/", radius_km="4", reach="true")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and "crs" not in body
    gaps = [f for f in body["features"] if f["properties"]["kind"] == "gap"]
    (reach,) = [f for f in body["features"] if f["properties"]["kind"] == "reach"]
    territory = shapely.Polygon(lonlat(TERRITORY))
    for feature in gaps:
        geom = shape(feature["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
        for polygon in polygons(geom):
            # Right-hand rule: exterior rings counter-clockwise, holes clockwise.
            assert polygon.exterior.is_ccw
            assert all(not ring.is_ccw for ring in polygon.interiors)
        # lon, lat: inside the territory, not swapped.
        assert territory.buffer(1e-4).contains(geom)
    assert [f["id"] for f in gaps] == [f"testland-{i}" for i in range(1, len(gaps) + 1)]
    km2 = [f["properties"]["area_km2"] for f in gaps]
    assert km2 == sorted(km2, reverse=True)
    # The reach and the gaps share the territory between them, as published: up to the
    # rounding of the coordinates to 6 decimals along the territory's edge.
    within = shape(reach["geometry"])
    assert within.is_valid
    union = shapely.union_all([shape(f["geometry"]) for f in [*gaps, reach]])
    assert union.symmetric_difference(territory).area < territory.length * 1e-6
    overlap = sum(within.intersection(shape(f["geometry"])).area for f in gaps)
    assert overlap < territory.length * 1e-6


def test_areas_carry_their_statistics_for_a_choropleth(client, world, sub_areas):
    body = get(client, "/api/coverage/areas/", radius_km="4").json()
    levels = {f["properties"]["name"]: f["properties"]["level"] for f in body["features"]}
    assert levels == {"Testland": "partner", "Запад": "sub_area", "Изток": "sub_area"}
    west = next(f for f in body["features"] if f["properties"]["name"] == "Запад")
    assert west["properties"]["attractions"] == 2
    assert all(p.exterior.is_ccw for p in polygons(shape(west["geometry"])))
    assert 0 < west["properties"]["covered_share"] < 1


def test_csv_tables_hold_what_the_json_holds(client, world, sub_areas):
    body = get(client, "/api/coverage/", radius_km="4").json()
    tables = {}
    for table in ("partners", "categories", "sub-areas", "gaps"):
        response = get(client, "/api/coverage/", radius_km="4", format="csv", table=table)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f'filename="coverage-{table}.csv"' in response["Content-Disposition"]
        text = response.content.decode("utf-8-sig")
        tables[table] = list(csv.DictReader(io.StringIO(text)))
    (row,) = tables["partners"]
    (testland,) = body["partners"]
    assert row["partner"] == "testland" and int(row["attractions"]) == 3
    assert float(row["covered_share_pct"]) == pytest.approx(testland["covered_share"] * 100,
                                                            abs=0.01)
    assert float(row["gap_km2"]) == pytest.approx(testland["gap_km2"], abs=0.001)
    assert {r["name"] for r in tables["sub-areas"]} == {"Запад", "Изток"}
    assert {r["category"]: r["testland"] for r in tables["categories"]} == {
        "church": "1", "museum": "1", "peak": "1"}
    assert len(tables["gaps"]) == testland["gaps"]
    assert sum(float(r["area_km2"]) for r in tables["gaps"]) == pytest.approx(
        testland["gap_km2"], abs=0.01)
    assert any("Запад" in r["touches"] for r in tables["gaps"])


def test_missing_categories_on_the_demo_data(client):
    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    body = get(client, "/api/coverage/").json()
    missing = {p["key"]: set(p["missing_categories"]) for p in body["partners"]}
    has = {p["key"]: set(p["attractions_by_category"]) for p in body["partners"]}
    assert set(missing) == {"stara-zagora", "sliven", "larissa", "drome"}
    # The Drôme's castles (Grignan, Suze-la-Rousse …) have no match in the other three,
    # and it alone has no museum among its demo attractions.
    for slug in ("stara-zagora", "sliven", "larissa"):
        assert "castle" in missing[slug]
    assert "museum" in missing["drome"] and "castle" not in missing["drome"]
    for slug in missing:
        assert not missing[slug] & has[slug]
        others = set().union(*(has[o] for o in has if o != slug))
        assert missing[slug] == others - has[slug]
    # Asking about one partner still compares it with every other.
    (sliven,) = get(client, "/api/coverage/", partner="sliven").json()["partners"]
    assert set(sliven["missing_categories"]) == missing["sliven"]


def test_the_endpoints_are_in_the_openapi_schema(client):
    import yaml

    schema = yaml.safe_load(get(client, "/api/schema/").content)
    for path in ("/api/coverage/", "/api/coverage/gaps/", "/api/coverage/areas/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"partner", "radius_km", "categories", "kinds", "lang"} <= names, path
    stats = schema["paths"]["/api/coverage/"]["get"]
    assert {"format", "table"} <= {p["name"] for p in stats["parameters"]}
    assert "text/csv" in stats["responses"]["200"]["content"]
    assert "reach" in {p["name"] for p in schema["paths"]["/api/coverage/gaps/"]["get"][
        "parameters"]}
