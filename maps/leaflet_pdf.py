"""A printed page as PDF (WeasyPrint): the route leaflet's HTML with its print
stylesheet, rendered on the server for those who want the file rather than the browser's
Print. Nothing is fetched while rendering: the stylesheet is read from the static files
and the QR code and the sketch are inline SVG, so a page can never make the server ask
another host for anything."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetchingError


class NoFetching(URLFetcher):
    """Refuses every URL a page names (images, fonts, stylesheets)."""

    def fetch(self, url: str, headers: object = None) -> object:
        raise URLFetchingError(f"not fetched: {url[:100]}")


def pdf_of(html: str, *, stylesheet: str) -> bytes:
    """``html`` printed with the static stylesheet ``stylesheet`` (a static path)."""
    found = finders.find(stylesheet)
    if not isinstance(found, str):
        raise FileNotFoundError(stylesheet)
    css = CSS(string=Path(found).read_text(encoding="utf-8"), url_fetcher=NoFetching())
    return bytes(HTML(string=html, url_fetcher=NoFetching()).write_pdf(stylesheets=[css]))
