"""OGC API – Features at /ogc/: Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS).

Collections: one per public layer (its slug), one per kind (``all-attractions``,
``all-trails``) and the regional layer. Items are built by PostGIS like the REST
API's, with flat properties (one attribute a column, as GDAL and QGIS expect).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_GET
from pyproj import CRS

from geo.crs import BGS2005_CCS, GREEK_GRID, LAEA_EUROPE, LAMBERT_93, WEB_MERCATOR, WGS84
from layers import selectors
from layers.exceptions import BadParameter
from layers.models import Layer
from layers.params import (
    FeatureFilters,
    parse_bbox,
    parse_lang,
    parse_when,
    partner_slugs,
    public_layer_slugs,
    single,
)
from layers.vocabulary import Activity, Category, Difficulty, LayerKind, Visibility

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"
SUPPORTED_SRIDS = (WGS84, WEB_MERCATOR, LAEA_EUROPE, GREEK_GRID, LAMBERT_93, BGS2005_CCS)
CRS_URIS = [CRS84, *(EPSG.format(s) for s in SUPPORTED_SRIDS)]
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
GEOJSON = "application/geo+json"
PROPERTY_FILTERS = ("partner", "layer", "category", "activity", "difficulty")


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    kinds: tuple[str, ...]
    layer: str | None = None


FIXED = {c.id: c for c in (
    Collection("regional-layer", "Regional layer",
               "Every public attraction and trail of the four partners, and the published "
               "pilot routes", ("attraction", "trail", "route")),
    Collection("all-attractions", "All attractions", "The public attractions of every partner",
               ("attraction",)),
    Collection("all-trails", "All trails", "The public trails of every partner", ("trail",)),
    Collection("all-routes", "Pilot routes", "The published pilot routes of every partner",
               ("route",)),
)}


def _collections(lang: str) -> list[Collection]:
    out = list(FIXED.values())
    for layer in Layer.objects.filter(visibility=Visibility.PUBLIC).order_by(
            "partner__slug", "slug"):
        out.append(_layer_collection(layer, lang))
    return out


def _layer_collection(layer: Layer, lang: str) -> Collection:
    kind = "attraction" if layer.kind == LayerKind.ATTRACTIONS else "trail"
    with translation.override(lang):
        return Collection(layer.slug, layer.title or layer.slug, layer.description or "",
                          (kind,), layer=layer.slug)


def _collection(cid: str, lang: str) -> Collection:
    """One collection, found without counting anything (tiles ask on every request)."""
    if cid in FIXED:
        return FIXED[cid]
    layer = Layer.objects.filter(slug=cid, visibility=Visibility.PUBLIC).first()
    if layer is None:
        raise Http404(f"no collection {cid!r}")
    return _layer_collection(layer, lang)


def _url(request: HttpRequest, name: str, *args, query: str = "") -> str:
    return request.build_absolute_uri(reverse(name, args=args)) + (f"?{query}" if query else "")


def _json(data, request: HttpRequest, status: int = 200, content_type="application/json"):
    return HttpResponse(json.dumps(data, ensure_ascii=False, default=str), status=status,
                        content_type=content_type)


def _bad(exc: BadParameter) -> JsonResponse:
    return JsonResponse({"code": "InvalidParameterValue", "description": str(exc)}, status=400)


def _not_found(exc: Http404) -> JsonResponse:
    return JsonResponse({"code": "NotFound", "description": str(exc) or "not found"},
                        status=404)


def ogc_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A bad parameter or a missing collection or item as an OGC exception (JSON with
    ``code`` and ``description``), not Django's HTML page: OGC API clients read the JSON."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return _bad(exc)
        except Http404 as exc:
            return _not_found(exc)
    return wrapped


def _srid(uri: str | None, param: str) -> int:
    if not uri or uri == CRS84:
        return WGS84
    if uri in CRS_URIS:
        return int(uri.rsplit("/", 1)[1])
    raise BadParameter(param, f"unsupported CRS {uri!r}; use one of {', '.join(CRS_URIS)}")


def _flip(srid: int, uri: str | None) -> bool:
    """Whether coordinates must be swapped into the CRS's own axis order.

    CRS84 is lon/lat; an EPSG URI means the EPSG axis order (lat/lon for 4326,
    northing/easting for some projected CRSs), as OGC API – Features Part 2 asks.
    """
    if not uri or uri == CRS84:
        return False
    return CRS.from_epsg(srid).axis_info[0].direction.lower() == "north"


@require_GET
@ogc_errors
def landing(request: HttpRequest) -> HttpResponse:
    return _json({
        "title": "Regional Tourism Atlas",
        "description": "Tourist attractions and trails of Stara Zagora, Sliven, Larissa and "
                       "the Drôme, as OGC API – Features.",
        "links": [
            {"rel": "self", "type": "application/json", "href": _url(request, "ogc-landing")},
            {"rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0",
             "href": _url(request, "ogc-openapi")},
            {"rel": "service-doc", "type": "text/html", "href": _url(request, "api-docs")},
            {"rel": "conformance", "type": "application/json",
             "href": _url(request, "ogc-conformance")},
            {"rel": "data", "type": "application/json", "href": _url(request, "ogc-collections")},
        ],
    }, request)


@require_GET
@ogc_errors
def conformance(request: HttpRequest) -> HttpResponse:
    return _json({"conformsTo": CONFORMANCE}, request)


def _describe(request: HttpRequest, c: Collection, lang: str) -> dict:
    _features, total, _n = selectors.features_page(
        kinds=list(c.kinds), filters=FeatureFilters(layer=[c.layer] if c.layer else []),
        lang=lang, limit=1, offset=0)
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
             "href": _url(request, "ogc-collection", c.id)},
            {"rel": "items", "type": GEOJSON, "href": _url(request, "ogc-items", c.id)},
            # GDAL and QGIS take the layer's fields from here, not from the first page.
            {"rel": "describedby", "type": "application/schema+json",
             "href": _url(request, "ogc-schema", c.id)},
        ],
    }


COMMON_FIELDS = {"kind": "string", "partner": "string", "layer": "string", "name": "string",
                 "description": "string", "name_bg": "string", "name_el": "string",
                 "name_fr": "string", "name_en": "string"}
KIND_FIELDS = {
    "attraction": {"category": "string"},
    "trail": {"activity": "string", "difficulty": "string", "length_m": "number",
              "ascent_m": "number", "descent_m": "number", "duration_min": "integer",
              "is_loop": "boolean"},
    "route": {"slug": "string", "themes": "array", "transport_modes": "array",
              "difficulty": "string", "length_m": "number", "ascent_m": "number",
              "duration_min": "integer", "duration_days": "integer", "url": "string"},
}


@require_GET
@ogc_errors
def schema(request: HttpRequest, cid: str) -> HttpResponse:
    """JSON Schema of a collection's features: every property, whatever the first page has."""
    c = _collection(cid, parse_lang(request))
    fields = dict(COMMON_FIELDS)
    for kind in c.kinds:
        fields.update(KIND_FIELDS[kind])
    props = {name: {"type": t, "items": {"type": "string"}} if t == "array" else {"type": t}
             for name, t in fields.items()}
    props["updated_at"] = {"type": "string", "format": "date-time"}
    return _json({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": _url(request, "ogc-schema", c.id), "title": c.title, "type": "object",
        "properties": props,
    }, request, content_type="application/schema+json")


@require_GET
@ogc_errors
def collections(request: HttpRequest) -> HttpResponse:
    lang = parse_lang(request)
    return _json({
        "links": [{"rel": "self", "type": "application/json",
                   "href": _url(request, "ogc-collections")}],
        "crs": CRS_URIS,
        "collections": [_describe(request, c, lang) for c in _collections(lang)],
    }, request)


@require_GET
@ogc_errors
def collection(request: HttpRequest, cid: str) -> HttpResponse:
    lang = parse_lang(request)
    return _json(_describe(request, _collection(cid, lang), lang), request)


def _datetime(raw: str | None) -> tuple:
    if not raw:
        return None, None
    parts = raw.split("/")
    if len(parts) > 2:
        raise BadParameter("datetime", "an instant or an interval start/end")

    def one(text: str):
        if text in ("", ".."):
            return None
        return parse_when(text, "datetime")

    if len(parts) == 1:
        value = one(parts[0])
        return value, value
    return one(parts[0]), one(parts[1])


def _items_filters(request: HttpRequest, c: Collection) -> FeatureFilters | None:
    """The filters of an items request; None when they rule out the whole collection
    (``layer=`` naming other layers than a layer collection's own)."""
    f = FeatureFilters()
    bbox_uri = single(request, "bbox-crs")
    bbox_srid = _srid(bbox_uri, "bbox-crs")
    flipped = _flip(bbox_srid, bbox_uri)
    bbox = parse_bbox(single(request, "bbox"), geographic=bbox_srid == WGS84, heights=True)
    if bbox and (bbox_srid != WGS84 or flipped):
        # The min/max pairs of a flipped CRS stay minimum/maximum after the swap.
        bbox = selectors.bbox_to_wgs84(bbox, bbox_srid, flipped)
    f.bbox = bbox
    f.updated_since, f.updated_before = _datetime(single(request, "datetime"))
    allowed = {"category": {c.value for c in Category}, "activity": {a.value for a in Activity},
               "difficulty": {d.value for d in Difficulty}}
    for name in PROPERTY_FILTERS:
        raw = single(request, name)
        if raw:
            values = [v for v in raw.split(",") if v]
            if name == "partner":
                allowed[name] = partner_slugs()
            elif name == "layer":
                allowed[name] = public_layer_slugs()
            bad = [v for v in values if v not in allowed[name]]
            if bad:
                raise BadParameter(name, f"unknown value(s) {', '.join(map(repr, bad))}")
            setattr(f, name, values)
    if c.layer:
        if f.layer and c.layer not in f.layer:
            return None
        f.layer = [c.layer]
    return f


def _page(request: HttpRequest) -> tuple[int, int]:
    def number(name, default, high):
        raw = single(request, name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadParameter(name, f"{raw!r} is not a whole number") from None
        if not 0 <= value <= high or (name == "limit" and value == 0):
            raise BadParameter(name, f"{value} is out of range")
        return value

    return number("limit", DEFAULT_LIMIT, MAX_LIMIT), number("offset", 0, 10**9)


@require_GET
@ogc_errors
def items(request: HttpRequest, cid: str) -> HttpResponse:
    lang = parse_lang(request)
    c = _collection(cid, lang)
    crs_uri = single(request, "crs")
    srid = _srid(crs_uri, "crs")
    filters = _items_filters(request, c)
    limit, offset = _page(request)
    out = selectors.Output(srid=srid, flip=_flip(srid, crs_uri), flat=True)
    if filters is None:
        features, total, returned = b"[]", 0, 0
    else:
        features, total, returned = selectors.features_page(
            kinds=list(c.kinds), filters=filters, lang=lang, limit=limit, offset=offset,
            out=out)
    query = request.GET.copy()
    links = [{"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()},
             {"rel": "collection", "type": "application/json",
              "href": _url(request, "ogc-collection", c.id)}]
    if offset + returned < total:
        query["offset"] = str(offset + limit)
        links.append({"rel": "next", "type": GEOJSON,
                      "href": _url(request, "ogc-items", c.id, query=query.urlencode())})
    if offset > 0:
        query["offset"] = str(max(0, offset - limit))
        links.append({"rel": "prev", "type": GEOJSON,
                      "href": _url(request, "ogc-items", c.id, query=query.urlencode())})
    head = json.dumps({"type": "FeatureCollection", "numberMatched": total,
                       "numberReturned": returned, "links": links,
                       "timeStamp": _now()})
    response = HttpResponse(b"".join((head[:-1].encode(), b', "features": ', features, b"}")),
                            content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs_uri or CRS84}>"
    return response


@require_GET
@ogc_errors
def item(request: HttpRequest, cid: str, fid: str) -> HttpResponse:
    lang = parse_lang(request)
    c = _collection(cid, lang)
    crs_uri = single(request, "crs")
    srid = _srid(crs_uri, "crs")
    try:
        uid = str(uuid.UUID(fid))
    except ValueError:
        raise Http404(f"no feature {fid!r} in {cid!r}: feature ids are UUIDs") from None
    filters = FeatureFilters(layer=[c.layer] if c.layer else [], uid=uid)
    out = selectors.Output(srid=srid, flip=_flip(srid, crs_uri), flat=True)
    features, _total, returned = selectors.features_page(
        kinds=list(c.kinds), filters=filters, lang=lang, limit=1, offset=0, out=out)
    if not returned:
        raise Http404(f"no feature {fid!r} in {cid!r}")
    feature = json.loads(features)[0]
    feature["links"] = [
        {"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()},
        {"rel": "collection", "type": "application/json",
         "href": _url(request, "ogc-collection", c.id)}]
    response = HttpResponse(json.dumps(feature, ensure_ascii=False), content_type=GEOJSON)
    response["Content-Crs"] = f"<{crs_uri or CRS84}>"
    return response


def _now() -> str:
    return timezone.now().isoformat()


@require_GET
@ogc_errors
def openapi(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 description of this OGC API."""
    param = {
        "bbox": {"name": "bbox", "in": "query", "schema": {
                 "type": "array", "minItems": 4, "maxItems": 6,
                 "items": {"type": "number"}}, "style": "form",
                 "explode": False},
        "limit": {"name": "limit", "in": "query", "schema": {
            "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "offset": {"name": "offset", "in": "query", "schema": {"type": "integer",
                                                                "minimum": 0}},
        "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
        "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "enum": CRS_URIS}},
        "bbox-crs": {"name": "bbox-crs", "in": "query",
                     "schema": {"type": "string", "enum": CRS_URIS}},
        "collectionId": {"name": "collectionId", "in": "path", "required": True,
                         "schema": {"type": "string"}},
        "featureId": {"name": "featureId", "in": "path", "required": True,
                      "schema": {"type": "string"}},
    }
    ok = {"200": {"description": "OK"}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Regional Tourism Atlas – OGC API Features", "version": "1.0"},
        "servers": [{"url": _url(request, "ogc-landing").rstrip("/")}],
        "paths": {
            "/": {"get": {"operationId": "getLandingPage", "responses": ok}},
            "/conformance": {"get": {"operationId": "getConformance", "responses": ok}},
            "/collections": {"get": {"operationId": "getCollections", "responses": ok}},
            "/collections/{collectionId}": {"get": {
                "operationId": "describeCollection", "parameters": [param["collectionId"]],
                "responses": ok}},
            "/collections/{collectionId}/items": {"get": {
                "operationId": "getFeatures",
                "parameters": [param[k] for k in ("collectionId", "bbox", "bbox-crs", "limit",
                                                  "offset", "datetime", "crs")]
                + [{"name": n, "in": "query", "schema": {"type": "string"}}
                   for n in PROPERTY_FILTERS],
                "responses": ok}},
            "/collections/{collectionId}/items/{featureId}": {"get": {
                "operationId": "getFeature",
                "parameters": [param["collectionId"], param["featureId"], param["crs"]],
                "responses": ok}},
        },
    }
    return _json(doc, request, content_type="application/vnd.oai.openapi+json;version=3.0")

