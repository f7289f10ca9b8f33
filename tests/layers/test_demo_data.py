"""The partners' demo data (fixtures/data) loads completely, twice without duplicates."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import translation
from lxml import etree

from fixtures.demo_layers import DEMO_DIR, load_demo
from layers.models import Attraction, Partner, Trail

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
GREEK = re.compile(r"[\u0370-\u03FF\u1F00-\u1FFF]")
PARTNERS = {"stara-zagora": "bg", "sliven": "bg", "larissa": "el", "drome": "fr"}


@pytest.fixture
def loaded():
    return load_demo(DEMO_DIR)


def test_four_partners_with_their_languages(loaded):
    assert {p.slug: p.main_language for p in Partner.objects.all()} == PARTNERS
    sz = Partner.objects.get(slug="stara-zagora")
    assert sz.name_bg == "Стара Загора" and sz.country == "BG"
    assert Partner.objects.get(slug="larissa").name_el == "Λάρισα"


def test_each_partner_has_its_colour_from_the_demo_file(loaded):
    assert dict(Partner.objects.values_list("slug", "colour")) == {
        "stara-zagora": "#b03a2e", "sliven": "#1f618d", "larissa": "#1e8449",
        "drome": "#7d3c98"}


def test_the_territories_are_provinces_a_regional_unit_and_a_department(loaded, client):
    expected = {"stara-zagora": "province", "sliven": "province", "larissa": "regional_unit",
                "drome": "department"}
    assert dict(Partner.objects.values_list("slug", "territory")) == expected
    body = client.get("/api/partners/").json()
    assert {f["id"]: f["properties"]["territory"] for f in body["features"]} == expected
    with translation.override("bg"):
        assert Partner.objects.get(slug="sliven").get_territory_display() == "област"


def test_each_partner_has_a_dozen_attractions_named_in_its_language(loaded):
    for slug, lang in PARTNERS.items():
        attractions = Attraction.objects.filter(layer__partner__slug=slug)
        assert attractions.count() >= 12, slug
        for a in attractions:
            local = getattr(a, f"name_{lang}")
            assert local and a.name_en, (slug, a.source_id)
            if lang == "bg":
                assert CYRILLIC.search(local), local
            if lang == "el":
                assert GREEK.search(local), local


@pytest.mark.parametrize(("partner", "field", "name_part"), [
    ("stara-zagora", "name_bg", "Августа Траяна"),
    ("stara-zagora", "name_en", "Neolithic Dwellings"),
    ("sliven", "name_bg", "Сините камъни"),
    ("larissa", "name_el", "Αρχαίο Θέατρο Λάρισας"),
    ("drome", "name_fr", "Palais idéal du facteur Cheval"),
    ("drome", "name_fr", "Château de Grignan"),
])
def test_the_landmarks_are_there(loaded, partner, field, name_part):
    assert Attraction.objects.filter(layer__partner__slug=partner,
                                     **{f"{field}__icontains": name_part}).exists()


def test_every_feature_lies_inside_its_partners_boundary(loaded):
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.source_id FROM layers_attraction a
            JOIN layers_layer l ON l.id = a.layer_id JOIN layers_partner p ON p.id = l.partner_id
            WHERE NOT ST_Covers(p.boundary, a.location)
            UNION ALL
            SELECT t.source_id FROM layers_trail t
            JOIN layers_layer l ON l.id = t.layer_id JOIN layers_partner p ON p.id = l.partner_id
            WHERE NOT ST_Covers(p.boundary, ST_Force2D(t.geom))
        """)
        assert cur.fetchall() == []


def test_each_partner_has_two_trails_with_elevation(loaded):
    for slug in PARTNERS:
        trails = Trail.objects.filter(layer__partner__slug=slug)
        assert trails.count() >= 2, slug
        for t in trails:
            assert t.has_elevation and t.ascent_m > 0, t.source_id
            assert t.length_m > 500 and t.duration_min > 0


def test_loading_twice_duplicates_nothing_and_keeps_public_ids(loaded):
    before = {a.source_id: a.uid for a in Attraction.objects.all()}
    trails_before = {t.source_id: t.uid for t in Trail.objects.all()}
    again = load_demo(DEMO_DIR)
    assert again.created == {"attraction": 0, "trail": 0}
    assert {a.source_id: a.uid for a in Attraction.objects.all()} == before
    assert {t.source_id: t.uid for t in Trail.objects.all()} == trails_before
    assert Partner.objects.count() == 4


def test_demo_gpx_files_are_valid_gpx_1_1(shared_data):
    schema = etree.XMLSchema(etree.parse(str(shared_data / "schemas" / "gpx-1.1.xsd")))
    files = sorted((DEMO_DIR / "trails").glob("*.gpx"))
    assert len(files) >= 8
    for path in files:
        doc = etree.parse(str(path))
        assert schema.validate(doc), (path.name, schema.error_log.last_error)


def test_regional_layer_puts_every_demo_feature_inside_its_partner(loaded, client):
    import json

    from shapely.geometry import shape

    boundaries = {p.slug: shape(json.loads(p.boundary.geojson)) for p in Partner.objects.all()}
    fc = json.loads(client.get("/api/regional-layer/", {"lang": "bg"}).content)
    assert len(fc["features"]) == Attraction.objects.count() + Trail.objects.count()
    for feature in fc["features"]:
        partner = feature["properties"]["partner"]
        # lon/lat order: swapped coordinates would land far outside (e.g. in Africa).
        assert boundaries[partner].covers(shape(feature["geometry"])), feature["properties"]
    bulgarian = [f["properties"]["name"] for f in fc["features"]
                 if f["properties"]["partner"] in ("stara-zagora", "sliven")]
    assert all(CYRILLIC.search(name) for name in bulgarian)
