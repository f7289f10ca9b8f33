"""The metadata catalogue (Interfaces, item 6): a record per layer, filled from what the
platform knows (layer, features, import history) and what its partner wrote, served as
OGC API – Records, DCAT-AP JSON-LD and ISO 19139; tried through the real endpoints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import rdflib
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from lxml import etree
from rdflib.namespace import DCTERMS, RDF

from importers.models import ImportRun
from layers.exports import FORMATS
from layers.models import Layer, LayerMetadata
from layers.vocabulary import LayerKind, Visibility
from tests.factories import make_attraction, make_layer, make_partner, make_person, make_trail

pytestmark = pytest.mark.django_db

GMD = "http://www.isotc211.org/2005/gmd"
GCO = "http://www.isotc211.org/2005/gco"
NS = {"gmd": GMD, "gco": GCO, "gml": "http://www.opengis.net/gml"}


@pytest.fixture
def world(db, tmp_path):
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7),
                      website="https://www.stara-zagora.bg")
    larissa = make_partner("larissa", bbox=(22.0, 39.3, 22.9, 40.0), country="GR",
                           languages=["el", "en"])
    museums = make_layer(sz, slug="sz-museums")
    Layer.objects.filter(pk=museums.pk).update(
        title_bg="Музеи", description_en="Museums of the province",
        description_bg="Музеите на областта", licence="CC-BY-4.0",
        source="Regional history museum, survey of 2024")
    make_attraction(museums, 25.62, 42.42, name_en="Forum of Augusta Traiana")
    make_attraction(museums, 25.70, 42.50, name_en="Neolithic dwellings")
    LayerMetadata.objects.create(
        layer=museums, keywords_en="archaeology, Roman", keywords_bg="археология",
        update_frequency="annually", contact_name="Maria Petrova",
        contact_email="gis@stara-zagora.bg")
    trails = make_layer(larissa, kind=LayerKind.TRAILS, slug="larissa-trails")
    Layer.objects.filter(pk=trails.pk).update(title_el="Μονοπάτια", licence="ODbL-1.0",
                                              source="Οδηγοί του Ολύμπου")
    make_trail(trails, [(22.30, 39.90), (22.35, 39.95)])
    LayerMetadata.objects.create(layer=trails, keywords_el="πεζοπορία, Όλυμπος")
    hidden = make_layer(sz, slug="sz-upload", visibility=Visibility.PARTNERS)
    make_attraction(hidden, 25.5, 42.3)
    private = make_layer(larissa, slug="larissa-private", visibility=Visibility.PRIVATE)
    make_attraction(private, 22.4, 39.6)
    return {"sz": sz, "larissa": larissa, "museums": museums, "trails": trails}


def _get(url: str, user: User | None = None, **headers: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url, **headers)


def test_record_is_filled_from_the_layer_its_features_and_what_its_partner_wrote(world):
    response = _get("/ogc/collections/metadata/items/sz-museums?lang=bg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    record = response.json()
    props = record["properties"]
    assert record["id"] == "sz-museums" and record["type"] == "Feature"
    assert props["type"] == "dataset"
    assert props["title"] == "Музеи" and props["description"] == "Музеите на областта"
    assert props["titles"]["en"] == "stara-zagora attractions"
    assert set(props["keywords"]) == {"archaeology", "Roman", "археология"}
    assert props["license"] == "CC-BY-4.0"
    assert props["rights"] == "Regional history museum, survey of 2024"
    assert props["numberOfFeatures"] == 2
    assert props["updateFrequency"] == "annually"
    assert "http://www.opengis.net/def/crs/EPSG/0/2100" in props["crs"]
    assert props["contacts"][0]["name"] == "Maria Petrova"
    assert props["contacts"][0]["emails"] == [{"value": "gis@stara-zagora.bg"}]
    assert record["geometry"]["coordinates"][0][0] == [25.62, 42.42]
    assert record["geometry"]["coordinates"][0][2] == [25.7, 42.5]
    assert record["time"]["interval"][1] == props["updated"]
    links = {link["rel"]: link["href"] for link in record["links"]}
    assert links["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert links["describes"].endswith("/ogc/collections/sz-museums")


def test_a_feature_changed_is_the_records_last_change(world):
    before = _get("/ogc/collections/metadata/items/sz-museums").json()["properties"]["updated"]
    make_attraction(world["museums"], 25.65, 42.45, name_en="Added later")
    after = _get("/ogc/collections/metadata/items/sz-museums").json()["properties"]
    assert after["updated"] >= before and after["numberOfFeatures"] == 3


def test_lineage_is_the_import_history(world, tmp_path):
    path = Path(tmp_path) / "springs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [22.41, 39.63]},
         "properties": {"name": "Spring", "category": "spring"}}]}))
    call_command("import_layer", str(path), partner="larissa", layer="larissa-springs",
                 kind="attractions")
    record = _get("/ogc/collections/metadata/items/larissa-springs").json()
    steps = record["properties"]["lineage"]["steps"]
    assert len(steps) == 1
    assert steps[0]["file"] == "springs.geojson" and steps[0]["counts"]["created"] == 1
    assert steps[0]["by"] == "Larissa"
    iso = etree.fromstring(_get("/ogc/collections/metadata/items/larissa-springs?f=xml").content)
    step = iso.find(".//gmd:LI_ProcessStep/gmd:description/gco:CharacterString", NS)
    assert "imported springs.geojson" in step.text


def test_lineage_names_the_person_who_imported_but_never_their_account(world, tmp_path):
    path = Path(tmp_path) / "wells.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.61, 42.41]},
         "properties": {"name": "Well", "category": "spring"}}]}))
    call_command("import_layer", str(path), partner="stara-zagora", layer="sz-museums",
                 kind="attractions")
    editor = make_person(world["sz"], "editors", username="ivana.k")
    editor.first_name, editor.last_name = "Ivana", "Koleva"
    editor.save()
    ImportRun.objects.filter(layer=world["museums"]).update(user=editor)
    response = _get("/ogc/collections/metadata/items/sz-museums")
    (step,) = response.json()["properties"]["lineage"]["steps"]
    assert step["by"] == "Ivana Koleva (Stara Zagora)"
    for f in ("json", "jsonld", "xml"):
        text = _get(f"/ogc/collections/metadata/items/sz-museums?f={f}").content.decode()
        assert "ivana.k" not in text and "Ivana Koleva" in text


def test_the_catalogue_lists_public_layers_only(world):
    response = _get("/ogc/collections/metadata/items")
    assert response.status_code == 200
    body = response.json()
    assert [f["id"] for f in body["features"]] == ["larissa-trails", "sz-museums"]
    assert body["numberMatched"] == 2 and body["numberReturned"] == 2


@pytest.mark.parametrize(("q", "found"), [
    ("археология", ["sz-museums"]),        # a Bulgarian keyword
    ("Όλυμπος", ["larissa-trails"]),       # a Greek keyword
    ("olympos", ["larissa-trails"]),       # ... in Latin letters, as the site's search folds
    ("province", ["sz-museums"]),          # the English abstract
    ("Музеи", ["sz-museums"]),             # the Bulgarian title
    ("roman,πεζοπορία", ["larissa-trails", "sz-museums"]),  # any of the terms
    ("nowhere", []),
])
def test_q_searches_titles_abstracts_and_keywords_in_every_language(world, q, found):
    body = _get(f"/ogc/collections/metadata/items?q={q}").json()
    assert [f["id"] for f in body["features"]] == found


def test_bbox_and_pages(world):
    body = _get("/ogc/collections/metadata/items?bbox=25,42,26,43").json()
    assert [f["id"] for f in body["features"]] == ["sz-museums"]
    first = _get("/ogc/collections/metadata/items?limit=1").json()
    assert first["numberMatched"] == 2 and first["numberReturned"] == 1
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = _get(following).json()
    assert [f["id"] for f in second["features"]] == ["sz-museums"]


@pytest.mark.parametrize(("query", "parameter"), [
    ("filter=x", "filter"), ("sortby=title", "sortby"), ("bbox=1,2,3", "bbox"),
    ("limit=0", "limit"), ("f=xml", "f"),
])
def test_bad_or_unknown_parameters_are_refused_by_name(world, query, parameter):
    response = _get(f"/ogc/collections/metadata/items?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["description"]


ROLES = ("visitor", "other_member", "member", "editor", "moderator", "superuser")


@pytest.fixture
def people(world):
    sz = world["sz"]
    return {"visitor": None,
            "other_member": make_person(world["larissa"], "members"),
            "member": make_person(sz, "members", username="sz-member"),
            "editor": make_person(sz, "editors", username="sz-editor"),
            "moderator": make_person(sz, "moderators", username="sz-moderator"),
            "superuser": make_person(None, username="root", superuser=True, staff=True)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("layer", "sees"), [
    ("sz-museums", set(ROLES)),
    # For partners only: any partner's people.
    ("sz-upload", {"other_member", "member", "editor", "moderator", "superuser"}),
    # Private to Larissa: its people only (its member, and the superuser).
    ("larissa-private", {"other_member", "superuser"}),
])
def test_who_sees_a_record(people, role, layer, sees):
    for f in ("json", "jsonld", "xml"):
        response = _get(f"/ogc/collections/metadata/items/{layer}?f={f}", people[role])
        assert response.status_code == (200 if role in sees else 404), (f, role, layer)
    listed = _get("/ogc/collections/metadata/items?limit=500", people[role]).json()
    assert (layer in [r["id"] for r in listed["features"]]) == (layer == "sz-museums")


def test_dcat_ap_json_ld_parses_with_a_dataset_licence_and_a_distribution_per_format(world):
    # Not imported at the module's top: pytest's collection probes module attributes, and
    # rdflib's DCAT warns at every unknown one.
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    response = _get("/ogc/collections/metadata/items/sz-museums?f=jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert str(graph.value(dataset, DCTERMS.license)) == "https://spdx.org/licenses/CC-BY-4.0.html"
    titles = {(str(t), t.language) for t in graph.objects(dataset, DCTERMS.title)}
    assert ("Музеи", "bg") in titles
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset,
                                                                         DCAT.distribution)}
    for fmt in FORMATS:
        assert f"http://testserver/api/layers/sz-museums/export/?format={fmt}" in urls
    assert str(graph.value(dataset, DCTERMS.accrualPeriodicity)).endswith("/frequency/ANNUAL")
    # The same by content negotiation, and the catalogue as a dcat:Catalog.
    negotiated = _get("/ogc/collections/metadata/items/sz-museums",
                      HTTP_ACCEPT="application/ld+json")
    assert negotiated["Content-Type"].startswith("application/ld+json")
    catalogue = rdflib.Graph().parse(
        data=_get("/ogc/collections/metadata/items?f=jsonld").content, format="json-ld")
    (cat,) = catalogue.subjects(RDF.type, DCAT.Catalog)
    assert len(list(catalogue.objects(cat, DCAT.dataset))) == 2


def _iso(slug: str):
    response = _get(f"/ogc/collections/metadata/items/{slug}?f=xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.iso.19139+xml")
    return etree.fromstring(response.content)


def test_iso_19139_has_the_mandatory_elements_in_every_language(world):
    doc = _iso("sz-museums")
    assert doc.tag == f"{{{GMD}}}MD_Metadata"
    for path in ("gmd:contact/gmd:CI_ResponsibleParty/gmd:role",
                 "gmd:dateStamp/gco:DateTime",
                 "gmd:identificationInfo/gmd:MD_DataIdentification/gmd:citation/"
                 "gmd:CI_Citation/gmd:title",
                 "gmd:identificationInfo/gmd:MD_DataIdentification/gmd:citation/"
                 "gmd:CI_Citation/gmd:date/gmd:CI_Date/gmd:dateType",
                 "gmd:identificationInfo/gmd:MD_DataIdentification/gmd:abstract",
                 "gmd:identificationInfo/gmd:MD_DataIdentification/gmd:language",
                 "gmd:identificationInfo/gmd:MD_DataIdentification/gmd:extent/gmd:EX_Extent/"
                 "gmd:geographicElement/gmd:EX_GeographicBoundingBox/"
                 "gmd:westBoundLongitude/gco:Decimal",
                 "gmd:dataQualityInfo/gmd:DQ_DataQuality/gmd:lineage/gmd:LI_Lineage/"
                 "gmd:statement"):
        assert doc.find(path, NS) is not None, path
    title = doc.find(".//gmd:CI_Citation/gmd:title", NS)
    assert title.find("gco:CharacterString", NS).text == "Музеи"  # the partner's language
    localised = {e.get("locale"): e.text for e in
                 title.iterfind(".//gmd:LocalisedCharacterString", NS)}
    assert localised == {"#locale-bg": "Музеи", "#locale-en": "stara-zagora attractions"}
    locales = {e.get("id") for e in doc.iterfind("gmd:locale/gmd:PT_Locale", NS)}
    assert {ref[1:] for ref in localised} <= locales
    assert doc.find(".//gmd:maintenanceAndUpdateFrequency/gmd:MD_MaintenanceFrequencyCode",
                    NS).get("codeListValue") == "annually"
    assert doc.find(".//gmd:geometricObjectCount/gco:Integer", NS).text == "2"
    assert "CC-BY-4.0" in doc.find(".//gmd:otherConstraints/gco:CharacterString", NS).text
    assert len(doc.findall(".//gmd:distributionFormat", NS)) == len(FORMATS)


ISO_XSD = os.environ.get("ATLAS_ISO19139_XSD", "")


@pytest.mark.skipif(not ISO_XSD, reason=(
    "the ISO 19139 schemas (gmd.xsd and the gco, gss, gts, gsr, gml 3.2 and xlink ones it "
    "imports) are not packaged on PyPI, Debian or npm (npm's ogc-schemas holds Jsonix "
    "mappings, not the XSDs) and the tests fetch nothing from the web: set "
    "ATLAS_ISO19139_XSD to a local copy of gmd/gmd.xsd to validate"))
def test_iso_19139_validates_against_its_schema(world):
    schema = etree.XMLSchema(etree.parse(ISO_XSD))
    for slug in ("sz-museums", "larissa-trails"):
        doc = _iso(slug)
        assert schema.validate(doc), schema.error_log


def test_collections_link_their_record_and_licence_and_list_the_catalogue(world):
    collection = _get("/ogc/collections/sz-museums").json()
    links = [(link["rel"], link["href"]) for link in collection["links"]]
    assert ("describedby", "http://testserver/ogc/collections/metadata/items/sz-museums") in links
    assert ("license", "https://spdx.org/licenses/CC-BY-4.0.html") in links
    regional = _get("/ogc/collections/all-trails").json()
    assert ("license", "https://spdx.org/licenses/ODbL-1.0.html") in [
        (link["rel"], link["href"]) for link in regional["links"]]
    listed = _get("/ogc/collections").json()["collections"]
    catalogue = next(c for c in listed if c["id"] == "metadata")
    assert catalogue["itemType"] == "record"
    assert _get("/ogc/collections/metadata").json()["itemType"] == "record"
    conformance = _get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core" in conformance


def test_the_layer_page_links_its_metadata(world):
    page = _get("/layers/sz-museums/").content.decode()
    assert 'href="http://testserver/ogc/collections/metadata/items/sz-museums"' in page
    assert "?f=xml" in page and "?f=jsonld" in page


def test_the_openapi_document_describes_the_catalogue_and_answers_vary_by_accept(world):
    paths = _get("/ogc/api").json()["paths"]
    record = paths["/collections/metadata/items/{recordId}"]["get"]["responses"]
    assert set(record["200"]["content"]) == {"application/geo+json", "application/ld+json",
                                             "application/vnd.iso.19139+xml"}
    assert "404" in record and "/collections/metadata/items" in paths
    response = _get("/ogc/collections/metadata/items/sz-museums")
    assert "Accept" in response["Vary"]
