"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.explorer import region  # noqa: F401  (the explorer tests' fixture)

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

    def make(viewport: dict = DESKTOP, **context_options):
        context = browser.new_context(viewport=viewport, **{"locale": "en-GB",
                                                            **context_options})
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
