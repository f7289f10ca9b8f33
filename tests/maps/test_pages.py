"""The HTML pages as a client sees them: size, languages, frames, assets (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from geo.units import duration_text
from layers.vocabulary import LayerKind, Visibility
from tests.factories import (
    make_attraction,
    make_layer,
    make_museum_grid,
    make_partner,
    make_trail,
)

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.fixture
def sliven():
    partner = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9), name_bg="Сливен",
                           name_en="Sliven")
    make_attraction(make_layer(partner), 26.32, 42.68, name_bg="Сините камъни",
                    name_en="Blue Rocks", category="rock", website="https://example.org/")
    make_trail(make_layer(partner, kind=LayerKind.TRAILS),
               [(26.10, 42.60, 300.0), (26.20, 42.65, 420.0)], name_en="Ridge", difficulty="hard")
    return partner


def test_the_explorer_page_does_not_grow_with_the_data(client, sliven):
    before = client.get("/?lang=en").content
    make_museum_grid(make_layer(sliven, slug="many"), 5000, 26.0, 42.5)
    after = client.get("/?lang=en").content
    # Only the categories present grow (bounded by the vocabulary): one more, "museum".
    assert b'"categories": ["rock"]' in before and b'"categories": ["museum", "rock"]' in after
    assert len(after) - len(b' "museum",') == len(before) < 300 * 1024
    assert b"Site 17" not in after and b"Blue Rocks" not in after


def test_pages_load_no_script_or_style_from_another_host(client, sliven):
    for url in ("/", "/embed/?partner=sliven", "/layers/", "/layers/sliven-attractions/"):
        html = client.get(url).content.decode()
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets, url
        # The app's manifest is the platform's too, served by a view (it is translated).
        assert all(a.startswith("/static/") or a.startswith("/manifest.webmanifest?")
                   for a in assets), (url, assets)


def test_only_the_embed_may_be_framed_by_other_sites(client, sliven):
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
    assert client.get("/layers/sliven-attractions/").headers["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in client.get("/embed/?partner=sliven").headers


def test_lang_in_the_url_chooses_the_interface_language_and_is_remembered(client, sliven):
    response = client.get("/layers/?lang=fr")
    assert '<html lang="fr">' in response.content.decode()
    assert "Couches" in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # The next page, without ?lang=, keeps French.
    assert '<html lang="fr">' in client.get("/layers/").content.decode()
    # An API call does not change the remembered language.
    assert settings.LANGUAGE_COOKIE_NAME not in client.get("/api/layers/?lang=el").cookies


def test_without_a_choice_the_browser_language_is_used(client, sliven):
    html = client.get("/layers/", HTTP_ACCEPT_LANGUAGE="el-GR,el;q=0.9").content.decode()
    assert '<html lang="el">' in html and "Επίπεδα" in html


def test_the_language_switcher_links_keep_the_rest_of_the_query(client, sliven):
    html = client.get("/embed/?partner=sliven&lang=bg").content.decode()
    assert "header" not in html  # the embed has no switcher: the partner's site picks
    html = client.get("/layers/sliven-attractions/?lang=bg&x=1").content.decode()
    assert 'href="/layers/sliven-attractions/?lang=el&amp;x=1"' in html


def test_feature_pages_show_the_feature_in_the_chosen_language(client, sliven):
    uid = sliven.layers.get(kind=LayerKind.ATTRACTIONS).attractions.get().uid
    html = client.get(f"/attractions/{uid}/?lang=bg").content.decode()
    assert "<h1>Сините камъни</h1>" in html
    assert "Скално образувание" in html  # the category
    assert 'href="https://example.org/"' in html
    trail = sliven.layers.get(kind=LayerKind.TRAILS).trails.get()
    html = client.get(f"/trails/{trail.uid}/?lang=fr").content.decode()
    assert "<h1>Ridge</h1>" in html and "Difficile" in html and "120 m" in html


def test_private_layers_and_their_features_have_no_page(client, sliven):
    layer = sliven.layers.get(kind=LayerKind.ATTRACTIONS)
    uid = layer.attractions.get().uid
    layer.visibility = Visibility.PRIVATE
    layer.save()
    assert client.get(f"/layers/{layer.slug}/").status_code == 404
    assert client.get(f"/attractions/{uid}/").status_code == 404
    assert layer.slug not in client.get("/layers/").content.decode()


def test_the_import_pages_are_translated(client, sliven):
    user = User.objects.create_user("petar", password="pw", is_staff=True)
    user.groups.add(sliven.editors)
    client.force_login(user)
    assert "Импортиране на слой" in client.get("/import/?lang=bg").content.decode()
    html = client.get("/import/?lang=el").content.decode()
    assert "Εισαγωγή επιπέδου" in html and "Προεπισκόπηση" in html
    assert "Nothing is written until you confirm" not in html


def _po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, continuation lines joined."""
    entries, key, current = [], None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        m = re.match(r'^(msgid|msgstr) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid" and "msgstr" in current:
                entries.append((current["msgid"], current["msgstr"]))
                current = {}
            key = m.group(1)
            current[key] = m.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    if "msgstr" in current:
        entries.append((current["msgid"], current["msgstr"]))
    return [(i, s) for i, s in entries if i]


@pytest.mark.parametrize("lang", ["bg", "el", "fr"])
def test_every_interface_text_is_translated_with_its_placeholders(lang):
    entries = _po_entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert len(entries) > 200
    untranslated = [i for i, s in entries if not s]
    assert untranslated == []
    for msgid, msgstr in entries:
        assert sorted(re.findall(r"%\(\w+\)[sdr]", msgid)) == \
            sorted(re.findall(r"%\(\w+\)[sdr]", msgstr)), msgid
    script = {"bg": "[а-я]", "el": "[α-ω]", "fr": "[a-zé]"}[lang]
    assert sum(bool(re.search(script, s, re.I)) for _, s in entries) > 0.9 * len(entries)


@pytest.mark.parametrize(("lang", "decimal", "hours"), [
    ("bg", ",", "{h} ч {m:02d} мин"), ("el", ",", "{h} {hours} {m:02d} λεπτά"),
    ("fr", ",", "{h} h {m:02d}"), ("en", ".", "{h} h {m:02d}")])
def test_a_trail_page_writes_length_and_duration_as_the_route_pages(client, sliven, lang,
                                                                     decimal, hours):
    trail = sliven.layers.get(kind=LayerKind.TRAILS).trails.get()
    # The Ridge is about 9.8 km long, a walk of over an hour.
    assert trail.length_m > 1000 and trail.duration_min >= 60
    html = client.get(f"/trails/{trail.uid}/?lang={lang}").content.decode()
    km = f"{trail.length_m / 1000:.1f}".replace(".", decimal)
    assert f"<dd>{km} km</dd>" in html
    assert f"{trail.length_m:.0f} m" not in html
    h, m = divmod(trail.duration_min, 60)
    expected = hours.format(h=h, m=m, hours="ώρα" if h == 1 else "ώρες")
    assert f"<dd>{expected}</dd>" in html


@pytest.mark.parametrize(("lang", "short", "long"), [
    ("bg", "45 мин", "1 ч 05 мин"), ("el", "45 λεπτά", "2 ώρες 05 λεπτά"),
    ("fr", "45 min", "1 h 05"), ("en", "45 min", "1 h 05")])
def test_durations_are_written_in_the_page_language(lang, short, long):
    with translation.override(lang):
        assert duration_text(44.6) == short
        assert duration_text(65 if lang != "el" else 125) == long
    with translation.override("el"):
        assert duration_text(1) == "1 λεπτό" and duration_text(65) == "1 ώρα 05 λεπτά"


@pytest.mark.parametrize(("lang", "ogc", "tiles"), [
    ("bg", "QGIS: Добавяне на слой WFS / OGC API – Features",
     "QGIS: Векторни плочки → Нова обща връзка"),
    ("el", "QGIS: Προσθήκη επιπέδου WFS / OGC API – Features",
     "QGIS: Διανυσματικά πλακίδια → Νέα γενική σύνδεση"),
    ("fr", "QGIS : Ajouter une couche WFS / OGC API – Features",
     "QGIS : Tuiles vectorielles → Nouvelle connexion générique")], ids=["bg", "el", "fr"])
def test_the_layer_page_tells_where_qgis_connects_in_the_page_language(client, sliven, lang,
                                                                       ogc, tiles):
    html = client.get(f"/layers/sliven-attractions/?lang={lang}").content.decode()
    assert ogc in html and tiles in html
    assert "Add WFS" not in html and "New Generic Connection" not in html


def test_the_layer_list_names_each_layers_partner_in_the_page_language(client, sliven):
    """The list's Partner column showed the partner's slug ("sliven") on a Bulgarian page."""
    from lxml import html

    page = html.fromstring(client.get("/layers/?lang=bg").content)
    partners = {td.text_content() for td in page.xpath("//main//table//tbody/tr/td[2]")}
    assert partners == {"Сливен"}
