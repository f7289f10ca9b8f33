"""An attraction import maps the practical fields an attraction shares with listings
(e-mail, booking link, price, currency, season, languages, accessibility in each
language); opening hours not in OpenStreetMap's syntax are kept as given and flagged,
and a value not understood is left empty with its original kept and a warning."""

from __future__ import annotations

import json
from decimal import Decimal

from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction

FEATURES = [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.6264, 42.4271]},
     "properties": {"id": "forum", "name": "Античен форум", "horaires": "Tu-Su 09:00-17:00; PH off",
                    "email": "forum@example.bg", "reservation": "tickets.example.bg/forum",
                    "prix": "6,50 лв", "prix_max": "12", "devise": "лв", "saison": "4-10",
                    "langues": "bg, EN", "accessibility_en": "Ramp at the east gate",
                    "достъпност": "Рампа откъм източния вход"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.6109, 42.4246]},
     "properties": {"id": "neolithic", "name": "Неолитни жилища",
                    "horaires": "вторник-неделя 9-17ч", "email": "not an address",
                    "reservation": "", "prix": "безплатно", "prix_max": None, "devise": "",
                    "saison": "май", "langues": "bulgarian", "accessibility_en": None,
                    "достъпност": None}},
]


def _import(partners, tmp_path, features):
    path = tmp_path / "obekti.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return run_import(ImportRequest(path=path, partner=partners["stara-zagora"],
                                    layer_slug="sz-practical", kind="attractions",
                                    id_field="id"))


def test_an_attraction_import_maps_the_practical_fields(partners, tmp_path):
    result = _import(partners, tmp_path, FEATURES)
    assert result.counts["created"] == 2
    forum = Attraction.objects.get(source_id="forum")
    assert forum.opening_hours == "Tu-Su 09:00-17:00; PH off"
    assert forum.hours_as_given == ""
    assert forum.email == "forum@example.bg"
    assert forum.booking_url == "https://tickets.example.bg/forum"
    assert (forum.price_from, forum.price_to, forum.currency) == (
        Decimal("6.50"), Decimal("12.00"), "BGN")
    assert forum.season_months == [4, 5, 6, 7, 8, 9, 10]
    assert forum.languages == ["bg", "en"]
    assert forum.accessibility_en == "Ramp at the east gate"
    assert forum.accessibility_bg == "Рампа откъм източния вход"


def test_hours_not_in_osm_syntax_are_kept_as_given_and_flagged(partners, tmp_path):
    result = _import(partners, tmp_path, FEATURES)
    neolithic = Attraction.objects.get(source_id="neolithic")
    assert neolithic.opening_hours == ""
    assert neolithic.hours_as_given == "вторник-неделя 9-17ч"
    # The other values not understood: left empty (the default), their originals kept.
    assert (neolithic.email, neolithic.season_months, neolithic.languages) == ("", [], [])
    assert neolithic.currency == "EUR"
    assert neolithic.price_from == Decimal("0.00")  # "free"
    assert neolithic.properties["email"] == "not an address"
    assert neolithic.properties["saison"] == "май"
    assert neolithic.properties["langues"] == "bulgarian"
    warnings = {(i.field, i.reason.english) for i in result.issues if i.severity == "warning"}
    hours = [w for f, w in warnings if f == "horaires"]
    assert len(hours) == 1 and "'вторник-неделя 9-17ч' is not in OpenStreetMap's opening " \
        "hours syntax" in hours[0] and "kept as given" in hours[0]
    assert any(f == "email" and "is not a known e-mail" in w for f, w in warnings)


def test_reimport_with_hours_rewritten_empties_the_hours_as_given(partners, tmp_path):
    _import(partners, tmp_path, FEATURES)
    fixed = json.loads(json.dumps(FEATURES))
    fixed[1]["properties"]["horaires"] = "Tu-Su 09:00-17:00"
    _import(partners, tmp_path, fixed)
    neolithic = Attraction.objects.get(source_id="neolithic")
    assert (neolithic.opening_hours, neolithic.hours_as_given) == ("Tu-Su 09:00-17:00", "")
