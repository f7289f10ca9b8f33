"""The site shell as a visitor meets it: the header's links, signing in and out, the error
pages, the favicon and the admin's title (through the real views, no browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.views.defaults import server_error

from tests.factories import make_attraction, make_layer, make_partner

LANGS = ("bg", "el", "fr", "en")
ROUTES = {"bg": "Маршрути", "el": "Διαδρομές", "fr": "Itinéraires", "en": "Routes"}
PLANNER = {"bg": "Планиране", "el": "Σχεδιασμός", "fr": "Planificateur", "en": "Planner"}
PRACTICES = {"bg": "Добри практики", "el": "Καλές πρακτικές", "fr": "Bonnes pratiques",
             "en": "Good practices"}
NOT_FOUND = {"bg": "Страницата не е намерена", "el": "Η σελίδα δεν βρέθηκε",
             "fr": "Page introuvable", "en": "Page not found"}
WENT_WRONG = {"bg": "Нещо се обърка", "el": "Κάτι πήγε στραβά",
              "fr": "Une erreur s’est produite", "en": "Something went wrong"}
ATLAS = {"bg": "Регионален туристически атлас", "el": "Περιφερειακός Τουριστικός Άτλαντας",
         "fr": "Atlas touristique régional", "en": "Regional Tourism Atlas"}
TECHNICAL = ("Using the URLconf", "Traceback", "Django tried these URL patterns",
             "Request Method", "psycopg", "RuntimeError", "secret detail")


def _sections(html: str) -> dict[str, tuple[str, str]]:
    """The header's section links: label → (href, aria-current or "")."""
    nav = re.search(r'<nav class="sections"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no section navigation in the header"
    return {label: (href, current) for href, current, label in re.findall(
        r'<a href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>', nav.group(1))}


def _assert_branded(html: str, lang: str) -> None:
    assert f'<html lang="{lang}">' in html
    assert '<header class="site">' in html and ATLAS[lang] in html
    for text in TECHNICAL:
        assert text not in html, text


@pytest.fixture
def world():
    partner = make_partner("sliven", bbox=(26.0, 42.5, 26.6, 42.9), name_en="Sliven")
    layer = make_layer(partner)
    make_attraction(layer, 26.32, 42.68, name_en="Blue Rocks", category="rock")
    return {"partner": partner, "layer": layer}


@pytest.fixture
def editor(world):
    user = User.objects.create_user("ivana", password="pw", is_staff=True,
                                    first_name="Ivana", last_name="Petrova")
    user.groups.add(world["partner"].editors)
    return user


# The header

@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_every_header_link_opens_for_a_visitor(client, world, lang):
    links = _sections(client.get(f"/?lang={lang}").content.decode())
    assert list(links) == [{"bg": "Карта", "el": "Χάρτης", "fr": "Carte", "en": "Map"}[lang],
                           ROUTES[lang], PRACTICES[lang],
                           {"bg": "Съобщения", "el": "Ανακοινώσεις", "fr": "Annonces",
                            "en": "Announcements"}[lang], PLANNER[lang],
                           {"bg": "Стратегия", "el": "Στρατηγική", "fr": "Stratégie",
                            "en": "Strategy"}[lang],
                           {"bg": "Слоеве", "el": "Επίπεδα", "fr": "Couches",
                            "en": "Layers"}[lang], "API"]
    assert [href for href, _ in links.values()] == ["/", "/routes/", "/practices/",
                                                    "/announcements/", "/planner/",
                                                    "/strategy/", "/layers/", "/api/docs/"]
    for href, _ in links.values():
        response = client.get(href)
        assert response.status_code == 200, href
        if href != "/api/docs/":  # Swagger UI's own page
            assert f'<html lang="{lang}">' in response.content.decode(), href


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_an_editor_also_finds_import_and_admin_and_every_link_opens(client, editor, lang):
    client.force_login(editor)
    html = client.get(f"/routes/?lang={lang}").content.decode()
    links = _sections(html)
    hrefs = [href for href, _ in links.values()]
    assert hrefs == ["/", "/routes/", "/practices/", "/announcements/", "/planner/",
                     "/strategy/", "/layers/", "/api/docs/", "/import/", "/admin/"]
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    assert "Ivana Petrova" in html
    assert ATLAS[lang] in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_a_signed_in_user_who_edits_nothing_sees_no_import_or_admin(client, world):
    client.force_login(User.objects.create_user("visitor", password="pw"))
    html = client.get("/?lang=en").content.decode()
    assert [href for href, _ in _sections(html).values()] == [
        "/", "/routes/", "/practices/", "/announcements/", "/planner/", "/strategy/",
        "/layers/", "/api/docs/"]
    assert "visitor" in html and "Sign out" in html and ">Sign in<" not in html


@pytest.mark.django_db
def test_the_header_marks_the_current_section(client, world):
    def current(url: str) -> dict[str, str]:
        return {label: c for label, (_, c) in _sections(client.get(url).content.decode()).items()
                if c}

    assert current("/?lang=en") == {"Map": "page"}
    assert current("/routes/") == {"Routes": "page"}
    assert current("/planner/") == {"Planner": "page"}
    assert current("/layers/") == {"Layers": "page"}
    # A page within a section marks its section, not as the page itself.
    assert current(f"/layers/{world['layer'].slug}/") == {"Layers": "true"}
    assert current("/no-such-page/") == {}


@pytest.mark.django_db
def test_a_visitor_is_offered_to_sign_in_and_comes_back(client, world):
    html = client.get("/planner/?lang=fr").content.decode()
    assert '<a href="/sign-in/?next=/planner/%3Flang%3Dfr">Se connecter</a>' in html
    assert "sign-out" not in html


@pytest.mark.django_db
def test_sign_out_from_the_header_signs_out_and_returns_to_the_page(editor):
    client = Client(enforce_csrf_checks=True)  # the header's form carries its own token
    client.force_login(editor)
    html = client.get("/routes/?lang=el").content.decode()
    form = re.search(r'<form class="sign-out" method="post" action="([^"]+)">(.*?)</form>',
                     html, re.S)
    assert form and "Αποσύνδεση" in form.group(2)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert fields["next"] == "/routes/?lang=el"
    response = client.post(form.group(1), fields)
    assert response.status_code == 302 and response["Location"] == "/routes/?lang=el"
    assert "_auth_user_id" not in client.session
    html = client.get("/routes/").content.decode()
    assert "Σύνδεση" in html and "Ivana" not in html and "/import/" not in html


@pytest.mark.django_db
def test_sign_out_from_an_editors_page_leads_to_the_map(client, editor):
    client.force_login(editor)
    html = client.get("/import/").content.decode()
    assert '<input type="hidden" name="next" value="/">' in html


@pytest.mark.django_db
def test_sign_out_without_the_pages_token_gets_the_branded_page(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/admin/logout/?lang=bg", {"next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    _assert_branded(html, "bg")
    assert "Формулярът вече не е валиден" in html and "CSRF" not in html
    assert "_auth_user_id" in client.session  # still signed in


def test_the_embed_shows_no_header(client, db, world):
    html = client.get("/embed/?partner=sliven&lang=el").content.decode()
    assert "<header" not in html and "site-menu" not in html


# Error pages

@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_address_gets_the_branded_404_in_the_visitors_language(client, lang):
    response = client.get(f"/no-such-page/?lang={lang}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    _assert_branded(html, lang)
    assert f"<h1 id=\"error-title\">{NOT_FOUND[lang]}</h1>" in html
    assert "<code>/no-such-page/</code>" in html
    assert '<a class="button" href="/">' in html
    assert ROUTES[lang] in html  # the header, to go on from here


@pytest.mark.django_db
def test_the_404_follows_the_browser_language_and_a_missing_object_too(client, world):
    html = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    _assert_branded(html, "bg")
    assert NOT_FOUND["bg"] in html
    response = client.get("/routes/no-such-route/?lang=el")
    assert response.status_code == 404
    _assert_branded(response.content.decode(), "el")
    assert 'aria-current="true">Διαδρομές' in response.content.decode()


@pytest.mark.django_db
def test_the_404_escapes_the_address_it_shows(client):
    html = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.django_db
def test_unknown_addresses_of_the_api_ogc_and_tiles_get_json(client):
    response = client.get("/api/nope/?lang=el")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": "no /api/nope/"}
    response = client.get("/ogc/nope")
    assert response.status_code == 404
    assert response.json() == {"code": "NotFound", "description": "no /ogc/nope"}
    response = client.get("/tiles/nope/")
    assert response.status_code == 404 and response.json() == {"error": "no /tiles/nope/"}


@pytest.mark.urls("tests.maps.error_urls")
@pytest.mark.parametrize("lang", LANGS)
def test_a_failing_page_gets_the_branded_500_without_touching_the_database(client, lang):
    """No django_db mark: were the 500 page to read the database (the session behind the
    cookie, the user), pytest-django would refuse, as a database that is down would."""
    client.raise_request_exception = False
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # a signed-in visitor's
    response = client.get(f"/boom/?lang={lang}")
    assert response.status_code == 500
    html = response.content.decode()
    _assert_branded(html, lang)
    assert WENT_WRONG[lang] in html
    assert '<a class="button" href="/">' in html
    assert "/sign-in/" not in html and "sign-out" not in html  # no user on this page


@pytest.mark.urls("tests.maps.error_urls")
def test_failures_of_the_api_ogc_and_tiles_are_json(client):
    client.raise_request_exception = False
    for url, body in [("/api/boom/", {"error": "internal error; it has been logged"}),
                      ("/tiles/boom/", {"error": "internal error; it has been logged"}),
                      ("/ogc/boom/", {"code": "ServerError",
                                      "description": "internal error; it has been logged"})]:
        response = client.get(url)
        assert response.status_code == 500, url
        assert json.loads(response.content) == body, url


def test_the_500_page_renders_with_an_empty_context_too(rf):
    """Django's own handler renders 500.html with no request and no context."""
    response = server_error(rf.get("/boom/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert WENT_WRONG["en"] in html and ATLAS["en"] in html
    assert 'href="/"' in html and "languages" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.maps.error_urls")
def test_a_refusal_gets_the_branded_403_with_a_way_to_sign_in(client):
    response = client.get("/forbidden/?lang=fr")
    assert response.status_code == 403
    html = response.content.decode()
    _assert_branded(html, "fr")
    assert "Accès refusé" in html
    assert '<a class="button" href="/sign-in/?next=/forbidden/%3Flang%3Dfr">' in html
    response = client.get("/api/forbidden/")
    assert response.status_code == 403 and response.json() == {"error": "forbidden"}
    response = client.get("/ogc/forbidden/")
    assert response.json() == {"code": "Forbidden", "description": "forbidden"}


@pytest.mark.django_db
def test_a_signed_in_user_who_edits_nothing_gets_the_branded_403_on_the_import_page(client,
                                                                                      world):
    client.force_login(User.objects.create_user("visitor", password="pw"))
    response = client.get("/import/?lang=el")
    assert response.status_code == 403
    html = response.content.decode()
    _assert_branded(html, "el")
    assert "Δεν επιτρέπεται η πρόσβαση" in html
    assert "Έχετε συνδεθεί ως visitor" in html
    assert "/sign-in/" not in html  # signed in already: no sign-in button


@pytest.mark.django_db
@pytest.mark.urls("tests.maps.error_urls")
def test_a_bad_request_gets_the_branded_400_and_the_api_json(client):
    response = client.get("/suspicious/?lang=bg")
    assert response.status_code == 400
    html = response.content.decode()
    _assert_branded(html, "bg")
    assert "Неправилна заявка" in html and "disagree" not in html
    response = client.get("/api/suspicious/")
    assert response.status_code == 400 and response.json() == {"error": "bad request"}


# Favicon and admin

def test_the_favicon_is_served_at_the_root_and_linked_by_every_page(client, db, world):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00" and icon[4] == 3  # an ICO of three sizes
    html = client.get("/layers/").content.decode()
    assert '<link rel="icon" href="/static/atlas/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/atlas/favicon.ico" sizes="32x32">' in html
    svg = Path(finders.find("atlas/favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_the_admin_is_titled_regional_tourism_atlas(client, lang):
    client.force_login(User.objects.create_superuser("root", password="x"))
    html = client.get(f"/admin/?lang={lang}").content.decode()
    assert f'<a href="/admin/">{ATLAS[lang]}</a>' in html
    assert f"| {ATLAS[lang]}</title>" in html
    assert "Django" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    client.logout()
    html = client.get(f"/admin/login/?lang={lang}").content.decode()
    assert ATLAS[lang] in html and "Django administration" not in html


def test_a_partners_member_who_is_not_staff_signs_in_from_the_header(client, db):
    # The header's "Sign in" led to the admin's page, which lets only staff in: a partner's
    # members and moderators — who write and review practices — could not sign in at all.
    from tests.factories import make_partner, make_person

    member = make_person(make_partner("sliven", bbox=(25.9, 42.4, 26.6, 42.9)), "members")
    assert not member.is_staff
    html = client.get("/routes/?lang=en").content.decode()
    assert '<a href="/sign-in/?next=/routes/%3Flang%3Den">Sign in</a>' in html
    response = client.post("/sign-in/?next=/practices/new/", {
        "username": member.username, "password": "pw-" + member.username,
        "next": "/practices/new/"})
    assert response.status_code == 302 and response["Location"] == "/practices/new/"
    assert client.get("/practices/new/").status_code == 200
    # Without a "next", a member starts from the map.
    client.logout()
    response = client.post("/sign-in/", {"username": member.username,
                                         "password": "pw-" + member.username})
    assert response["Location"] == "/"
