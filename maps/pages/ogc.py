"""The OGC API's HTML pages (``/ogc/…?f=html``, or a browser's Accept): the landing page,
conformance, the collections, a collection, a page of its items with a map, one item.

The OGC API's views (layers/ogc) answer these addresses and build the same data as
their JSON; they hand it to ``render`` here, which ``maps.apps`` registers with
``layers.ogc.html`` (layers may not import the site). Every page links its JSON
(``rel=alternate``), and the JSON links back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.urls import reverse
from django.utils.translation import gettext as _

from geo.http import HTML
from geo.i18n import page_language
from layers.ogc.html import Pages
from maps.builders import features_map
from maps.elements import AtlasMap, map_parts
from maps.help import HELP_TOPICS, guide_url
from maps.pages.explorer import EXPORT_FORMATS

GUIDE_TOPIC = HELP_TOPICS["ogc-landing"]
# Properties too long for a row of the items' table (the item's own page shows them).
LONG = ("description",)
# The site's own page of a feature, for the kinds that have one.
SITE_PAGES = {"attraction": "attraction-page", "trail": "trail-page",
              "service": "service-page"}


def guide(lang: str) -> str:
    """The guide's section on the OGC API, in ``lang``."""
    return guide_url(GUIDE_TOPIC, lang)


def render(request: HttpRequest, page: str, data: dict[str, Any]) -> HttpResponse:
    """The page ``page`` of the OGC API's answer ``data``."""
    links = data.get("links", [])
    context: dict[str, Any] = {
        "data": data, "page": page, "links": links,
        "json_link": next((link for link in links if link.get("rel") == "alternate"
                           and link.get("type") != HTML), None),
        "guide_url": guide(page_language()),
    }
    context.update(PAGES[page](request, data))
    return render_page(request, f"ogc/{page}.html", context)


def _by_rel(links: list[dict[str, Any]], *rels: str) -> list[dict[str, Any]]:
    return [link for link in links if link.get("rel") in rels]


def _html(href: str) -> str:
    """A link of the API as its page: ``f=html`` added (or replacing ``f``)."""
    base, _sep, query = href.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("f=")]
    return base + "?" + "&".join([*kept, "f=html"])


def _landing(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    return {"docs": _by_rel(data["links"], "service-doc", "service-desc"),
            "ogc_url": request.build_absolute_uri(reverse("ogc-landing"))}


def _conformance(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    return {}


def _collections(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    # Features have pages; the metadata catalogue's records are JSON (and DCAT, ISO) only.
    rows = [{"c": c, "json": _by_rel(c["links"], "self")[0]["href"],
             **({"page": _html(_by_rel(c["links"], "self")[0]["href"]),
                 "items": _html(_by_rel(c["links"], "items")[0]["href"])}
                if c.get("itemType", "feature") == "feature" else
                {"page": _by_rel(c["links"], "self")[0]["href"],
                 "items": _by_rel(c["links"], "items")[0]["href"]})}
            for c in data["collections"]]
    return {"rows": rows}


SHOWN_RELS = ("self", "alternate", "items", "enclosure")


def _rel_labels() -> dict[str, str]:
    return {"describedby": _("Schema of the features (JSON Schema)"),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables":
                _("Queryables: what a filter may name (JSON Schema)")}


def _format_of(link: dict[str, Any]) -> str:
    """The export format a download link asks for (its ``format=``)."""
    return parse_qs(urlparse(link.get("href", "")).query).get("format", [""])[0]


def _collection(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    links = data["links"]
    items = _by_rel(links, "items")[0]["href"]
    formats = dict(EXPORT_FORMATS)
    labels = _rel_labels()
    return {"items_page": _html(items), "items_json": items,
            "downloads": [{**link, "format": fmt, "label": formats.get(fmt, link.get("title"))}
                          for link in _by_rel(links, "enclosure")
                          for fmt in (_format_of(link),)],
            # Schema, queryables and whatever else a collection links (tiles, styles,
            # metadata): listed as they come, named by their title, else their relation.
            "other_links": [{**link, "label": labels.get(link.get("rel", ""))
                             or link.get("title") or link.get("rel")}
                            for link in links if link.get("rel") not in SHOWN_RELS],
            "bbox": data.get("extent", {}).get("spatial", {}).get("bbox", [None])[0]}


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


def _item_url(collection: str, fid: str) -> str:
    return reverse("ogc-item", args=[collection, fid]) + "?f=html"


def _items(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    features = data["features"]
    cid = data["collection"]["id"]
    columns: list[str] = []
    for f in features:
        columns += [k for k in (f.get("properties") or {}) if k not in columns
                    and not k.startswith(LONG)]
    rows = [{"id": f.get("id"), "url": _item_url(cid, str(f.get("id"))),
             "cells": [_value((f.get("properties") or {}).get(k)) for k in columns]}
            for f in features]
    first = data["offset"] + 1 if data["numberReturned"] else 0
    shapes = [{"type": "Feature", "geometry": f["geometry"],
               "properties": {"name": (f.get("properties") or {}).get("name") or str(f.get("id"))}}
              for f in features if f.get("geometry")]
    return {
        "columns": columns, "rows": rows, "drawn": len(shapes),
        "first": first, "last": data["offset"] + data["numberReturned"],
        "next": next((_html(link["href"]) for link in _by_rel(data["links"], "next")), None),
        "prev": next((_html(link["href"]) for link in _by_rel(data["links"], "prev")), None),
        **map_parts(_map(shapes)),
    }


def _item(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("properties") or {}
    site_page = SITE_PAGES.get(props.get("kind", ""))
    shape = ([{"type": "Feature", "geometry": data["geometry"],
               "properties": {"name": props.get("name") or str(data.get("id"))}}]
             if data.get("geometry") else [])
    return {
        "drawn": len(shape),
        "props": [(k, _value(v)) for k, v in props.items()],
        "name": props.get("name") or str(data.get("id")),
        "items_page": reverse("ogc-items", args=[data["collection"]["id"]]) + "?f=html",
        "site_page": reverse(site_page, args=[data["id"]]) if site_page else None,
        **map_parts(_map(shape)),
    }


def _map(features: list[dict[str, Any]]) -> AtlasMap:
    """The features of the page on a map: they are the page's own data (a page of at
    most ``limit`` features, lines as the site's maps draw them), as on a feature's page."""
    return features_map({"type": "FeatureCollection", "features": features}, height="100%",
                        colour="#a04000", label="name", name="items", weight=4, radius=7)


PAGES = {"landing": _landing, "conformance": _conformance, "collections": _collections,
         "collection": _collection, "items": _items, "item": _item}

OGC_PAGES = Pages(render=render, guide=guide)
