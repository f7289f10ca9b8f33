"""The first-visit tours (driver.js, maps/tours.py) in a real Chromium, on a desktop and a
phone: on the explorer and the import page a first visit starts the tour by itself, in the
page's language; it can be stepped through or dismissed, does not start again, and the
header's "Tour of this page" replays it. Every page that has a tour is opened as its usual
reader (a visitor, a partner's editor, a tourism actor): each step names an element that is
shown there (on a phone, or folded in the header's menu, which the tour leaves out)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from maps.tours import TOURS
from tests.browser.conftest import DESKTOP, PHONE, shared
from tests.browser.explorer import OVERVIEW
from tests.factories import make_partner, make_person

pytestmark = pytest.mark.browser

POPOVER = ".driver-popover"
SIZES = {"desktop": ({"viewport": DESKTOP}),
         "phone": ({"viewport": PHONE, "is_mobile": True, "has_touch": True})}


def _replay(page) -> None:
    """The header's replay button (behind the menu on a phone); on the guides' home,
    where tour.js puts it: in Material's header, or atop the content on a phone."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.locator("header.site [data-tour-replay], header.md-header [data-tour-replay], "
                 ".md-content [data-tour-replay]").click()


# It writes: a visitor's completed tour is counted (tests/browser/test_training.py).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_explorer_tour_runs_on_a_first_visit_and_is_replayed_from_the_header(
        new_page, live_server, region, size):
    page = new_page(first_visit=True, **SIZES[size])
    page.goto(f"{live_server.url}/?lang=bg&{OVERVIEW}")
    popover = page.locator(POPOVER)
    popover.wait_for(timeout=15_000)
    assert page.locator(".driver-popover-title").inner_text() == "Търсене"
    total = int(page.locator(".driver-popover-progress-text").inner_text().split()[-1])
    titles = []
    for step in range(1, total + 1):  # step through to the end
        page.wait_for_function(
            "t => document.querySelector('.driver-popover-progress-text')?.textContent === t",
            arg=f"{step} от {total}")
        titles.append(page.locator(".driver-popover-title").inner_text())
        page.locator(".driver-popover-next-btn").click()
    popover.wait_for(state="hidden")
    assert titles[:3] == ["Търсене", "Слоеве", "Легенда"]
    if size == "phone":  # the header's menu is folded: its steps are left out
        assert "Помощ" not in titles
    else:
        assert titles[-1] == "Помощ"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["viewport"][
        "width"]

    page.reload()
    page.wait_for_selector("[data-ready=true]", timeout=15_000)
    page.wait_for_timeout(500)
    assert not popover.is_visible(), "a finished tour does not start again"
    _replay(page)
    popover.wait_for()
    assert page.locator(".driver-popover-title").inner_text() == "Търсене"
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.requested_hosts <= {"127.0.0.1", "localhost", "tile.openstreetmap.org"}
    assert not page.console_errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", list(SIZES))
def test_the_import_page_tour_runs_once_and_can_be_dismissed(new_page, live_server, size):
    partner = make_partner("sliven")
    client = Client()
    client.force_login(make_person(partner, "editors"))
    page = new_page(first_visit=True, **SIZES[size])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/import/?lang=fr")
    popover = page.locator(POPOVER)
    popover.wait_for(timeout=10_000)
    assert page.locator(".driver-popover-title").inner_text() == "Fichier"
    assert page.locator(".driver-popover-progress-text").inner_text() == "1 sur 4"
    page.locator(".driver-popover-close-btn").click()
    popover.wait_for(state="hidden")
    page.reload()
    page.locator("#id_file").wait_for()
    page.wait_for_timeout(500)
    assert not popover.is_visible(), "a dismissed tour does not start again"
    _replay(page)
    popover.wait_for()
    page.locator(".driver-popover-next-btn").click()
    page.wait_for_function(
        "() => document.querySelector('.driver-popover-title')?.textContent === 'Couche'")
    assert not page.console_errors


# -- Every page's tour names elements that are there -------------------------------------

# What tour.js counts as shown: laid out, not hidden; here also not of zero size.
SHOWN = """s => { const el = document.querySelector(s);
  if (!el) return "absent";
  const r = el.getBoundingClientRect();
  if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") {
    return el.closest("header.site") ? "folded" : "hidden";
  }
  return r.width > 0 && r.height > 0 ? "shown" : "empty";
}"""


@shared
def tour_world() -> dict:
    """A few rows for every page that has a tour, and signed-in sessions (made here, while
    the data set is written, so that the tests themselves only read): a partner's editor
    who is also a moderator, and a verified tourism actor with a published listing."""
    import datetime as dt

    from campaigns import services as campaigns
    from exchange.models import GoodPractice
    from exchange.vocabulary import Status
    from routes.services import StopSpec, route_compose
    from routes.vocabulary import Mode
    from tests.actors.conftest import make_actor
    from tests.factories import make_attraction, make_layer, make_listing
    from tests.routes.conftest import make_route

    partner = make_partner("stara-zagora")
    places = make_layer(partner)
    a = make_attraction(places, 25.6, 42.4, name_en="Forum")
    b = make_attraction(places, 25.62, 42.41, name_en="Spring")
    route = make_route(partner, slug="forum-walk")
    route_compose(route=route, stops=[StopSpec(a), StopSpec(b)], modes=[Mode.WALK])
    # Featured: the home page has something on, as a visitor finds it (its panel is the
    # explorer's tour's step "What's on"; a home with nothing on has no panel).
    published = GoodPractice.objects.create(
        partner=partner, status=Status.FEATURED, title_en="Night of museums",
        summary_en="One night")
    draft = GoodPractice.objects.create(partner=partner, status=Status.DRAFT,
                                        title_en="Open cellars", summary_en="A weekend")
    person = make_person(partner, "editors")
    person.groups.add(partner.moderators)
    announcement = campaigns.announcement_create(
        user=person, partner=partner,
        values={"title_en": "Wine days", "text_en": "Cellars open.",
                "starts_on": dt.date(2026, 6, 1), "ends_on": dt.date(2026, 6, 30)})
    actor = make_actor("stay@example.org", organisation="Blue Stone")
    listing = make_listing(25.61, 42.405, name_en="Blue Stone guesthouse", actor=actor)

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    editor, actor_session = session(person), session(actor.user)
    return {"sessions": {"editor": editor, "actor": actor_session, "visitor": None},
            "pages": {
                "explorer": ("visitor", "/"),
                "imports:upload": ("editor", "/import/"),
                "route-list": ("visitor", "/routes/"),
                "route-page": ("visitor", "/routes/forum-walk/"),
                "route-new": ("editor", "/routes/new/"),
                "route-settings": ("editor", "/routes/forum-walk/settings/"),
                "route-editor": ("editor", "/routes/forum-walk/edit/"),
                "practice-list": ("visitor", "/practices/"),
                "practice-page": ("visitor", f"/practices/{published.uid}/"),
                "practice-new": ("editor", "/practices/new/"),
                "practice-edit": ("editor", f"/practices/{draft.uid}/edit/"),
                "practice-queue": ("editor", "/practices/review/"),
                "actor-dashboard": ("actor", "/actors/"),
                "actor-submission-new": ("actor", "/actors/submissions/new/"),
                "actor-listing-change": ("actor", f"/actors/listings/{listing.uid}/change/"),
                "actor-queue": ("editor", "/actors/moderation/"),
                "actor-sign-up": ("visitor", "/actors/sign-up/"),
                "sign-in": ("visitor", "/sign-in/"),
                "actor-sign-in": ("visitor", "/actors/sign-in/"),
                "planner": ("visitor", "/planner/"),
                "layer-page": ("visitor", f"/layers/{places.slug}/"),
                "announcement-new": ("editor", "/announcements/new/"),
                "announcement-edit": ("editor", f"/announcements/{announcement.uid}/edit/"),
                "announcement-manage": ("editor", "/announcements/manage/"),
                "training-report": ("editor", "/training/"),
                "help": ("visitor", "/help/{lang}/"),
            }}


def _open_first_visit(new_page, live_server, tour_world, name: str, lang: str, **size):
    """The page of tour ``name`` as its usual reader, on a first visit, its tour started."""
    role, address = tour_world["pages"][name]
    address = address.format(lang=lang)
    page = new_page(first_visit=True, **size)
    session = tour_world["sessions"][role]
    if session:
        page.context.add_cookies([{"name": "sessionid", "value": session,
                                   "url": live_server.url}])
    page.goto(f"{live_server.url}{address}?lang={lang}")
    assert page.evaluate("location.pathname") == address, f"{name}: sent elsewhere"
    page.locator(POPOVER).wait_for(timeout=15_000)
    return page


TOUR_PAGES = (
    "explorer", "imports:upload", "route-list", "route-page", "route-new", "route-settings",
    "route-editor", "practice-list", "practice-page", "practice-new", "practice-edit",
    "practice-queue", "actor-dashboard", "actor-submission-new", "actor-listing-change",
    "actor-queue", "actor-sign-up", "sign-in", "actor-sign-in", "planner", "layer-page",
    "announcement-new", "announcement-edit", "announcement-manage", "training-report", "help")


def test_every_page_with_a_tour_is_opened_here():
    # A tour added to maps/tours.py without its page here would go unchecked.
    assert set(TOURS) == set(TOUR_PAGES)


@pytest.mark.parametrize("name", TOUR_PAGES)
def test_each_page_s_tour_starts_on_a_first_visit_names_only_shown_elements_and_replays(
        new_page, live_server, tour_world, name):
    page = _open_first_visit(new_page, live_server, tour_world, name, "bg")
    steps = TOURS[name]
    with translation.override("bg"):
        first = str(steps[0].title)
    seen = {step.selector: page.evaluate(SHOWN, step.selector) for step in steps}
    assert all(state == "shown" for state in seen.values()), f"{name}: {seen}"
    assert page.locator(".driver-popover-title").inner_text() == first
    # Every step in the tour: none was left out as not shown when it started.
    assert page.locator(".driver-popover-progress-text").inner_text() == f"1 от {len(steps)}"
    page.keyboard.press("Escape")
    page.locator(POPOVER).wait_for(state="hidden")
    _replay(page)
    page.locator(POPOVER).wait_for()
    assert page.locator(".driver-popover-title").inner_text() == first
    assert not page.console_errors


@pytest.mark.parametrize("name", ["route-page", "practice-list", "planner", "route-editor",
                                  "help"])
def test_on_a_phone_a_tour_leaves_out_only_what_the_phone_folds(
        new_page, live_server, tour_world, name):
    page = _open_first_visit(new_page, live_server, tour_world, name, "el",
                             **SIZES["phone"])
    steps = TOURS[name]
    seen = {step.selector: page.evaluate(SHOWN, step.selector) for step in steps}
    # Left out by tour.js on a phone: what the folded menu holds, and what the page folds
    # to nothing there (the guides' search box, an icon); the desktop test above has every
    # step shown.
    assert set(seen.values()) <= {"shown", "folded", "empty"}, f"{name}: {seen}"
    shown = sum(state == "shown" for state in seen.values())
    assert page.locator(".driver-popover-progress-text").inner_text() == f"1 από {shown}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.keyboard.press("Escape")
    page.locator(POPOVER).wait_for(state="hidden")
    if name == "help":  # its replay button sits above the title: apart from it
        button = page.locator("[data-tour-replay]").bounding_box()
        title = page.locator("h1").first.bounding_box()
        assert title["y"] - (button["y"] + button["height"]) >= 8, (button, title)
    _replay(page)
    page.locator(POPOVER).wait_for()
    assert not page.console_errors


# -- The forms' hints on GIS words --------------------------------------------------------

@pytest.mark.parametrize(("name", "hint", "lang", "words"), [
    ("route-editor", "leg", "bg", "Пътят от една спирка до следващата"),
    ("route-new", "slug", "el", "Το δημόσιο αναγνωριστικό της διαδρομής"),
    ("practice-new", "places", "fr", "Là où la pratique a eu lieu"),
])
def test_a_form_s_hint_on_a_gis_word_opens_when_asked_in_the_page_s_language(
        new_page, live_server, tour_world, name, hint, lang, words):
    role, address = tour_world["pages"][name]
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)  # tours already seen
    page.context.add_cookies([{"name": "sessionid", "value": tour_world["sessions"][role],
                               "url": live_server.url}])
    page.goto(f"{live_server.url}{address}?lang={lang}")
    text = page.locator(f"[data-hint={hint}] p")
    assert not text.is_visible(), "folded until asked"
    page.locator(f"[data-hint={hint}] summary").click()
    text.wait_for()
    assert text.inner_text().startswith(words)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.console_errors
