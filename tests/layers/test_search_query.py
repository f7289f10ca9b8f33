"""?q= forgives typos and transliterations, knows category words in four languages, and
narrows to a partner's territory by its name (layers/search_query.py)."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_attraction, make_layer, make_partner, make_trail
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    sz = make_partner("stara-zagora", bbox=(25.3, 42.2, 26.0, 42.7), name_bg="Стара Загора",
                      name_el="Στάρα Ζαγκόρα", name_en="Stara Zagora")
    sliven = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9), name_bg="Сливен",
                          name_el="Σλίβεν", name_en="Sliven")
    sz_sights, sliven_sights = make_layer(sz), make_layer(sliven)
    make_attraction(sliven_sights, 26.33, 42.69, name_bg="Крепост Туида", name_en=None,
                    category="ruins")
    make_attraction(sliven_sights, 26.20, 42.80, name_bg="Сливенски манастир „Св. Никола“",
                    name_en=None,
                    category="monastery")
    make_attraction(sliven_sights, 26.25, 42.75, name_en="Kaleto", category="fort")
    make_attraction(sz_sights, 25.42, 42.30, name_en="St Athanasius Monastery",
                    category="monastery")
    make_attraction(sz_sights, 25.39, 42.62, name_en="Kazanlak Rose Museum")
    make_attraction(sz_sights, 25.60, 42.40, name_fr="Château de Sliven", name_en=None,
                    description_en="A manor named after the town", category="manor")
    make_trail(make_layer(sliven, kind="trails"), [(26.1, 42.6), (26.2, 42.65)],
               name_en="Around the monastery of Sliven")
    return sz, sliven


def _names(client, q: str, kind: str = "attraction") -> list[str]:
    response = client.get("/api/regional-layer/", {"q": q, "lang": "en", "kind": kind})
    assert response.status_code == 200, response.content
    return [f["properties"]["name"] for f in json.loads(response.content)["features"]]


def test_a_transliteration_finds_the_place(client, places):
    # Туида folds to "tuida"; "Tuyda" starts no word of it, but is close once loosened.
    assert _names(client, "Tuyda") == ["Крепост Туида"]
    assert _names(client, "tuida") == ["Крепост Туида"]


def test_close_matches_come_after_exact_ones(client, places):
    _, sliven = places
    make_trail(make_layer(sliven, kind="trails"), [(26.3, 42.7), (26.4, 42.75)],
               name_en="Tuyda loop")
    # The trails have "Tuyda" itself; the attractions only a close word.
    assert _names(client, "Tuyda", kind="attraction,trail") == ["Tuyda loop", "Крепост Туида"]
    # A word some attraction has is not looked for closely among the attractions.
    sights = make_layer(sliven, slug="more-sights")
    make_attraction(sights, 26.4, 42.7, name_en="Tuyda Guesthouse", category="attraction")
    assert _names(client, "Tuyda") == ["Tuyda Guesthouse"]


def test_a_typo_in_a_long_word_is_forgiven(client, places):
    assert _names(client, "Kazanlk") == ["Kazanlak Rose Museum"]
    assert _names(client, "Kazanlak museum") == ["Kazanlak Rose Museum"]
    assert _names(client, "Kzn") == []  # short words must start a word


@pytest.mark.parametrize("q", ["castle", "castles", "fortress", "крепост", "крепости",
                               "κάστρο", "château", "forteresse"])
def test_a_category_word_in_any_language_finds_its_family(client, places, q):
    # Kaleto is a fort by category, Туида a fortress by name (крепост), the Château by
    # its French name; none says "castle".
    assert sorted(_names(client, q)) == ["Château de Sliven", "Kaleto", "Крепост Туида"]


def test_a_partner_name_narrows_the_query_to_its_territory(client, places):
    in_sliven = ["Сливенски манастир „Св. Никола“"]
    assert _names(client, "monastery sliven") == in_sliven
    assert _names(client, "манастир Сливен") == in_sliven
    assert _names(client, "μονή Σλίβεν") == in_sliven
    assert _names(client, "monastery Stara Zagora") == ["St Athanasius Monastery"]
    assert _names(client, "monastery sliven", kind="trail") == [
        "Around the monastery of Sliven"]
    # Alone, a place name is a word to find, wherever it is.
    assert sorted(_names(client, "sliven")) == ["Château de Sliven",
                                                "Сливенски манастир „Св. Никола“"]


def test_routes_are_searched_the_same_way(client, places):
    sz, _ = places
    route = make_route(sz, slug="roses")
    route.title_en, route.title_bg = "Valley of the Roses", "Долината на розите"
    route.save()
    for q in ("valley roses", "Valey of the Roses", "долина"):
        body = json.loads(client.get("/api/routes/", {"q": q, "lang": "en"}).content)
        assert [f["properties"]["name"] for f in body["features"]] == ["Valley of the Roses"], q
    body = json.loads(client.get("/api/routes/", {"q": "Valley sliven"}).content)
    assert body["features"] == []  # the route has no line in Sliven's territory


def test_a_long_query_is_refused_naming_q(client, places):
    response = client.get("/api/regional-layer/", {"q": "castle " * 40})
    assert response.status_code == 400
    assert json.loads(response.content)["parameter"] == "q"


def test_each_category_word_names_one_family_of_real_categories():
    from layers.search import fold
    from layers.vocabulary import CATEGORY_FAMILIES, Category

    seen: dict[str, int] = {}
    for i, (categories, words) in enumerate(CATEGORY_FAMILIES):
        assert set(categories) <= set(Category.values)
        for word in words:
            assert seen.setdefault(fold(word), i) == i, f"{word!r} is in two families"


def test_the_categories_present_are_those_of_public_attractions(places):
    from layers.selectors import categories_present
    from layers.vocabulary import Visibility

    sz, _ = places
    make_attraction(make_layer(sz, visibility=Visibility.PRIVATE, slug="secret"), 25.5, 42.5,
                    category="winery")
    # In the vocabulary's order; not the private layer's winery.
    assert categories_present() == ["museum", "ruins", "monastery", "fort", "manor"]
    assert categories_present(partner="stara-zagora") == ["museum", "monastery", "manor"]


def test_the_route_list_page_searches_as_the_api_does(client, places):
    sz, _ = places
    for slug, title in (("roses", "Valley of the Roses"), ("wine", "Wine of Thrace")):
        route = make_route(sz, slug=slug)
        route.title_en = title
        route.save()
    page = client.get("/routes/", {"q": "Valey", "lang": "en"}).content.decode()
    assert 'value="Valey"' in page  # the field keeps what was asked
    assert "Valley of the Roses" in page
    assert "Wine of Thrace" not in page


def test_the_route_list_page_hands_the_map_only_its_filters(client, places):
    # A shared link carries what the API refuses (utm_source, fbclid): the page's map
    # asked /api/routes/ with them and drew no route once unknown parameters became a 400.
    import html
    import re

    sz, _ = places
    make_route(sz, slug="roses")
    page = client.get("/routes/", {"q": "roses", "utm_source": "leaflet", "lang": "en"})
    url = html.unescape(re.search(r'"routesUrl": "([^"]+)"', page.content.decode()).group(1))
    assert "utm_source" not in url and "q=roses" in url
    assert client.get(url).status_code == 200
