"""Styles that travel with a collection (shaped after the OGC API – Styles draft, whose
conformance is not claimed: no dataset-wide /styles): the platform's look as a
MapLibre style, an SLD 1.0 and a QGIS style (QML), so that a layer opens in a web map, in
GeoServer or in QGIS looking as it does on the platform's map (layers/styles/).

- ``/ogc/collections/{id}/styles``: the collection's one style, ``atlas``, and its three
  stylesheets;
- ``/ogc/collections/{id}/styles/atlas?f=mapbox|sld10|qml``: a stylesheet (``mapbox``
  when ``f`` is not given);
- ``/ogc/resources/sprite{,@2x}.{json,png}``: the MapLibre style's icons (OGC API –
  Styles keeps symbols under ``/resources``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils import translation

from geo.http import read_only
from geo.params import choice, parse_lang, refuse_unknown
from layers.ogc.catalogue import Collection, find_collection
from layers.ogc.responses import absolute_url, json_response
from layers.styles.maplibre import maplibre_style
from layers.styles.qgis import qgis_style
from layers.styles.sld import sld_style
from layers.styles.sprite import sprite

STYLE_ID = "atlas"
REL_STYLES = "http://www.opengis.net/def/rel/ogc/1.0/styles"
ATTRIBUTION = "Regional Tourism Atlas partners"
# f -> (media type, the stylesheet's title, file extension)
FORMATS: dict[str, tuple[str, str, str]] = {
    "mapbox": ("application/vnd.mapbox.style+json", "MapLibre / Mapbox GL style", "json"),
    "sld10": ("application/vnd.ogc.sld+xml;version=1.0", "OGC SLD 1.0", "sld"),
    "qml": ("application/vnd.qgis.qml", "QGIS style (QML)", "qml"),
}


def stylesheet_url(request: HttpRequest, cid: str, f: str, lang: str | None = None) -> str:
    query = f"f={f}" + (f"&lang={lang}" if lang else "")
    return absolute_url(request, "ogc-style", cid, STYLE_ID, query=query)


def stylesheet_links(request: HttpRequest, cid: str,
                     lang: str | None = None) -> list[dict[str, Any]]:
    """A link to each stylesheet (``rel=stylesheet``), as a collection lists them."""
    return [{"rel": "stylesheet", "type": media, "title": title,
             "href": stylesheet_url(request, cid, f, lang)}
            for f, (media, title, _ext) in FORMATS.items()]


def collection_links(request: HttpRequest, c: Collection) -> list[dict[str, Any]]:
    return [{"rel": REL_STYLES, "type": "application/json",
             "href": absolute_url(request, "ogc-styles", c.id)},
            *stylesheet_links(request, c.id)]


@read_only
def style_list(request: HttpRequest, cid: str) -> HttpResponse:
    refuse_unknown(request.GET, {"f", "lang"})
    choice(request.GET, "f", ("json",), default="json")
    c = find_collection(cid, parse_lang(request.GET))
    return json_response({
        "default": STYLE_ID,
        "styles": [{"id": STYLE_ID, "title": "As on the Regional Tourism Atlas's map",
                    "links": stylesheet_links(request, c.id)}],
        "links": [{"rel": "self", "type": "application/json",
                   "href": absolute_url(request, "ogc-styles", c.id)},
                  {"rel": "collection", "type": "application/json",
                   "href": absolute_url(request, "ogc-collection", c.id)}],
    }, request)


@read_only
def stylesheet(request: HttpRequest, cid: str, sid: str) -> HttpResponse:
    refuse_unknown(request.GET, {"f", "lang"})
    f = choice(request.GET, "f", tuple(FORMATS), default="mapbox")
    lang = parse_lang(request.GET)
    c = find_collection(cid, lang)
    if sid != STYLE_ID:
        raise Http404(f"no style {sid!r} of {cid!r}: its style is {STYLE_ID!r}")
    media, _title, ext = FORMATS[f]
    with translation.override(lang):
        if f == "mapbox":
            tilejson = absolute_url(request, "tilejson", c.id, query=f"lang={lang}")
            sprite_url = absolute_url(request, "ogc-resource", "sprite.json")[:-len(".json")]
            return json_response(maplibre_style(name=c.title, kinds=c.kinds,
                                                tilejson_url=tilejson, sprite_url=sprite_url,
                                                attribution=ATTRIBUTION),
                                 request, content_type=media)
        if f == "sld10":
            body = sld_style(layer=c.id, title=c.title, kinds=c.kinds,
                             icon_url=lambda icon: request.build_absolute_uri(
                                 static(f"vendor/maki/{icon}.svg")))
        else:
            body = qgis_style(kinds=c.kinds)
    response = HttpResponse(body, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{c.id}.{ext}"'
    return response


SPRITES = {"sprite": 1, "sprite@2x": 2}


@read_only
def resource(request: HttpRequest, name: str) -> HttpResponse:
    """The sprite (``sprite.png``, ``sprite@2x.png``) and its index (``.json``)."""
    refuse_unknown(request.GET, set())
    stem, _dot, ext = name.rpartition(".")
    if stem not in SPRITES or ext not in ("png", "json"):
        raise Http404(f"no resource {name!r}: there are " + ", ".join(
            f"{s}.{e}" for s in SPRITES for e in ("json", "png")))
    png, index = sprite(SPRITES[stem])
    if ext == "json":
        response = json_response(index, request)
    else:
        response = HttpResponse(png, content_type="image/png")
    # The icons change with a release, not with the data.
    response["Cache-Control"] = "public, max-age=86400"
    return response
