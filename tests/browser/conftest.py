"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

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
# An 1×1 transparent PNG stands in for basemap tiles: the tests do not need the
# outside network, and a page that waits on tiles would be slow and flaky.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh page that records every host it requests and never leaves the machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.requested_hosts = set()
    page.console_errors = []

    def route(route):
        from urllib.parse import urlsplit

        host = urlsplit(route.request.url).hostname
        page.requested_hosts.add(host)
        if host in BASEMAP_HOSTS:
            route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
        elif host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    context.close()
