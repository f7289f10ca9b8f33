"""Cross-script search: one folding in Python and in PostgreSQL, word-prefix matching."""

from __future__ import annotations

import json
import random

import pytest
from django.db import connection

from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction
from layers.search import _FROM, _REPLACE, fold
from tests.factories import make_attraction, make_layer, make_partner

pytestmark = pytest.mark.django_db

ALPHABETS = (
    "абвгдежзийклмнопрстуфхцчшщъьюяѝ" "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ"
    "αβγδεζηθικλμνξοπρστυφχψωςάέήίόύώϊϋΐΰ" "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫ"
    "àâäáãåçèéêëìíîïñòóôöõùúûüýÿœæčďěňřšťůžąćęłńśźżőűășțß" "ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸŒÆİ"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " \t\n„“”‘’«»–—-'.,;:()/&№€"
)
SAMPLES = [
    "Стара Загора", "Λάρισα", "Λάρισσα", "Αρχαίο Θέατρο Λάρισας", "ΟΔΟΣ ΕΥΑΓΓΕΛΙΣΤΡΙΑΣ",
    "Музей „Неолитни жилища“", "Щастливеца", "Ψυχή αύρα εύκολο ούζο", "Saint-Vallier",
    "Crest — la tour", "İstanbul", "aaa  bbb\t\tccc\n\nddd", "Ξενοδοχείο Ξάνθη", "Μουσείο 11",
    "", " ", "Sliven ", "Œuvre d'Ædouard", "Čertovo Štúrovo Łódź Gdańsk",
]


def _sql_fold(texts: list[str]) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT atlas_latin(t) FROM unnest(%s::text[]) WITH ORDINALITY u(t, n) "
                    "ORDER BY n", [texts])
        return [r[0] for r in cur.fetchall()]


def test_python_folds_every_letter_as_postgresql_does():
    letters = sorted(set(ALPHABETS + _FROM + "".join(old for old, _ in _REPLACE)))
    texts = [*letters, *(a + b for a in letters for b in "αυύοsσς аея"), *SAMPLES]
    rng = random.Random(7)
    texts += ["".join(rng.choice(ALPHABETS) for _ in range(rng.randint(1, 40)))
              for _ in range(3000)]
    assert [fold(t) for t in texts] == _sql_fold(texts)


def test_digits_are_not_squeezed_as_letters_are():
    """Trust D5: "(.)\\1+" folded "1000" to "10"; only doubled letters fold (Larissa)."""
    texts = ["1000", "Bunker 1000", "Λάρισσα", "Larissa", "Zoo", "sss", "11 ..  ,,"]
    expected = ["1000", "bunker 1000", "larisa", "larisa", "zo", "ss", "11 ..  ,,"]
    assert [fold(t) for t in texts] == expected
    assert _sql_fold(texts) == expected


def test_q_with_a_number_finds_that_number_only(client):
    layer = make_layer(make_partner())
    make_attraction(layer, 25.61, 42.43, name_en="Bunker 10")
    make_attraction(layer, 25.62, 42.43, name_en="Bunker 1000")
    assert _names(client, "1000") == ["Bunker 1000"]
    assert _names(client, "bunker 10") == ["Bunker 10", "Bunker 1000"]


def test_search_text_is_written_by_the_database_for_other_writers():
    layer = make_layer(make_partner())
    zoo = make_attraction(layer, 25.61, 42.43, name_en="Stara Zagora Zoo", name_bg="Зоопарк")

    def stored() -> str:
        with connection.cursor() as cur:
            cur.execute("SELECT search FROM layers_attraction WHERE id = %s", [zoo.pk])
            return cur.fetchone()[0]

    assert stored().split() == ["zopark", "stara", "zagora", "zo"]
    zoo.description_fr = "Le zoo de Stara Zagora, 1000 m"
    zoo.save()
    assert stored().split() == ["zopark", "stara", "zagora", "zo", "le", "zo", "de", "stara",
                                "zagora,", "1000", "m"]
    Attraction.objects.filter(pk=zoo.pk).update(name_bg=None)
    assert "zopark" not in stored()


def test_an_import_stores_what_the_database_would_fold(tmp_path):
    partner = make_partner("larissa", bbox=(21.6, 39.1, 23.1, 40.2), country="GR",
                           languages=["el", "en"])
    rows = [("Αρχαίο Θέατρο Λάρισας", "Ancient Theatre", "Ρωμαϊκό θέατρο"),
            ("ΜΟΝΗ ΑΓΙΟΥ ΝΙΚΟΛΑΟΥ", "", None), ("Ξενώνας «Ευαγγελία»", "Guesthouse", ""),
            ("Πηγή   Ψυχής", None, "νερό\nπηγής"),
            # Longer than the column (300): stored cut, and searched as stored.
            ("Μουσείο " + "αβγ" * 150, "Museum", "Ιστορία της πόλης")]
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [22.4, 39.6]},
                 "properties": {"id": i, "name_el": el, "name_en": en, "description_el": desc}}
                for i, (el, en, desc) in enumerate(rows)]
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    run_import(ImportRequest(path=path, partner=partner, layer_slug="lar-sites",
                             kind="attractions"))
    with connection.cursor() as cur:
        cur.execute("""
            SELECT search, atlas_latin(coalesce(name_bg, '') || ' ' || coalesce(name_el, '')
                || ' ' || coalesce(name_fr, '') || ' ' || coalesce(name_en, '') || ' '
                || coalesce(description_bg, '') || ' ' || coalesce(description_el, '') || ' '
                || coalesce(description_fr, '') || ' ' || coalesce(description_en, ''))
            FROM layers_attraction ORDER BY source_id""")
        stored = cur.fetchall()
    assert len(stored) == len(rows)
    assert [search for search, _ in stored] == [expected for _, expected in stored]
    assert stored[0][0].split() == ["archaio", "theatro", "larisas", "ancient", "theatre",
                                    "romaiko", "theatro"]


@pytest.fixture
def sites():
    sz = make_layer(make_partner())
    for name_bg, name_en in (("Античен форум", "Antique Forum"),
                             ("Стара загора", "Stara Zagora Zoo"),
                             ("Зелен клуб", "Zagorka beer garden")):
        make_attraction(sz, 25.61, 42.43, name_bg=name_bg, name_en=name_en)


def _names(client, q: str) -> list[str]:
    body = json.loads(client.get("/api/attractions/", {"q": q, "lang": "en"}).content)
    return sorted(f["properties"]["name"] for f in body["features"])


@pytest.mark.parametrize(("q", "expected"), [
    ("Стара Заг", ["Stara Zagora Zoo"]),  # what a user has typed so far
    ("zagor", ["Stara Zagora Zoo", "Zagorka beer garden"]),
    ("forum", ["Antique Forum"]),
    ("ФОРУМ антич", ["Antique Forum"]),
    ("zoo „", ["Stara Zagora Zoo"]),  # punctuation alone rules nothing out
    ("agora", ["Stara Zagora Zoo"]),  # not a word's start, but close to one (a typo)
    ("agor", []),  # words are matched from their start; too short to be close
    ("forum zoo", []),  # every word must match
])
def test_q_matches_word_prefixes_in_any_script(client, sites, q, expected):
    assert _names(client, q) == expected
