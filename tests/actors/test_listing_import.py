"""Listings from a partner's file (actors/imports.py): a CSV with longitude and latitude
or a GeoJSON of points, columns found by their names in the four languages, every row
checked by the listing form, all written or none; hours that are not in OpenStreetMap's
syntax kept as given and flagged; a row's identifier updates it on the next import; and
who may import through the admin (the matrix at the end)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from lxml import html

from actors.imports import ImportRefused, import_listings
from actors.models import Listing
from tests.factories import make_person

pytestmark = pytest.mark.django_db

# Bulgarian headers, semicolons and a byte-order mark, as a spreadsheet saves "CSV UTF-8".
SLIVEN_CSV = (
    "\ufeffid;Име;name_en;тип;дължина;ширина;Работно време;телефон;email;цена\n"
    "blue-stone;Къща „Синия камък“;Blue Stone guesthouse;къща за гости;26.33;42.70;"
    "Mo-Su 08:00-22:00;+359 44 000 000;stay@example.org;40\n"
    "karandila;Механа Карандила;Karandila tavern;restaurant;26.36;42.72;"
    "every day from 11 to 23;;;\n"
)


@pytest.fixture
def editor(territories):
    return make_person(territories["sliven"], "editors", username="sliven-editor")


def _import(user, text: str, name: str = "sliven.csv", **kw):
    return import_listings(name=name, data=text.encode(), user=user, **kw)


def test_a_csv_in_bulgarian_becomes_listings_of_the_partner_whose_territory_holds_them(
        editor):
    report = _import(editor, SLIVEN_CSV)
    assert (report.created, report.updated, report.problems) == (2, 0, [])
    stone = Listing.objects.get(source_id="blue-stone")
    assert (stone.partner.slug, stone.type, stone.name_bg, stone.name_en) == (
        "sliven", "accommodation", "Къща „Синия камък“", "Blue Stone guesthouse")
    assert (stone.opening_hours, stone.phone, stone.email, float(stone.price_from)) == (
        "Mo-Su 08:00-22:00", "+359 44 000 000", "stay@example.org", 40.0)
    assert (round(stone.location.x, 2), round(stone.location.y, 2)) == (26.33, 42.70)
    assert Listing.objects.get(source_id="karandila").type == "food_drink"


def test_hours_not_in_osm_syntax_are_kept_as_given_and_flagged_not_dropped(editor, client):
    report = _import(editor, SLIVEN_CSV)
    [flag] = report.flagged
    assert flag.row == 3 and "every day from 11 to 23" in flag.message
    tavern = Listing.objects.get(source_id="karandila")
    assert (tavern.opening_hours, tavern.hours_as_given) == ("", "every day from 11 to 23")
    page = html.fromstring(client.get(f"/services/{tavern.uid}/", {"lang": "en"}).content)
    assert page.cssselect("[data-hours-as-given] .hours-text")[0].text_content() == \
        "every day from 11 to 23"
    # Rewritten by an editor, the hours replace what the file gave.
    tavern.opening_hours = "Mo-Su 11:00-23:00"
    tavern.full_clean()
    tavern.save()
    assert Listing.objects.get(pk=tavern.pk).hours_as_given == ""


def test_one_refused_row_writes_nothing_and_each_problem_names_file_row_and_field_in_bulgarian(
        editor):
    text = SLIVEN_CSV + (
        "ghost;Призрак;Ghost inn;castle;26.40;42.75;;;not-an-address;\n"  # row 4
        "far;Далече;Far inn;hotel;5.0;44.9;;;;\n")  # row 5: in the Drôme
    with translation.override("bg"):
        report = _import(editor, text)
        lines = report.lines()
    assert not report.written and not Listing.objects.exists()
    rows = {(p.row, p.field) for p in report.problems}
    assert (4, "Вид") in rows, report.problems
    assert (4, "Имейл") in rows, report.problems
    assert [p.row for p in report.problems].count(5) == 1
    assert "Drôme" in next(p.message for p in report.problems if p.row == 5)
    assert any(line.startswith("sliven.csv, ред 4, Вид:") for line in lines), lines


def test_a_second_import_updates_the_rows_it_identifies(editor):
    _import(editor, SLIVEN_CSV)
    stone = Listing.objects.get(source_id="blue-stone")
    report = _import(editor, SLIVEN_CSV.replace("Blue Stone guesthouse", "Blue Stone inn"))
    assert (report.created, report.updated) == (0, 2)
    again = Listing.objects.get(source_id="blue-stone")
    assert (again.pk, again.uid, again.name_en) == (stone.pk, stone.uid, "Blue Stone inn")
    twice = SLIVEN_CSV + "blue-stone;Пак;Again;hotel;26.331;42.701;;;;\n"
    report = _import(editor, twice)
    assert [(p.row, p.message) for p in report.problems] == [
        (4, "the identifier blue-stone is also on row 2.")]


def test_a_dry_run_checks_every_row_and_writes_nothing(editor):
    report = _import(editor, SLIVEN_CSV, dry_run=True)
    assert report.rows == 2 and not report.problems and not report.written
    assert not Listing.objects.exists()


def test_a_geojson_of_points_is_imported_and_a_line_among_them_refused(editor):
    points = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [26.33, 42.70]},
         "properties": {"ref": "b1", "name": "Bike hire Sliven", "type": "bike_rental",
                        "website": "bikes.example.org"}},
    ]}
    report = _import(editor, json.dumps(points), name="bikes.geojson")
    assert report.created == 1
    bikes = Listing.objects.get(source_id="b1")
    # A name that says no language is in the partner's main one (Sliven's: Bulgarian).
    assert (bikes.type, bikes.name_bg, bikes.website) == (
        "rental_transport", "Bike hire Sliven", "https://bikes.example.org")
    points["features"].append({"type": "Feature", "properties": {"name": "A path",
                                                                 "type": "guide"},
                               "geometry": {"type": "LineString",
                                            "coordinates": [[26.3, 42.7], [26.4, 42.8]]}})
    report = _import(editor, json.dumps(points), name="bikes.geojson")
    assert [(p.row, "LineString" in p.message) for p in report.problems] == [(2, True)]
    assert Listing.objects.count() == 1


@pytest.mark.parametrize(("name", "data", "says"), [
    ("list.csv", "name;type\nInn;hotel\n", "lon, lat"),
    ("list.csv", "lon,lat,type\n26.3,42.7,hotel\n", "no name column"),
    ("list.csv", "name,lon,lat,type\nКъща,26.3,42.7,hotel\n".encode("cp1251"), "UTF-8"),
    ("list.xlsx", "anything", "CSV"),
    ("list.geojson", "{not json", "not GeoJSON"),
])
def test_a_file_that_cannot_be_read_is_refused_whole_naming_the_file(editor, name, data, says):
    raw = data if isinstance(data, bytes) else data.encode()
    with pytest.raises(ImportRefused) as refused:
        import_listings(name=name, data=raw, user=editor)
    assert name in str(refused.value) and says in str(refused.value)


def test_the_command_line_writes_all_or_nothing(editor, tmp_path, capsys):
    good = tmp_path / "sliven.csv"
    good.write_text(SLIVEN_CSV)
    call_command("import_listings", str(good), "--user", "sliven-editor")
    assert Listing.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(SLIVEN_CSV.replace("blue-stone;", "new-stone;").replace(
        ";26.33;42.70;", ";5.0;44.9;"))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_listings", str(bad), "--user", "sliven-editor")
    assert "bad.csv, row 2" in capsys.readouterr().err
    assert Listing.objects.count() == 2


# role -> what the admin's import page answers (GET), and whether its upload writes.
MATRIX = {
    "anonymous": (302, False),
    "sliven member": (302, False),  # not staff: the admin's sign-in
    "drome editor": (200, False),  # Sliven's places are not theirs: the rows are refused
    "sliven editor": (200, True),
    "superuser": (200, True),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_who_may_import_listings_through_the_admin(client, territories, who):
    people = {
        "anonymous": None,
        "sliven member": make_person(territories["sliven"], "members"),
        "drome editor": make_person(territories["drome"], "editors"),
        "sliven editor": make_person(territories["sliven"], "editors"),
        "superuser": make_person(None, username="root", superuser=True, staff=True),
    }
    if people[who] is not None:
        client.force_login(people[who])
    status, writes = MATRIX[who]
    assert client.get("/admin/actors/listing/import/").status_code == status
    upload = SimpleUploadedFile("sliven.csv", SLIVEN_CSV.encode(), content_type="text/csv")
    answer = client.post("/admin/actors/listing/import/", {"file": upload})
    assert Listing.objects.exists() == writes
    if status == 200:
        assert answer.status_code == (200 if writes else 400)
        page = html.fromstring(answer.content)
        if writes:
            assert page.cssselect("[data-import-written]")
            changelist = html.fromstring(client.get("/admin/actors/listing/").content)
            assert changelist.cssselect("a[data-import-link]")
        else:
            assert page.cssselect("[data-import-problems] li[data-row='2']")


def test_hours_as_given_longer_than_their_field_are_cut_not_a_failed_write(editor):
    long_hours = "open most days, " * 20  # 320 characters, none of them OSM's syntax
    text = ("id;name_en;type;lon;lat;opening_hours\n"
            f"long;Long hours inn;hotel;26.33;42.70;{long_hours}\n")
    report = _import(editor, text)
    assert report.written and report.problems == [] and len(report.flagged) == 1
    kept = Listing.objects.get(source_id="long").hours_as_given
    assert len(kept) == 255 and kept.endswith("…") and long_hours.startswith(kept[:-1])
