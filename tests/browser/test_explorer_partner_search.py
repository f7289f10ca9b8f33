"""The explorer's search finds partner territories as the API's ``q`` finds features:
every word from the start of a word, in any script, without regard to accents or case."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from tests.browser.explorer import OVERVIEW, open_explorer
from tests.factories import make_partner
from tests.layers.test_search import ALPHABETS, SAMPLES

pytestmark = [pytest.mark.browser]

PARTNER = "Partner territory"


@pytest.fixture
def four_partners(region):
    make_partner("larissa", bbox=(22.2, 39.5, 22.6, 39.8), name_el="Λάρισα", name_en="Larissa",
                 name_fr="Larissa", name_bg="Лариса")
    make_partner("drome", bbox=(4.6, 44.1, 5.8, 45.3), name_fr="Drôme", name_en="Drôme",
                 name_bg="Дром", name_el="Ντρομ")
    return region


def _partners_found(page, text: str) -> list[str]:
    """The partner territories among the results for ``text`` (Enter asks at once)."""
    page.fill("#atlas-search-input", text)
    page.press("#atlas-search-input", "Enter")
    page.wait_for_selector(".atlas-results li", timeout=5_000)
    return [r.locator(".atlas-result-name").inner_text()
            for r in page.locator(".atlas-result").all()
            if r.locator(".atlas-result-kind").inner_text() == PARTNER]


FOUND = {
    "agora": [], "ora": [], "issa": [], "rome": [], "liven": [],
    "zag": ["Stara Zagora"], "STARA ZAG": ["Stara Zagora"], "Заг": ["Stara Zagora"],
    "ζαγκ": ["Stara Zagora"], "sliv": ["Sliven"], "larisa": ["Larissa"], "λαρ": ["Larissa"],
    "drome": ["Drôme"], "DRÔ": ["Drôme"], "Дро": ["Drôme"],
}


@pytest.mark.django_db(transaction=True)
def test_search_finds_partners_from_the_start_of_a_word(page, live_server, four_partners):
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    found = {text: _partners_found(page, text) for text in FOUND}
    assert found == FOUND


@pytest.mark.django_db(transaction=True)
def test_a_partner_inside_a_word_is_not_found_but_the_same_words_start_are(page, live_server,
                                                                         four_partners):
    """"agor" is inside Stara Zagora, and the API finds no feature for it either (nor
    close to it: "agora" would be, a typo of "zagora" by the API's trigrams)."""
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    page.fill("#atlas-search-input", "agor")
    page.press("#atlas-search-input", "Enter")
    page.wait_for_selector(".atlas-no-result", timeout=5_000)
    assert page.locator(".atlas-result").count() == 0
    assert _partners_found(page, "stara zagora") == ["Stara Zagora"]


NAMES = [
    "Стара Загора", "Στάρα Ζαγκόρα", "Drôme", "Saint-Vallier", "Forum d’Augusta Traiana",
    "Λάρισα", "Άγιος Αθανάσιος", "Œuvre d'Ædouard", "Sliven – Сливен", "Crest — la tour",
    "Μουσείο 11", "Ξενοδοχείο Ξάνθη", "İstanbul", "Щастливеца", "ΟΔΟΣ ΕΥΑΓΓΕΛΙΣΤΡΙΑΣ",
    "Νέα Αγχίαλος", "Montélimar", "Nyons", "Vallée de la Drôme",
]
QUERIES = [
    "agora", "zag", "stara zag", "Заг", "ζαγκ", "saint-v", "vallier", "saint-vallier", "t-v",
    "aug", "d", "augusta", "traian", "larisa", "λαρισσ", "risa", "agios", "αγ", "ædou",
    "edou", "oeuvre", "euvre", "11", "1", "Ξαν", "xan", "istan", "shtast", "щаст", "„", "–",
    "rome", "drome", "DRÔ", "sliven сли", "crest la", "la tour", "evag", "εύα", "ευαγ",
    "nea anch", "agch", "monte", "limar", "élim", "nyon", "vallee dr", "ée",
]


def test_the_search_folds_and_matches_as_the_api_does(page, live_server, region):
    """The script's folding and word matching against PostgreSQL's (layers/search.py)."""
    open_explorer(page, live_server, f"lang=en&{OVERVIEW}")
    rng = random.Random(11)
    texts = [*ALPHABETS, *SAMPLES, *NAMES, *QUERIES]
    texts += ["".join(rng.choice(ALPHABETS) for _ in range(rng.randint(1, 40)))
              for _ in range(1000)]
    with connection.cursor() as cur:
        cur.execute("SELECT atlas_latin(t) FROM unnest(%s::text[]) WITH ORDINALITY u(t, n) "
                    "ORDER BY n", [texts])
        folded = [r[0] for r in cur.fetchall()]
        pairs = [(n, q) for n in NAMES for q in QUERIES]
        cur.execute("""SELECT atlas_prefix_query(q) IS NULL
                              OR to_tsvector('simple', atlas_latin(n)) @@ atlas_prefix_query(q)
                       FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY u(n, q, i)
                       ORDER BY i""", [[n for n, _ in pairs], [q for _, q in pairs]])
        api = [r[0] for r in cur.fetchall()]
    assert page.evaluate("ts => ts.map(window.atlasExplorer.fold)", texts) == folded
    script = page.evaluate("""pairs => { const e = window.atlasExplorer;
        return pairs.map(([n, q]) => e.startsWords(e.searchWords(n), e.searchWords(q))); }""",
                           pairs)
    differ = [(n, q, a) for (n, q), a, s in zip(pairs, api, script, strict=True) if a != s]
    assert differ == [], "(name, query, what the API says) where the script says otherwise"
    assert sum(api) > 40  # the pairs test matches, not only misses
