"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live server, and the
data the browser tests share, loaded once per run.

The live server answers from database connections of its own, so it sees committed data
only. pytest-django gives every test that uses ``live_server`` a ``transactional_db``:
after each test it empties every table (a TRUNCATE of them all, then the permissions made
anew), and each test had to load its data again, the whole demo in several seconds.

Here instead (``_live_server_helper`` below replaces pytest-django's, by name):

- A data set the tests share (``demo``, ``region``, ``world``, ``imported_layer``: fixtures
  made with ``@shared``) is loaded and committed the first time a test asks for it, and
  stays there for the next tests that ask for the same set. The database holds one set at
  a time (they would clash: the demo and the region both have a Stara Zagora); a test that
  asks for another set, or for none, finds the tables emptied first, so no test sees
  another's data, whatever ran before it, and any test or file runs alone.
- A read-only test (no ``django_db`` mark) writes nothing: for the whole test its own
  database connection and every connection the live server takes from the pool are read-only
  (PostgreSQL's ``default_transaction_read_only``). A write, by the test or by a page,
  fails that test rather than leave something behind for the next one.
- A test that writes (adds data to a shared set, signs a user in, saves through a page,
  imports a file) is marked ``django_db(transaction=True)``: pytest-django empties the
  tables after it, as before, and the next test that asks for a set loads it again. We
  chose this over writers undoing their own writes: what the live server committed on a
  page's behalf is not the test's to list, and emptying every table is sure.
- The browser tests run grouped by data set, read-only ones first, writing ones after
  (``pytest_collection_modifyitems``): each set is loaded once, then once more after each
  writing test that another test of the same set follows. The tables are emptied again
  when the browser tests are done, as the transactional tests after them expect.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.test.utils import modify_settings

from maps.tours import TOURS
from planner.params import CoverageQuery
from planner.selectors import analyse
from planner.services import site_diagram_update
from tests.browser import explorer

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make to set up data are ordinary blocking calls, which is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# The only outside host a page may use: the basemap's tiles.
BASEMAP_HOSTS = {"tile.openstreetmap.org"}
PLATFORM_HOSTS = {"127.0.0.1", "localhost"}
# An 1×1 transparent PNG stands in for basemap tiles: the tests do not need the
# outside network, and a page that waits on tiles would be slow and flaky.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SEEN_TOURS = "try { " + " ".join(
    f"localStorage.setItem({json.dumps('atlas-tour:' + page)}, 'done');" for page in TOURS
) + " } catch (e) {}"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(page) -> None:
    """Record every host the page asks for; basemap tiles are blank, other hosts refused."""
    page.requested_hosts = set()
    page.requested_urls = []
    page.console_errors = []

    def route(route):
        url = route.request.url
        host = urlsplit(url).hostname
        page.requested_hosts.add(host)
        page.requested_urls.append(url)
        if host in BASEMAP_HOSTS:
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif host in PLATFORM_HOSTS:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))


@pytest.fixture
def new_page(browser, live_server):
    """Pages at a chosen size (and locale, geolocation…), each watched like ``page``."""
    contexts = []

    def make(viewport: dict = DESKTOP, first_visit: bool = False, **context_options):
        # Service workers blocked unless asked for (tests/browser/test_offline.py): the
        # site registers one on every page, and a page's requests that it answers would
        # escape the route() that watches them.
        context = browser.new_context(viewport=viewport, **{
            "locale": "en-GB", "service_workers": "block", **context_options})
        if not first_visit:
            # A returning visitor: the pages' first-visit tours (maps/tours.py) seen.
            context.add_init_script(SEEN_TOURS)
        contexts.append(context)
        page = context.new_page()
        _watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Iterator:
    """A fresh desktop page that records every host it requests and never leaves the machine."""
    return new_page()


def screenshot(page, name: str) -> Path:
    """test-results/screenshots/<name>.png (the pictures in docs/ come from these)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def feature_requests(page) -> list[str]:
    return [u for u in page.requested_urls if "/api/regional-layer/" in u and "bbox=" in u]


# -- The data the browser tests share ----------------------------------------------------

BROWSER_TESTS = Path(__file__).resolve().parent
EMPTY = "empty"  # as migrate or a flush leaves the tables: no shared data set
UNKNOWN = "unknown"  # not looked at yet this run, or a load that did not finish
READ_ONLY = "25006"  # PostgreSQL's SQLSTATE for a write in a read-only transaction


class _SharedData:
    """Which data set the test database holds, and what its loader returned."""

    def __init__(self) -> None:
        self.key = UNKNOWN
        self.value = None
        self.read_only = False
        self.refused: list[str] = []  # pages that tried to write in a read-only test

    def use(self, key: str, loader: Callable):
        if self.key != key:
            self.empty()
            self.key = UNKNOWN
            with self.writable():
                self.value = loader()
                # As a site holds its data once the planner has analysed it: with the
                # diagram of its sites drawn and the day's indicators kept. The first
                # analysis would draw and keep them, a write.
                site_diagram_update()
                analyse(CoverageQuery(), "en")
            self.key = key
        return self.value

    def empty(self) -> None:
        """Every table emptied, as pytest-django does after a transactional test."""
        if self.key != EMPTY:
            with self.writable():
                call_command("flush", verbosity=0, interactive=False, reset_sequences=False,
                             allow_cascade=False, inhibit_post_migrate=False)
            self.key, self.value = EMPTY, None

    def set_read_only(self, on: bool) -> None:
        """This thread's connection now; the live server's as it opens them."""
        self.read_only = on
        with connection.cursor() as cursor:
            cursor.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")

    @contextmanager
    def writable(self) -> Iterator[None]:
        was = self.read_only
        if was:
            self.set_read_only(False)
        try:
            yield
        finally:
            if was:
                self.set_read_only(True)


_DATA = _SharedData()
SHARED: dict[str, str] = {}  # fixture name → the data set's key


def shared(loader: Callable) -> Callable:
    """Make ``loader`` (it writes a data set, returns what the tests need of it) a fixture
    of that name whose data is loaded once and kept for every test that uses it."""
    key, name = f"{loader.__module__}.{loader.__qualname__}", loader.__name__
    if SHARED.get(name, key) != key:
        raise ValueError(f"two shared data sets are named {name!r}: {SHARED[name]}, {key}")
    SHARED[name] = key

    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            return _DATA.use(key, loader)

    fixture.__doc__ = loader.__doc__
    return pytest.fixture(name=name)(fixture)


def _writes(item) -> bool:
    """A test that asked pytest-django for the database: it is transactional (a test of
    the live server always is), may write, and pytest-django empties the tables after."""
    return (item.get_closest_marker("django_db") is not None
            or bool({"db", "transactional_db"} & set(item.fixturenames)))


def _data_set(item) -> str:
    names = sorted(SHARED.keys() & set(item.fixturenames))
    if len(names) > 1:
        raise pytest.UsageError(f"{item.nodeid} asks for two shared data sets: {names}")
    return SHARED[names[0]] if names else EMPTY


@receiver(connection_created, dispatch_uid="atlas-browser-tests-read-only")
def _read_only_if_asked(sender, connection, **kwargs) -> None:
    # Said every time, on or off: Django sends this each time its pool hands a connection
    # out, and the pooled connection keeps what an earlier test set.
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = "
                       + ("on" if _DATA.read_only else "off"))


@receiver(got_request_exception, dispatch_uid="atlas-browser-tests-refused-write")
def _note_a_refused_write(sender, request=None, **kwargs) -> None:
    cause = getattr(sys.exc_info()[1], "__cause__", None)
    if _DATA.read_only and getattr(cause, "sqlstate", None) == READ_ONLY:
        _DATA.refused.append(f"{request.method} {request.get_full_path()}")


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_setup, django_db_blocker) -> Iterator[None]:
    """In place of pytest-django's helper of this name, which makes every test of the live
    server transactional: only tests that ask for the database (``django_db`` mark,
    ``db``, ``transactional_db``) are; the others read the shared data, read-only."""
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    host = urlsplit(live_server.url).hostname
    writes = _writes(request.node)
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": host}):
        if writes:
            request.getfixturevalue("transactional_db")
        if _data_set(request.node) == EMPTY:
            _DATA.empty()
        if not writes:
            _DATA.refused.clear()
            _DATA.set_read_only(True)
        try:
            yield
        finally:
            if writes:
                _DATA.key, _DATA.value = EMPTY, None  # pytest-django empties the tables
            else:
                _DATA.set_read_only(False)
    if _DATA.refused:
        pytest.fail(f"a page wrote to the database in a read-only test ({_DATA.refused}): "
                    "mark the test django_db(transaction=True)", pytrace=False)


@pytest.fixture(scope="package", autouse=True)
def _shared_data_emptied_after(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The tables emptied after the browser tests, as the transactional tests expect.

    Then this thread's connections are closed, as pytest-django closes them after each
    transactional test: while Playwright's event loop runs, Django keeps them apart from
    those it uses outside (asgiref's Local), and one left open would keep the test
    database from being dropped at the end.
    """
    yield
    with django_db_blocker.unblock():
        _DATA.empty()
        connections.close_all()


def pytest_collection_modifyitems(config, items) -> None:
    """The browser tests grouped by data set, read-only ones first (see the top)."""
    places = [i for i, item in enumerate(items) if BROWSER_TESTS in item.path.parents]
    tests = [items[i] for i in places]
    first: dict[str, int] = {}
    for n, item in enumerate(tests):
        first.setdefault(_data_set(item), n)
    tests.sort(key=lambda item: (first[_data_set(item)], _writes(item)))
    for i, item in zip(places, tests, strict=True):
        items[i] = item


@shared
def demo() -> None:
    """The demo data of `make demo`: four partners, their layers and the pilot routes."""
    from fixtures.demo_layers import DEMO_DIR, load_demo
    from fixtures.demo_routes import load_demo_routes

    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)


@shared
def demo_exchange() -> None:
    """The demo with its good practices and the partners' entered indicators: what the
    strategy pages show."""
    from fixtures.demo_indicators import load_demo_indicators
    from fixtures.demo_layers import DEMO_DIR, load_demo
    from fixtures.demo_practices import load_demo_practices
    from fixtures.demo_routes import load_demo_routes

    load_demo(DEMO_DIR)
    load_demo_routes(DEMO_DIR)
    load_demo_practices(DEMO_DIR)
    load_demo_indicators()


region = shared(explorer.region)
