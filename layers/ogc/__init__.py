"""OGC API – Features at /ogc/: Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS).

Collections: one per public layer (its slug), one per kind (``all-attractions``,
``all-trails``) and the regional layer. Items are built by PostGIS like the REST
API's, with flat properties (one attribute a column, as GDAL and QGIS expect).

- ``catalogue``: the collections, and how one is found;
- ``params``: the CRSs offered, and what an items request asks for;
- ``responses``: JSON with absolute links, and errors as OGC exceptions;
- ``downloads``: a collection's whole-file downloads (``rel=enclosure``);
- ``api_definition``: the OpenAPI 3.0 document;
- ``html``: JSON or HTML (``f=html``, a browser's Accept), the links between them, and
  the site's pages, which it registers;
- the endpoints themselves are here.
"""

from __future__ import annotations

import json
import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from geo import geojson
from geo.crs import WGS84
from geo.geojson import GEOJSON
from geo.http import read_only
from geo.params import flag, parse_lang, single
from layers import registry, selectors
from layers.ogc import records, tilesets
from layers.ogc import styles as ogc_styles
from layers.ogc.api_definition import openapi
from layers.ogc.catalogue import Collection, all_collections, find_collection
from layers.ogc.downloads import download_links
from layers.ogc.filter import parse_filter
from layers.ogc.html import guide_url, linked, negotiate, negotiated
from layers.ogc.html import page as html_page
from layers.ogc.params import (
    CRS84,
    CRS_URIS,
    ITEM_PARAMS,
    ITEMS_PARAMS,
    check_params,
    chosen_properties,
    crs_srid,
    flip_axes,
    items_filters,
    page,
    sort_keys,
)
from layers.ogc.property_params import both, property_filter, property_parameters
from layers.ogc.responses import absolute_url, json_response
from layers.params import FeatureFilters
from layers.selectors.cql import queryables as cql_queryables

__all__ = ["Collection", "collection", "collections", "conformance", "item", "items",
           "landing", "openapi", "queryables", "schema"]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    # What layers/selectors/cql.py translates (tests/layers/test_cql2_filters.py tries
    # each); not arithmetic, arrays or custom functions, which are a 400.
    *(f"http://www.opengis.net/spec/cql2/1.0/conf/{name}" for name in (
        "cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
        "case-insensitive-comparison", "accent-insensitive-comparison",
        "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions",
        "temporal-functions", "property-property")),
    *records.CONFORMANCE,
    *tilesets.CONFORMANCE,
]


@read_only
def landing(request: HttpRequest) -> HttpResponse:
    html = negotiate(request)
    guide = guide_url(request, parse_lang(request.GET))
    return _answer(request, "landing", html, {
        "title": "Regional Tourism Atlas",
        "description": "Tourist attractions and trails of Stara Zagora, Sliven, Larissa and "
                       "the Drôme, as OGC API – Features.",
        "links": [
            {"rel": "self", "type": "application/json",
             "href": absolute_url(request, "ogc-landing")},
            {"rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0",
             "href": absolute_url(request, "ogc-openapi")},
            {"rel": "service-doc", "type": "text/html",
             "href": absolute_url(request, "ogc-api-docs")},
            # People's documentation beside the operations' reference above.
            *([{"rel": "service-doc", "type": "text/html", "href": guide}] if guide else []),
            {"rel": "conformance", "type": "application/json",
             "href": absolute_url(request, "ogc-conformance")},
            {"rel": "data", "type": "application/json",
             "href": absolute_url(request, "ogc-collections")},
            {"rel": tilesets.REL_TILING_SCHEMES, "type": "application/json",
             "href": absolute_url(request, "ogc-tile-matrix-sets")},
        ],
    })


@read_only
def conformance(request: HttpRequest) -> HttpResponse:
    html = negotiate(request)
    return _answer(request, "conformance", html, {
        "conformsTo": CONFORMANCE,
        "links": [{"rel": "self", "type": "application/json",
                   "href": absolute_url(request, "ogc-conformance")}]})


def _answer(request: HttpRequest, name: str, html: bool, data: dict) -> HttpResponse:
    """A JSON answer, or (``html``) its page, each linking the other."""
    data["links"] = linked(request, data["links"], html=html)
    if html:
        return html_page(request, name, data)
    return negotiated(json_response(data, request))


def _describe(request: HttpRequest, c: Collection, lang: str) -> dict:
    # Kept per layer: counting the features here took seconds at millions of them.
    total = selectors.stored_feature_count(kinds=list(c.kinds), layer=c.layer)
    extent = selectors.extent(kinds=list(c.kinds), layer=c.layer)
    return {
        "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
        "crs": CRS_URIS, "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [extent or [-180, -90, 180, 90]], "crs": CRS84},
                   "temporal": {"interval": [[None, None]], "trs":
                                "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}},
        "numberOfFeatures": total,
        "links": [
            {"rel": "self", "type": "application/json",
             "href": absolute_url(request, "ogc-collection", c.id)},
            {"rel": "items", "type": GEOJSON, "href": absolute_url(request, "ogc-items", c.id)},
            # GDAL and QGIS take the layer's fields from here, not from the first page.
            {"rel": "describedby", "type": "application/schema+json",
             "href": absolute_url(request, "ogc-schema", c.id)},
            {"rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
             "type": "application/schema+json",
             "href": absolute_url(request, "ogc-queryables", c.id)},
            *records.collection_links(request, c),

            # The drafts' name, which GDAL's OAPIF driver (3.12 too) looks for.
            {"rel": "queryables", "type": "application/schema+json",
             "href": absolute_url(request, "ogc-queryables", c.id)},
            *download_links(request, c),
            *tilesets.collection_links(request, c),
            *ogc_styles.collection_links(request, c),
        ],
    }


COMMON_FIELDS = {"kind": "string", "partner": "string", "layer": "string", "name": "string",
                 "description": "string", "name_bg": "string", "name_el": "string",
                 "name_fr": "string", "name_en": "string"}

def property_schemas(c: Collection) -> dict[str, dict]:
    """Each property of the collection's features -> its JSON Schema."""
    fields = dict(COMMON_FIELDS)
    for kind in c.kinds:
        fields.update(registry.kind(kind).schema)
    props = {name: {"type": t, "items": {"type": "string"}} if t == "array" else {"type": t}
             for name, t in fields.items()}
    props["updated_at"] = {"type": "string", "format": "date-time"}
    return props


@read_only
def schema(request: HttpRequest, cid: str) -> HttpResponse:
    """JSON Schema of a collection's features: every property, whatever the first page has."""
    check_params(request.GET)
    c = find_collection(cid, parse_lang(request.GET))
    props = property_schemas(c)
    return json_response({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": absolute_url(request, "ogc-schema", c.id), "title": c.title, "type": "object",
        "properties": props,
    }, request, content_type="application/schema+json")


@read_only
def queryables(request: HttpRequest, cid: str) -> HttpResponse:
    """What ``filter`` may name (OGC API – Features Part 3), from the feature-kind
    registry: the fields every kind has and the collection's kinds' own."""
    check_params(request.GET)
    c = find_collection(cid, parse_lang(request.GET))
    props: dict[str, dict] = {"geometry": {
        "format": "geometry-any", "$ref": "https://geojson.org/schema/Geometry.json"}}
    props.update(cql_queryables(list(c.kinds)))
    return json_response({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": absolute_url(request, "ogc-queryables", c.id), "title": c.title,
        "type": "object", "properties": props, "additionalProperties": False,
        # The drafts' list, which GDAL's OAPIF driver reads to know what it may send to
        # the server as a filter (a JSON Schema keyword it does not know is ignored).
        "queryables": [{"id": name, "type": p.get("format", p.get("type"))}
                       for name, p in props.items()],
    }, request, content_type=schema_media_type(request))


@read_only
def collections(request: HttpRequest) -> HttpResponse:
    html = negotiate(request)
    lang = parse_lang(request.GET)
    return _answer(request, "collections", html, {
        "links": [{"rel": "self", "type": "application/json",
                   "href": absolute_url(request, "ogc-collections")}],
        "crs": CRS_URIS,
        "collections": [*(_describe(request, c, lang) for c in all_collections(lang)),
                        records.describe(request)],
    })


@read_only
def collection(request: HttpRequest, cid: str) -> HttpResponse:
    html = negotiate(request)
    lang = parse_lang(request.GET)
    return _answer(request, "collection", html,
                   _describe(request, find_collection(cid, lang), lang))


@read_only
def items(request: HttpRequest, cid: str) -> HttpResponse:
    lang = parse_lang(request.GET)
    c = find_collection(cid, lang)
    html = negotiate(request, ITEMS_PARAMS.union(property_parameters(list(c.kinds),
                                                                     ITEMS_PARAMS)))
    crs_uri = single(request.GET, "crs")
    srid = crs_srid(crs_uri, "crs")
    cql = both(parse_filter(request.GET, list(c.kinds)),
               property_filter(request.GET, list(c.kinds), ITEMS_PARAMS))
    if html:  # the page's map is in lon/lat, and draws lines as the site's maps do
        crs_uri, srid = None, WGS84
    filters = items_filters(request.GET, c)
    if filters is not None:
        filters.cql, filters.cql_kinds = cql, c.kinds
    limit, offset = page(request.GET)
    sort = sort_keys(request.GET, c)
    keep = chosen_properties(request.GET, set(property_schemas(c)))
    skip_geometry = flag(request.GET, "skipGeometry")
    out = selectors.Output(srid=srid, flip=flip_axes(srid, crs_uri), flat=True, display=html)
    if filters is None:
        features, total, returned = b"[]", 0, 0
    else:
        features, total, returned = selectors.features_page(
            kinds=list(c.kinds), filters=filters, lang=lang, limit=limit, offset=offset,
            out=out, sort=sort)
    if keep is not None or skip_geometry:
        features = _trimmed(features, keep, skip_geometry)
    query = request.GET.copy()
    if "limit" in query:
        query["limit"] = str(limit)  # a capped limit: the next page is as long as this one
    links = linked(request, [{"rel": "collection", "type": "application/json",
                              "href": absolute_url(request, "ogc-collection", c.id)}],
                   html=html, json_type=GEOJSON)
    if offset + returned < total:
        query["offset"] = str(offset + limit)
        links.append({"rel": "next", "type": GEOJSON,
                      "href": absolute_url(request, "ogc-items", c.id, query=query.urlencode())})
    if offset > 0:
        query["offset"] = str(max(0, offset - limit))
        links.append({"rel": "prev", "type": GEOJSON,
                      "href": absolute_url(request, "ogc-items", c.id, query=query.urlencode())})
    if html:
        return html_page(request, "items", {
            "type": "FeatureCollection", "features": json.loads(features),
            "numberMatched": total, "numberReturned": returned, "links": links,
            "collection": {"id": c.id, "title": c.title}, "offset": offset, "limit": limit})
    response = geojson.response(geojson.collection(
        features, numberMatched=total, numberReturned=returned, links=links,
        timeStamp=_now()))
    response["Content-Crs"] = f"<{crs_uri or CRS84}>"
    return negotiated(response)


@read_only
def item(request: HttpRequest, cid: str, fid: str) -> HttpResponse:
    html = negotiate(request, ITEM_PARAMS)
    lang = parse_lang(request.GET)
    c = find_collection(cid, lang)
    crs_uri = single(request.GET, "crs")
    srid = crs_srid(crs_uri, "crs")
    if html:
        crs_uri, srid = None, WGS84
    try:
        uid = str(uuid.UUID(fid))
    except ValueError:
        raise Http404(f"no feature {fid!r} in {cid!r}: feature ids are UUIDs") from None
    filters = FeatureFilters(layer=[c.layer] if c.layer else [], uid=uid)
    out = selectors.Output(srid=srid, flip=flip_axes(srid, crs_uri), flat=True, display=html)
    features, _total, returned = selectors.features_page(
        kinds=list(c.kinds), filters=filters, lang=lang, limit=1, offset=0, out=out)
    if not returned:
        raise Http404(f"no feature {fid!r} in {cid!r}")
    feature = json.loads(features)[0]
    feature["links"] = linked(request, [
        {"rel": "collection", "type": "application/json",
         "href": absolute_url(request, "ogc-collection", c.id)}], html=html, json_type=GEOJSON)
    if html:
        return html_page(request, "item", {**feature, "collection": {"id": c.id, "title": c.title}})
    response = HttpResponse(json.dumps(feature, ensure_ascii=False), content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs_uri or CRS84}>"
    return negotiated(response)


def schema_media_type(request: HttpRequest) -> str:
    """application/schema+json, unless the client asked for JSON and not it (GDAL's OAPIF
    driver asks for application/json and refuses any other type)."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "schema+json" not in accept:
        return "application/json"
    return "application/schema+json"


def _trimmed(features: bytes, keep: list[str] | None, skip_geometry: bool) -> bytes:
    """The page with only the ``properties`` asked for, and no geometries when asked
    (``skipGeometry``). Parsed again only then: the page as PostgreSQL built it is
    the usual path."""
    parsed = json.loads(features)
    for feature in parsed:
        if keep is not None:
            feature["properties"] = {k: v for k, v in feature["properties"].items()
                                     if k in keep}
        if skip_geometry:
            feature["geometry"] = None
    return json.dumps(parsed, ensure_ascii=False).encode()


def _now() -> str:
    return timezone.now().isoformat()
