"""Listings from DATAtourisme's JSON-LD (actors/datatourisme.py, through the listing
import of actors/imports.py): type from the @type classes, names and descriptions per
language, point, address, contact, an event's days, prices, and opening hours written in
OpenStreetMap's syntax where exact, otherwise kept as text and flagged; a refused object
writes nothing, and the report names the file, the object and the field.

The objects are built here after a real DATAtourisme object, "Chez Jeanne", a crêperie of
the Manche: https://data.datatourisme.fr/30/0049c43b-5087-3c44-87ef-349d316fc2b8 (as a
DATAtourisme flow publishes it, one JSON-LD file per point of interest; the copy read was
data/30-0049c43b-5087-3c44-87ef-349d316fc2b8.json of github.com/Farontir/datatourisme).
DATAtourisme's data are under the Licence Ouverte / Etalab 2.0. The tests keep its
structure (keys, language maps, lists, the contact, the place with its address, point
and opening hours specification, as that file writes them) and move the places into the
Drôme (the real point, in Normandy, serves as the place outside every territory); the
lodging and the event follow the same file's shapes for LodgingBusiness and Event objects
of that flow."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import html

from actors.datatourisme import opening_hours
from actors.imports import ImportRefused, import_listings
from actors.models import Listing
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _day(name: str) -> dict[str, Any]:
    return {"@id": f"schema:{name}", "@type": ["schema:DayOfWeek"],
            "rdfs:label": {"en": [name], "fr": [name]}}


def _spec(day: str, opens: str | None, closes: str | None, start: str, end: str) -> dict:
    spec: dict[str, Any] = {
        "@id": "https://data.datatourisme.fr/035dda97-f6e7-335c-b90b-088ed3749681",
        "schema:dayOfWeek": [_day(day)], "schema:validFrom": f"{start}T00:00:00",
        "schema:validThrough": f"{end}T00:00:00", "@type": ["schema:OpeningHoursSpecification"],
        "additionalInformation": {"fr": ["Service de 12h à 14h et de 19h à 20h30 l’hiver"]}}
    if opens:
        spec["schema:opens"] = opens
    if closes:
        spec["schema:closes"] = closes
    return spec


def _place(lat: str, lon: str, specs: list[dict]) -> dict[str, Any]:
    return {
        "@id": "https://data.datatourisme.fr/509798a6-e888-31a2-b009-94dd2b8d9367",
        "schema:address": [{
            "@id": "https://data.datatourisme.fr/01e302cd-233e-323a-87b2-249b338bccd4",
            "schema:addressLocality": "Crest", "schema:postalCode": "26400",
            "schema:streetAddress": ["1 rue de la Tour"],
            "@type": ["schema:PostalAddress", "PostalAddress"],
            "hasAddressCity": {"@id": "kb:26108", "@type": ["City"],
                               "rdfs:label": {"fr": ["Crest"], "en": ["Crest"]},
                               "insee": "26108"}}],
        "schema:geo": {"@id": "https://data.datatourisme.fr/7207cc7a-bea0-3ba8-9651",
                       "schema:latitude": lat, "schema:longitude": lon,
                       "@type": ["schema:GeoCoordinates"]},
        "schema:openingHoursSpecification": specs,
        "@type": ["schema:Place", "Place"]}


def _restaurant() -> dict[str, Any]:
    winter, summer = ("2023-01-02", "2023-06-30"), ("2023-07-01", "2023-08-31")
    specs = [_spec(d, "12:00:00", "14:00:00", *winter) for d in ("Monday", "Saturday")]
    specs += [_spec("Saturday", "19:00:00", "20:30:00", *winter)]
    specs += [_spec(d, "19:00:00", "21:00:00", *summer) for d in ("Friday", "Saturday")]
    return {
        "@id": "https://data.datatourisme.fr/30/0049c43b-5087-3c44-87ef-349d316fc2b8",
        "dc:identifier": "RESNOR050V50LHP5",
        "@type": ["schema:FoodEstablishment", "schema:Restaurant", "FoodEstablishment",
                  "PlaceOfInterest", "PointOfInterest", "Restaurant"],
        "rdfs:comment": {"en": ["The Crêperie offers buckwheat pancakes…"],
                         "fr": ["La Crêperie vous propose des galettes…"],
                         "de": ["Die Crêperie bietet…"]},
        "rdfs:label": {"en": ["Chez Jeanne"], "fr": ["Chez Jeanne"]},
        "creationDate": "2014-10-08",
        "hasContact": [{
            "@id": "https://data.datatourisme.fr/ccf8c95e-2a4c-31dd-944e-207cd775d339",
            "schema:email": ["chezjeannecreperie@example.org"],
            "schema:telephone": ["+33 2 14 14 13 60", "+33 6 15 48 54 72"],
            "@type": ["foaf:Agent", "Agent"],
            "foaf:homepage": ["http://www.example.org/chezjeanne/"]}],
        "hasDescription": [{
            "@id": "https://data.datatourisme.fr/c7022af0-2499-3121-a8ba-0099181f73ef",
            "dc:description": {"en": ["Organic buckwheat pancakes, home made ice creams."],
                               "fr": ["Galettes de sarrasin bio, glaces artisanales."],
                               "nl": ["Biologische boekweitpannenkoeken."]},
            "@type": ["Description"]}],
        "isLocatedAt": [_place("44.7284", "5.0226", specs)],
        "lastUpdate": "2024-01-23"}


def _lodging() -> dict[str, Any]:
    """A gîte whose days say no hours (as LodgingBusiness objects of the flow do)."""
    year = ("2023-01-01", "2023-12-31")
    return {
        "@id": "https://data.datatourisme.fr/23/005819a3-aaf9-31ba-9f1f-5616e78d8738",
        "dc:identifier": "HLOLIM087V50D8ZK",
        "@type": ["schema:Accommodation", "schema:LodgingBusiness", "Accommodation",
                  "PlaceOfInterest", "PointOfInterest", "RentalAccommodation"],
        "rdfs:label": {"fr": ["Mazette"], "en": ["Mazette"], "de": ["Mazette"]},
        "allowedPersons": 6, "availableLanguage": ["fr"],
        "hasContact": [
            {"schema:legalName": "Gîtes de France Réservation",
             "schema:telephone": ["+33 5 55 79 72 63"],
             "foaf:homepage": ["https://booking.example.org/"]},
            {"schema:legalName": "Mazette", "schema:telephone": ["+33 4 75 00 00 00"],
             "schema:email": ["mazette@example.org"]}],
        "hasBookingContact": [{"foaf:homepage": ["https://booking.example.org/mazette"]}],
        "offers": [{"schema:priceSpecification": [
            {"schema:maxPrice": ["509"], "schema:priceCurrency": "EUR"},
            {"schema:minPrice": ["205"], "schema:priceCurrency": "EUR"}]}],
        "isLocatedAt": [_place("44.9", "5.2", [_spec(d, None, None, *year)
                                               for d in ("Monday", "Sunday")])]}


def _event() -> dict[str, Any]:
    return {
        "@id": "https://data.datatourisme.fr/49/00037bcf-28e4-3322-b72f-377587204703",
        "dc:identifier": "FMAPDL049V5142O3",
        "schema:startDate": ["2027-05-01", "2027-05-02", "2027-05-03"],
        "schema:endDate": ["2027-05-01", "2027-05-02", "2027-05-03"],
        "@type": ["schema:Event", "schema:ExhibitionEvent", "CulturalEvent",
                  "EntertainmentAndEvent", "Exhibition", "PointOfInterest"],
        "rdfs:label": {"fr": ["Exposition : émotions enfouies"]},
        "isLocatedAt": [_place("44.75", "5.03", [])]}


def _file(*objects: dict[str, Any]) -> bytes:
    """A JSON-LD document of the objects (as DATAtourisme's complete exports: @graph)."""
    return json.dumps({"@context": {"schema": "http://schema.org/"},
                       "@graph": list(objects)}).encode()


@pytest.fixture
def editor(territories):
    return make_person(territories["drome"], "editors", username="drome-editor")


def test_datatourisme_objects_become_listings_with_their_fields(editor):
    report = import_listings(name="drome.jsonld", user=editor,
                             data=_file(_restaurant(), _lodging(), _event()))
    assert (report.created, report.problems) == (3, [])
    jeanne = Listing.objects.get(source_id="RESNOR050V50LHP5")
    assert (jeanne.partner.slug, jeanne.type, jeanne.name_fr, jeanne.name_en) == (
        "drome", "food_drink", "Chez Jeanne", "Chez Jeanne")
    assert jeanne.description_fr == "Galettes de sarrasin bio, glaces artisanales."
    assert jeanne.description_en == "Organic buckwheat pancakes, home made ice creams."
    assert (round(jeanne.location.x, 4), round(jeanne.location.y, 4)) == (5.0226, 44.7284)
    assert jeanne.address == "1 rue de la Tour, 26400 Crest"
    assert (jeanne.phone, jeanne.email, jeanne.website) == (
        "+33 2 14 14 13 60", "chezjeannecreperie@example.org",
        "http://www.example.org/chezjeanne/")
    # Each period its rule, its days grouped by their times, in OpenStreetMap's syntax.
    assert jeanne.opening_hours == (
        "2023 Jan 02-2023 Jun 30 Mo 12:00-14:00; "
        "2023 Jan 02-2023 Jun 30 Sa 12:00-14:00,19:00-20:30; "
        "2023 Jul 01-2023 Aug 31 Fr,Sa 19:00-21:00")
    assert jeanne.hours_as_given == ""
    gite = Listing.objects.get(source_id="HLOLIM087V50D8ZK")
    # The place's own contact, not the booking centre's; the booking centre's link.
    assert (gite.type, gite.phone, gite.email, gite.booking_url) == (
        "accommodation", "+33 4 75 00 00 00", "mazette@example.org",
        "https://booking.example.org/mazette")
    assert (gite.capacity, gite.languages, float(gite.price_from), float(gite.price_to)) == (
        6, ["fr"], 205.0, 509.0)
    show = Listing.objects.get(source_id="FMAPDL049V5142O3")
    assert (show.type, str(show.starts_on), str(show.ends_on), show.name_fr) == (
        "event", "2027-05-01", "2027-05-03", "Exposition : émotions enfouies")


def test_hours_that_osm_syntax_cannot_say_exactly_are_kept_as_text_and_flagged(editor):
    with translation.override("fr"):
        report = import_listings(name="gite.json", user=editor, data=_file(_lodging()))
        lines = report.lines()
    assert report.written and report.problems == []
    gite = Listing.objects.get(source_id="HLOLIM087V50D8ZK")
    assert gite.opening_hours == ""
    assert gite.hours_as_given == "2023-01-01–2023-12-31: Mo ?; 2023-01-01–2023-12-31: Su ?"
    [flag] = report.flagged
    assert flag.object == "HLOLIM087V50D8ZK"
    assert lines == [
        "gite.json, objet HLOLIM087V50D8ZK, Horaires d’ouverture : conservé tel quel "
        "(2023-01-01–2023-12-31: Mo ?; 2023-01-01–2023-12-31: Su ?) pour qu’un éditeur le "
        "réécrive dans la syntaxe d’OpenStreetMap : des jours sans heures d’ouverture et "
        "de fermeture"]


def test_one_refused_object_writes_nothing_and_the_report_names_file_object_and_field(editor):
    normandy = _restaurant()  # where the real crêperie is: in no partner's territory
    normandy["dc:identifier"] = "RESNOR-REAL"
    normandy["isLocatedAt"][0]["schema:geo"].update(
        {"schema:latitude": "49.4090531", "schema:longitude": "-1.3177702"})
    abbey = copy.deepcopy(_restaurant())
    abbey["dc:identifier"] = "PCUNOR050FS0001B"
    abbey["@type"] = ["Abbey", "CulturalSite", "PlaceOfInterest", "PointOfInterest"]
    with translation.override("fr"):
        report = import_listings(name="drome.jsonld", user=editor,
                                 data=_file(_event(), normandy, abbey))
        lines = report.lines()
    assert not report.written and not Listing.objects.exists()
    assert {(p.object, p.field) for p in report.problems} == {
        ("RESNOR-REAL", "longitude"), ("PCUNOR050FS0001B", "Type")}
    assert all(line.startswith("drome.jsonld, objet ") for line in lines)
    assert any("objet PCUNOR050FS0001B, Type : " in line and "Abbey, CulturalSite" in line
               for line in lines)


def test_one_object_per_file_as_a_flow_gives_them_and_a_second_import_updates_it(editor):
    first = import_listings(name="30-0049c43b.json", user=editor,
                            data=json.dumps(_restaurant()).encode())
    assert first.created == 1
    renamed = _restaurant()
    renamed["rdfs:label"]["fr"] = ["Chez Jeanne, crêperie"]
    again = import_listings(name="30-0049c43b.json", user=editor,
                            data=json.dumps(renamed).encode())
    assert (again.created, again.updated) == (0, 1)
    assert Listing.objects.get().name_fr == "Chez Jeanne, crêperie"


def test_a_json_ld_document_without_a_point_of_interest_is_refused_naming_the_file(editor):
    with pytest.raises(ImportRefused) as refused:
        import_listings(name="empty.jsonld", user=editor,
                        data=b'{"@context": {}, "@graph": [{"@id": "kb:France"}]}')
    assert "empty.jsonld" in str(refused.value) and "DATAtourisme" in str(refused.value)


def test_the_command_line_imports_datatourisme_all_or_nothing(editor, tmp_path, capsys):
    path = tmp_path / "drome.jsonld"
    path.write_bytes(_file(_restaurant(), _event()))
    call_command("import_listings", str(path), "--user", "drome-editor", "--dry-run")
    assert not Listing.objects.exists()
    call_command("import_listings", str(path), "--user", "drome-editor")
    assert Listing.objects.count() == 2
    abbey = _restaurant()
    abbey["@type"] = ["Abbey"]
    path.write_bytes(_file(abbey))
    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--user", "drome-editor")
    assert "drome.jsonld, object RESNOR050V50LHP5, Type: " in capsys.readouterr().err


@pytest.mark.parametrize(("specs", "osm", "reason"), [
    ([_spec("Sunday", "10:00:00", "23:59:59", "2024-04-01", "2024-04-07")],
     "2024 Apr 01-2024 Apr 07 Su 10:00-24:00", ""),
    ([_spec("Saturday", "10:00:00", "18:00:00", "2024-01-01", "2024-12-31"),
      _spec("Saturday", "10:00:00", "17:00:00", "2024-05-06", "2024-07-07")],
     "", "periods that overlap"),
    ([_spec("Monday", "10:00:30", "18:00:00", "2024-01-01", "2024-12-31")],
     "", "times that are not whole minutes"),
    ([{"schema:validFrom": "2022-01-01T00:00:00", "schema:validThrough": "2022-12-31"}],
     "", "a period without days of the week"),
])
def test_an_opening_hours_specification_is_written_in_osm_syntax_only_when_exact(
        specs, osm, reason):
    hours = opening_hours(specs)
    assert (hours.osm, hours.reason) == (osm, reason)
    assert bool(hours.text) == bool(reason)


def test_the_admins_import_page_names_a_refused_object_by_its_identifier(client, editor):
    client.force_login(editor)
    abbey = _restaurant()
    abbey["@type"] = ["Abbey", "CulturalSite"]
    upload = SimpleUploadedFile("drome.jsonld", _file(_event(), abbey),
                                content_type="application/ld+json")
    answer = client.post("/admin/actors/listing/import/?lang=fr", {"file": upload},
                         HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 400 and not Listing.objects.exists()
    page = html.fromstring(answer.content.decode())
    [problem] = page.cssselect("[data-import-problems] li")
    assert problem.get("data-object") == "RESNOR050V50LHP5"
    assert problem.text_content().startswith("objet RESNOR050V50LHP5, Type : ")
    flagged = SimpleUploadedFile("gite.jsonld", _file(_lodging()))
    page = html.fromstring(client.post("/admin/actors/listing/import/",
                                       {"file": flagged},
                                       HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    [kept] = page.cssselect("[data-import-flagged] li")
    assert kept.text_content().startswith("objet HLOLIM087V50D8ZK, Horaires d’ouverture : ")
