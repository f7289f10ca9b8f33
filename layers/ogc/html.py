"""The OGC API's HTML representation: which one a client asks for, the links between the
two (``rel=alternate``, both ways), and the pages that draw it.

JSON stays the default: ``f=json`` (or ``geojson``) asks for it, and so does a client
that sends no Accept, ``*/*`` (OWSLib) or a JSON type (GDAL, QGIS); ``f=html`` or an
Accept that puts ``text/html`` first (a browser) asks for HTML (``geo.http.prefers_html``,
which the error pages follow too). The pages themselves belong to the site (``maps``),
which ``layers`` may not import: the site registers its renderer here from its app's
``ready()`` (``register_pages``), as feature kinds register with ``layers.registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from geo.errors import BadParameter
from geo.http import HTML, prefers_html
from geo.params import Query, choice, refuse_unknown
from layers.ogc.params import COMMON_PARAMS

FORMATS = ("json", "geojson", "html")


@dataclass(frozen=True)
class Pages:
    """What the site gives the OGC API: ``render(request, page, data)`` draws ``page``
    (``landing``, ``conformance``, ``collections``, ``collection``, ``items``, ``item``)
    from the JSON answer's ``data``; ``guide(lang)`` is the address of the guide that
    explains the OGC API to people, in ``lang``."""

    render: Callable[[HttpRequest, str, dict[str, Any]], HttpResponse]
    guide: Callable[[str], str]


_registered: list[Pages] = []


def register_pages(pages: Pages) -> None:
    """The site's OGC pages (one set: a second registration replaces the first)."""
    _registered[:] = [pages]


def registered() -> Pages | None:
    return _registered[0] if _registered else None


def negotiate(request: HttpRequest, known: frozenset[str] = COMMON_PARAMS) -> bool:
    """Check the endpoint's parameters (as ``check_params``) and say whether the client
    asks for HTML. An ``f`` other than ``json``, ``geojson`` or ``html`` is a 400 that
    names it."""
    query: Query = request.GET
    refuse_unknown(query, known)
    choice(query, "f", FORMATS, default="json")
    html = prefers_html(request)
    if html and registered() is None:
        raise BadParameter("f", _("no HTML representation is available"))
    return html


def format_url(request: HttpRequest, fmt: str) -> str:
    """This request's address with ``f=fmt``: a link that a browser follows to JSON must
    say so, or its Accept would bring it back to HTML."""
    query = request.GET.copy()
    query["f"] = fmt
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def linked(request: HttpRequest, links: list[dict[str, Any]], *, html: bool,
           json_type: str = "application/json") -> list[dict[str, Any]]:
    """``links`` with this answer's ``self`` in the format given and an ``alternate`` to
    the other: JSON → HTML in the JSON answers, HTML → JSON in the pages."""
    out = [link for link in links if link.get("rel") != "self"]
    json_fmt = "geojson" if json_type != "application/json" else "json"
    if html:
        own = {"rel": "self", "type": HTML, "href": format_url(request, "html")}
        other = {"rel": "alternate", "type": json_type, "href": format_url(request, json_fmt),
                 "title": _("This document as JSON")}
    else:
        own = next((link for link in links if link.get("rel") == "self"),
                   {"rel": "self", "type": json_type, "href": request.build_absolute_uri()})
        other = {"rel": "alternate", "type": HTML, "href": format_url(request, "html"),
                 "title": _("This document as HTML")}
    return [own, other, *out]


def page(request: HttpRequest, name: str, data: dict[str, Any]) -> HttpResponse:
    """The HTML page ``name`` of ``data``, drawn by the site's registered renderer."""
    pages = registered()
    assert pages is not None, "negotiate() refuses HTML when no pages are registered"
    return negotiated(pages.render(request, name, data))


def negotiated(response: HttpResponse) -> HttpResponse:
    """An answer chosen by the Accept header: caches must keep one per Accept."""
    patch_vary_headers(response, ["Accept"])
    return response


def guide_url(request: HttpRequest, lang: str) -> str | None:
    """The guide that explains the OGC API to people, in ``lang`` (None without a site)."""
    pages = registered()
    return request.build_absolute_uri(pages.guide(lang)) if pages is not None else None
