"""The guides at /help/ (built by `make help` from docs/, mkdocs.yml): served in four
languages by the platform with nothing from outside, reached from every page's help
button at the section for that page, and naming only page elements that exist."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from lxml import html

from exchange.models import GoodPractice
from exchange.vocabulary import Status
from maps.help import HELP_TOPICS, help_url
from routes.services import StopSpec, route_compose
from routes.vocabulary import Mode
from tests.factories import (
    make_attraction,
    make_layer,
    make_listing,
    make_partner,
    make_person,
)
from tests.routes.conftest import make_route

pytestmark = pytest.mark.django_db  # every request counts against the rate limits' table

DOCS = Path(settings.BASE_DIR) / "docs"
LANGS = ("en", "bg", "el", "fr")
# A guide names a page's element with a mark in its source: <!-- ui: PAGE SELECTOR -->,
# PAGE a URL name (as in maps/help.py), SELECTOR a CSS selector.
UI_MARK = re.compile(r"<!--\s*ui:\s*(\S+)\s+(.+?)\s*-->")
# Pages whose elements a script builds: checked in a browser (tests/browser/test_help.py).
SCRIPTED = {"explorer"}


def built(path: str) -> Path:
    root = Path(settings.ATLAS_HELP_ROOT)
    assert (root / "index.html").is_file(), "the guides are built by `make help` (make setup)"
    return root / path


def guide_sources() -> list[Path]:
    return sorted((DOCS / "guides").glob("*.md")) + sorted(DOCS.glob("index*.md"))


def marks(lang: str | None = None) -> dict[str, set[str]]:
    """PAGE → the selectors the guides (of one language, or all) name on it."""
    found: dict[str, set[str]] = defaultdict(set)
    for source in guide_sources():
        suffix = source.suffixes[0][1:] if len(source.suffixes) > 1 else "en"
        if lang is None or suffix == lang:
            for page, selector in UI_MARK.findall(source.read_text()):
                found[page].add(selector)
    return found


def test_every_guide_exists_in_the_four_languages_with_the_same_sections_and_marks():
    anchor = re.compile(r"\{#([\w-]+)\}")
    for source in (DOCS / "guides").glob("*.md"):
        if len(source.suffixes) > 1:
            continue
        english = source.read_text()
        for lang in LANGS[1:]:
            translation = source.with_suffix(f".{lang}.md")
            assert translation.is_file(), f"{translation.name} is missing"
            text = translation.read_text()
            assert anchor.findall(text) == anchor.findall(english), translation.name
            assert sorted(UI_MARK.findall(text)) == sorted(UI_MARK.findall(english)), \
                translation.name
            assert text != english


@pytest.mark.parametrize("lang", LANGS)
def test_help_serves_the_guides_in_each_language(client, lang):
    prefix = "" if lang == "en" else f"{lang}/"
    answer = client.get(f"/help/{prefix}guides/tourist/")
    assert answer.status_code == 200
    page = html.fromstring(b"".join(answer.streaming_content))
    assert page.get("lang") == lang
    assert page.get_element_by_id("explorer") is not None
    # The language switcher leads to the same guide in the others.
    alternates = {a.get("hreflang") for a in page.xpath("//link[@rel='alternate']")}
    assert set(LANGS) <= alternates
    # Its search reads the index the site was built with, served here too.
    assert client.get("/help/search/search_index.json").status_code == 200


@pytest.mark.parametrize("path", ["../var/secret-key", "guides/../../var/secret-key",
                                  "%2e%2e/%2e%2e/var/secret-key", "a%00b", "a\x00b/",
                                  "guides/tourist/index.html/"])
def test_a_path_outside_the_guides_or_malformed_is_refused_without_an_error(client, path):
    answer = client.get(f"/help/{path}")
    assert answer.status_code in (400, 404)
    key = (Path(settings.BASE_DIR) / "var" / "secret-key").read_bytes().strip()
    assert key not in b"".join(getattr(answer, "streaming_content", [answer.content]))


def test_a_folder_without_its_slash_is_redirected_and_a_missing_file_is_a_404(client):
    assert client.get("/help/guides/tourist").headers["Location"] == "/help/guides/tourist/"
    assert client.get("/help/no-such-guide/").status_code == 404
    assert client.post("/help/").status_code == 405
    # The language switcher asks each translation's folder for the one sitemap.
    assert client.get("/help/el/guides/gis/sitemap.xml").status_code == 200


def test_the_guides_load_nothing_from_outside():
    outside = re.compile(r"^(https?:)?//")
    for file in Path(settings.ATLAS_HELP_ROOT).rglob("*.html"):
        page = html.fromstring(file.read_bytes())
        loaded = (page.xpath("//script/@src") + page.xpath("//img/@src")
                  + page.xpath("//link[@rel='stylesheet' or @rel='preload' or @rel='icon']/@href"))
        assert not [u for u in loaded if outside.match(u)], file
        assert b"fonts.googleapis" not in file.read_bytes(), file


def test_the_site_policy_allows_the_guides_inline_scripts_by_their_hash_only(client):
    answer = client.get("/help/bg/")
    policy = answer.headers["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    page = html.fromstring(b"".join(answer.streaming_content))
    inline = page.xpath("//script[not(@src) and not(@type)]/text()")
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_topic_leads_to_a_section_of_the_guides(lang):
    for view_name in HELP_TOPICS:
        address, _, anchor = help_url(view_name, lang).partition("#")
        page = html.fromstring(built(address.removeprefix("/help/") + "index.html").read_bytes())
        assert page.get("lang") == lang
        assert page.xpath(f"//*[@id='{anchor}']"), f"{view_name}: no #{anchor} in {lang}"


@pytest.mark.parametrize(("lang", "expected"), [
    ("bg", "/help/bg/guides/planner/#planner"), ("en", "/help/guides/planner/#planner")])
def test_the_help_button_opens_the_page_s_section_in_the_page_s_language(client, lang, expected):
    page = html.fromstring(client.get(f"/planner/?lang={lang}").content)
    (button,) = page.xpath("//header//a[@data-help-button]")
    assert button.get("href") == expected
    assert button.text_content().strip() == {"bg": "Помощ", "en": "Help"}[lang]


@pytest.fixture
def pages(db, client):
    """The address of each page the guides name elements of, with the data each needs, and
    a client signed in as the partner's editor and moderator (the import and route editor
    pages, a practice's actions, the training report)."""
    partner = make_partner("stara-zagora")
    places = make_layer(partner)
    a = make_attraction(places, 25.6, 42.4, name_en="Forum")
    b = make_attraction(places, 25.62, 42.41, name_en="Spring")
    route = make_route(partner, slug="forum-walk")
    route_compose(route=route, stops=[StopSpec(a), StopSpec(b)], modes=[Mode.WALK])
    practice = GoodPractice.objects.create(partner=partner, status=Status.PUBLISHED,
                                           title_en="Night of museums", summary_en="One night")
    listing = make_listing(25.61, 42.405, name_en="Guesthouse", type="accommodation")
    person = make_person(partner, "editors")
    person.groups.add(partner.moderators)
    client.force_login(person)
    return {
        "practice-list": "/practices/",
        "practice-page": f"/practices/{practice.uid}/",
        "practice-new": "/practices/new/",
        "practice-queue": "/practices/review/",
        "service-page": f"/services/{listing.uid}/",
        "training-report": "/training/",
        "route-list": "/routes/",
        "route-page": "/routes/forum-walk/",
        "route-editor": "/routes/forum-walk/edit/",
        "layer-page": f"/layers/{places.slug}/",
        "planner": "/planner/",
        "strategy-page": "/strategy/stara-zagora/",
        "imports:upload": "/import/",
        "actor-queue": "/actors/moderation/",
    }


@pytest.fixture
def actor_pages(db):
    """The tourism actor's pages the actor's guide names elements of, each with the client
    that sees it: a visitor for the sign-up, a verified actor with a published listing for
    the others."""
    from django.test import Client

    from tests.actors.conftest import make_actor

    make_partner("sliven", bbox=(25.8, 42.4, 26.8, 43.0))
    actor = make_actor("stay@example.org", organisation="Blue Stone")
    make_listing(26.3, 42.7, name_en="Blue Stone guesthouse", actor=actor)
    signed_in = Client()
    signed_in.force_login(actor.user)
    return {"actor-sign-up": ("/actors/sign-up/", Client()),
            "actor-dashboard": ("/actors/", signed_in),
            "actor-submission-new": ("/actors/submissions/new/", signed_in)}


def test_every_element_a_guide_names_is_on_its_page(client, pages, actor_pages):
    named = marks()
    assert named, "the guides mark the elements they name"
    unknown = set(named) - set(pages) - set(actor_pages) - SCRIPTED
    assert not unknown, f"pages named by the guides that this test cannot open: {unknown}"
    missing = []
    opened = {name: (address, client) for name, address in pages.items()} | actor_pages
    for name, (address, reader) in opened.items():
        answer = reader.get(address)
        assert answer.status_code == 200, address
        page = html.fromstring(answer.content)
        missing += [f"{name} {sel}" for sel in sorted(named.get(name, ()))
                    if not page.cssselect(sel)]
    assert not missing, f"the guides name elements these pages no longer have: {missing}"


IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+\.png)\)")
# Each role's main tasks show the page in the guide's own language: guide → the section
# and the picture (``<name>-<lang>.png``) that `make screenshots` takes of it in each
# language (tests/browser/test_guide_screenshots.py, and the import form's test).
TASK_PICTURES = {
    "tourist": {"search": "guide-tourist-search", "practices": "guide-practices",
                "services": "guide-service"},
    "editor": {"import": "import-form", "practice-write": "guide-practice-form",
               "transfer": "guide-transfer"},
    "planner": {"gaps": "guide-planner-coverage", "strategy": "guide-strategy"},
    "moderator": {"review": "guide-moderator-review", "listings": "actors-moderation-diff"},
    "actor": {"sign-up": "actors-sign-up", "submit": "actors-listing-form"},
}


def _sections(text: str) -> dict[str, str]:
    """A guide's text by section anchor ({#id} of its ## and ### headings)."""
    parts = re.split(r"^#{2,3} .*\{#([\w-]+)\}$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_picture_a_guide_shows_exists_and_says_what_it_shows():
    missing = []
    for source in guide_sources() + sorted((DOCS / "users").glob("*.md")):
        for alt, target in IMAGE.findall(source.read_text()):
            if not (source.parent / target).resolve().is_file():
                missing.append(f"{source.relative_to(DOCS)}: {target}")
            assert alt.strip(), f"{source.name}: {target} has no text for those who cannot see it"
    assert not missing, f"pictures the guides show that are not there (make screenshots): {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_role_s_main_tasks_show_the_page_in_the_guide_s_language(lang):
    for guide, tasks in TASK_PICTURES.items():
        name = f"{guide}.md" if lang == "en" else f"{guide}.{lang}.md"
        sections = _sections((DOCS / "guides" / name).read_text())
        for anchor, picture in tasks.items():
            shown = [t for _alt, t in IMAGE.findall(sections[anchor])]
            assert f"../{picture}-{lang}.png" in shown, f"{name} #{anchor}: no {picture}-{lang}"
            assert (DOCS / f"{picture}-{lang}.png").is_file(), f"{picture}-{lang}.png is missing"


def test_the_check_fails_for_an_element_a_page_does_not_have(client, pages):
    page = html.fromstring(client.get(pages["planner"]).content)
    assert page.cssselect("#planner-form")
    assert not page.cssselect("#planner-form-that-was-renamed")


@pytest.mark.parametrize(("lang", "summary"), [
    ("bg", "Какво е координатна система?"),
    ("el", "Τι είναι ένα σύστημα συντεταγμένων αναφοράς;"),
    ("fr", "Qu’est-ce qu’un système de coordonnées de référence ?"),
    ("en", "What is a coordinate reference system?")])
def test_the_upload_form_explains_layer_encoding_and_crs_in_plain_words_in_the_page_s_language(
        client, pages, lang, summary):
    page = html.fromstring(client.get(f"{pages['imports:upload']}?lang={lang}").content)
    hints = {d.get("data-hint"): d for d in page.cssselect("form details.field-hint")}
    assert set(hints) == {"layer", "encoding", "srs"}
    assert hints["srs"].cssselect("summary")[0].text_content() == summary
    assert "EPSG:2100" in hints["srs"].text_content()
    assert "cp1251" in hints["encoding"].text_content()
    for name, anchor in (("encoding", "encoding"), ("srs", "crs")):
        (link,) = hints[name].cssselect("a")
        address, _, fragment = link.get("href").partition("#")
        prefix = "" if lang == "en" else f"{lang}/"
        assert (address, fragment) == (f"/help/{prefix}guides/editor/", anchor)
        guide = html.fromstring(built(address.removeprefix("/help/") + "index.html").read_bytes())
        assert guide.get("lang") == lang
        assert guide.xpath(f"//*[@id='{anchor}']")


# The route and practice forms' own GIS words, explained as the upload form's are (the
# same include, maps/templates/atlas/_field_hint.html).
FORM_HINTS = {
    "/routes/new/": {"slug"},
    "/routes/forum-walk/settings/": {"slug"},
    "/routes/forum-walk/edit/": {"stop", "leg", "mode", "elevation"},
    "/practices/new/": {"places", "indicator"},
}


def test_the_route_and_practice_forms_explain_their_gis_words_in_the_page_s_language(
        client, pages):
    expected = {"slug": "Какво е адресът на маршрута?", "stop": "Какво е спирка?",
                "leg": "Какво е отсечка?", "elevation": "Откъде идват изкачването и височините?",
                "places": "Какво е място на практика?"}
    for address, names in FORM_HINTS.items():
        page = html.fromstring(client.get(f"{address}?lang=bg").content)
        hints = {d.get("data-hint"): d for d in page.cssselect("details.field-hint")}
        assert set(hints) == names, address
        for name, hint in hints.items():
            summary = hint.cssselect("summary")[0].text_content()
            assert summary == expected.get(name, summary), (address, name)
            # Said in Bulgarian, in full: a summary and a paragraph, no English left.
            assert re.search("[а-я]{4}", hint.cssselect("p")[0].text_content()), (address, name)
            assert not re.search(r"\b(the|what|and)\b", hint.text_content(), re.I), name
    editor = html.fromstring(client.get("/routes/forum-walk/edit/?lang=el").content)
    (leg,) = editor.cssselect("[data-hint=leg] summary")
    assert leg.text_content() == "Τι είναι ένα τμήμα;"
    (link,) = editor.cssselect("[data-hint=elevation] a")
    assert link.get("href") == "/help/el/guides/editor/#routes"


def test_the_guides_home_carries_its_tour_in_its_language_and_the_other_guide_pages_none(
        client):
    answer = client.get("/help/bg/")
    page = html.fromstring(b"".join(answer.streaming_content))
    (data,) = page.cssselect("script#atlas-tour")
    tour = json.loads(data.text)
    assert [s["title"] for s in tour["steps"]][:2] == ["Ръководство за всяка роля",
                                                       "Търсене в ръководствата"]
    assert tour["labels"]["replay"] == "Обиколка на страницата"
    assert tour["visitor"] and "token" not in tour
    assert "public" in answer["Cache-Control"]
    other = client.get("/help/bg/guides/tourist/")
    assert not html.fromstring(b"".join(other.streaming_content)).cssselect("script#atlas-tour")
    # Signed in, the page carries the reader's CSRF token: kept by no shared cache.
    client.force_login(make_person(make_partner(), "editors"))
    answer = client.get("/help/el/")
    page = html.fromstring(b"".join(answer.streaming_content))
    tour = json.loads(page.cssselect("script#atlas-tour")[0].text)
    assert tour["steps"][0]["title"] == "Ένας οδηγός για κάθε ρόλο" and tour["token"]
    assert "private" in answer["Cache-Control"]


def test_the_guides_open_in_the_language_lang_asks_for(client):
    """Every page of the atlas takes ?lang=; the guides are in folders per language, and
    /help/?lang=bg showed a Bulgarian reader the English guides."""
    assert client.get("/help/?lang=bg").headers["Location"] == "/help/bg/"
    assert (client.get("/help/guides/tourist/?lang=el").headers["Location"]
            == "/help/el/guides/tourist/")
    assert (client.get("/help/fr/guides/gis/?lang=en").headers["Location"]
            == "/help/guides/gis/")
    assert (client.get("/help/bg/guides/gis/?lang=fr").headers["Location"]
            == "/help/fr/guides/gis/")
    # Already in that language, or no such language: served as it is.
    assert client.get("/help/bg/?lang=bg").status_code == 200
    assert client.get("/help/?lang=xx").status_code == 200
