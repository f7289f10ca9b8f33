"""OGC API – Records (Part 1, Core) at /ogc/collections/metadata: the catalogue of the
layers, a record each (layers/metadata), as GeoJSON (the record's own encoding),
DCAT-AP JSON-LD (``f=jsonld`` or ``Accept: application/ld+json``) and, for one record,
ISO 19139 XML (``f=xml`` or ``Accept: application/vnd.iso.19139+xml``).

Only public layers are in the catalogue; a layer that is not public has a record for
those who see the layer (its partners' people), and is "not found" to everyone else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from geo.http import read_only
from geo.params import choice, parse_bbox, parse_lang, parse_page, refuse_unknown, single
from layers.exports.licence import credits, licence_url, licences
from layers.metadata import dcat, iso19139
from layers.metadata.links import Links
from layers.metadata.records import Record, public_records, record_of
from layers.ogc.catalogue import Collection
from layers.ogc.params import CRS84, CRS_URIS
from layers.ogc.responses import absolute_url, json_response
from layers.params import FeatureFilters

CATALOGUE = "metadata"
"""The catalogue's collection id (a layer's slug cannot take it: the catalogue answers)."""

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-core",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/record-collection",
    "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/json",
]
RECORD_CORE = "http://www.opengis.net/spec/ogcapi-records-1/1.0/req/record-core"
GEOJSON = "application/geo+json"
ITEMS_PARAMS = ("f", "lang", "q", "bbox", "limit", "offset")
DEFAULT_LIMIT, MAX_LIMIT = 50, 500


def _format(request: HttpRequest, allowed: tuple[str, ...]) -> str:
    """``f``, else what ``Accept`` asks for first among the encodings offered."""
    if single(request.GET, "f") is None:
        accept = request.headers.get("Accept", "")
        if "application/ld+json" in accept and "jsonld" in allowed:
            return "jsonld"
        if iso19139.MEDIA_TYPE in accept and "xml" in allowed:
            return "xml"
    return choice(request.GET, "f", allowed, default="json")


def _negotiated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The answer depends on ``Accept`` too: caches must keep one per encoding."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept",))
        return response
    return wrapped


def _links(request: HttpRequest) -> Links:
    return Links(request, crs=CRS_URIS)


def record_json(record: Record, links: Links, lang: str) -> dict[str, Any]:
    """A record as OGC API – Records' GeoJSON: the core properties, and the platform's
    own beside them (every language's texts, CRSs, count, frequency, lineage)."""
    geometry = None
    if record.bbox:
        w, s, e, n = record.bbox
        geometry = {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}
    contact: dict[str, Any] = {"organization": record.partner_name(lang),
                               "roles": ["pointOfContact"]}
    if record.contact_name:
        contact["name"] = record.contact_name
    if record.contact_email:
        contact["emails"] = [{"value": record.contact_email}]
    if record.partner_website:
        contact["links"] = [{"href": record.partner_website, "rel": "about",
                             "type": "text/html"}]
    downloads = links.downloads(record.slug)
    licence = licence_url(record.licence)
    out_links = [
        {"rel": "self", "type": GEOJSON, "href": links.record(record.slug)},
        {"rel": "alternate", "type": dcat.JSONLD, "title": "DCAT-AP",
         "href": links.record(record.slug, "jsonld")},
        {"rel": "alternate", "type": iso19139.MEDIA_TYPE, "title": "ISO 19139",
         "href": links.record(record.slug, "xml")},
        {"rel": "collection", "type": "application/json",
         "href": links.url("ogc-metadata")},
        {"rel": "describes", "type": "application/json", "title": "OGC API – Features",
         "href": links.collection(record.slug)},
        {"rel": "items", "type": GEOJSON, "href": links.items(record.slug)},
        {"rel": "about", "type": "text/html", "href": links.page(record.slug)},
        *({"rel": "enclosure", "type": d.media_type, "title": d.name, "href": d.url}
          for d in downloads),
    ]
    if licence:
        out_links.append({"rel": "license", "type": "text/html", "title": record.licence,
                          "href": licence})
    return {
        "id": record.slug,
        "type": "Feature",
        "conformsTo": [RECORD_CORE],
        "time": {"interval": [_iso(record.first_feature) or "..", _iso(record.updated)]}
        if record.first_feature else None,
        "geometry": geometry,
        "properties": {
            "type": "dataset",
            "title": record.title(lang),
            "description": record.abstract(lang),
            "keywords": [w for _c, w in record.all_keywords()],
            "language": {"code": lang},
            "resourceLanguages": [{"code": c} for c in record.languages],
            "created": _iso(record.created),
            "updated": _iso(record.updated),
            "contacts": [contact],
            "license": record.licence or None,
            "rights": record.source or None,
            "formats": [{"name": d.name, "mediaType": d.media_type} for d in downloads],
            "themes": [{"concepts": [{"id": record.feature_kind}],
                        "scheme": "https://regional-tourism-atlas/feature-kinds"}],
            # The platform's own (not in Records' core):
            "titles": record.titles, "descriptions": record.abstracts,
            "keywordsByLanguage": record.keywords,
            "partner": record.partner, "crs": links.crs, "storageCrs": CRS84,
            "numberOfFeatures": record.feature_count,
            "updateFrequency": record.update_frequency,
            "lineage": {"source": record.source,
                        "steps": [{"date": _iso(s.when), "file": s.file, "format": s.format,
                                   "crs": s.crs, "by": s.by, "counts": s.counts}
                                  for s in record.lineage]},
        },
        "links": out_links,
    }


def _iso(when: Any) -> str | None:
    return when.isoformat(timespec="seconds") if when else None


def describe(request: HttpRequest) -> dict[str, Any]:
    """The catalogue as a collection (in ``/ogc/collections`` and at its own address)."""
    return {
        "id": CATALOGUE, "type": "Collection", "itemType": "record",
        "title": "Metadata of the layers",
        "description": "A metadata record for each public layer of the partners: title, "
                       "abstract, keywords, licence, source and lineage, extent, reference "
                       "systems, feature count, update frequency, contact and last change "
                       "(OGC API – Records; DCAT-AP and ISO 19139 too).",
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]], "crs": CRS84}},
        "conformsTo": CONFORMANCE,
        "links": [
            {"rel": "self", "type": "application/json",
             "href": absolute_url(request, "ogc-metadata")},
            {"rel": "items", "type": GEOJSON,
             "href": absolute_url(request, "ogc-records")},
            {"rel": "alternate", "type": dcat.JSONLD, "title": "DCAT-AP catalogue",
             "href": absolute_url(request, "ogc-records", query="f=jsonld")},
        ],
    }


@read_only
def catalogue(request: HttpRequest) -> HttpResponse:
    refuse_unknown(request.GET, ("f", "lang"))
    choice(request.GET, "f", ("json",), default="json")
    return json_response(describe(request), request)


@read_only
@_negotiated
def records(request: HttpRequest) -> HttpResponse:
    """The records of the public layers: ``q`` (comma-separated terms, any of them),
    ``bbox`` (lon/lat), ``limit`` and ``offset``."""
    refuse_unknown(request.GET, ITEMS_PARAMS)
    fmt = _format(request, ("json", "jsonld"))
    lang = parse_lang(request.GET)
    raw_q = single(request.GET, "q")
    terms = [t.strip() for t in (raw_q or "").split(",") if t.strip()] or None
    bbox = parse_bbox(single(request.GET, "bbox"))
    limit, offset = parse_page(request.GET, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    found, total = public_records(q=terms, bbox=bbox, limit=limit, offset=offset)
    links = _links(request)
    if fmt == "jsonld":
        return json_response(dcat.catalogue_document(found, links,
                                                     url=request.build_absolute_uri()),
                             request, content_type=dcat.JSONLD)
    query = request.GET.copy()
    page_links = [{"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()},
                  {"rel": "collection", "type": "application/json",
                   "href": absolute_url(request, "ogc-metadata")}]
    if offset + len(found) < total:
        query["offset"] = str(offset + limit)
        page_links.append({"rel": "next", "type": GEOJSON, "href": absolute_url(
            request, "ogc-records", query=query.urlencode())})
    if offset > 0:
        query["offset"] = str(max(0, offset - limit))
        page_links.append({"rel": "prev", "type": GEOJSON, "href": absolute_url(
            request, "ogc-records", query=query.urlencode())})
    return json_response({
        "type": "FeatureCollection",
        "features": [record_json(r, links, lang) for r in found],
        "numberMatched": total, "numberReturned": len(found),
        "timeStamp": timezone.now().isoformat(timespec="seconds"), "links": page_links,
    }, request, content_type=GEOJSON)


@read_only
@_negotiated
def record(request: HttpRequest, slug: str) -> HttpResponse:
    refuse_unknown(request.GET, ("f", "lang"))
    fmt = _format(request, ("json", "jsonld", "xml"))
    lang = parse_lang(request.GET)
    found = record_of(slug, request.user)
    if found is None:
        raise Http404(f"no record {slug!r}")
    links = _links(request)
    if fmt == "jsonld":
        return json_response(dcat.dataset_document(found, links), request,
                             content_type=dcat.JSONLD)
    if fmt == "xml":
        return HttpResponse(iso19139.document(found, links),
                            content_type=f"{iso19139.MEDIA_TYPE}; charset=utf-8")
    return json_response(record_json(found, links, lang), request, content_type=GEOJSON)


def collection_links(request: HttpRequest, c: Collection) -> list[dict[str, str]]:
    """What a features collection links to in the catalogue: its layer's record
    (``describedby``) and its licences (``license``, one per licence of its layers)."""
    out = []
    if c.layer:
        out.append({"rel": "describedby", "type": GEOJSON, "title": "Metadata record",
                    "href": absolute_url(request, "ogc-record", c.layer)})
    filters = FeatureFilters(layer=[c.layer] if c.layer else [])
    for licence in licences(credits(list(c.kinds), filters)):
        url = licence_url(licence)
        if url:
            out.append({"rel": "license", "type": "text/html", "title": licence, "href": url})
    return out


def openapi_paths(lang: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's operations for the OGC API's OpenAPI document (``lang``: its
    parameter), with the document's own schemas and error answers."""
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    def query(name: str, schema: dict[str, Any], description: str,
              **extra: Any) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "description": description,
                "schema": schema, **extra}

    def get(operation_id: str, summary: str, parameters: list[dict[str, Any]],
            content: dict[str, Any], description: str, *, not_found: bool) -> dict[str, Any]:
        responses: dict[str, Any] = {
            "200": {"description": description, "content": content},
            "400": {"$ref": "#/components/responses/InvalidParameter"},
            "429": {"$ref": "#/components/responses/TooManyRequests"}}
        if not_found:
            responses["404"] = {"$ref": "#/components/responses/NotFound"}
        return {"get": {"operationId": operation_id, "summary": summary,
                        "parameters": parameters, "responses": responses}}

    jsonld = {dcat.JSONLD: {"schema": {"type": "object"}}}
    return {
        f"/collections/{CATALOGUE}": get(
            "describeCatalogue", "The catalogue of the layers' metadata (OGC API – Records)",
            [query("f", {"type": "string", "enum": ["json"]}, "The format: JSON."), lang],
            {"application/json": {"schema": ref("collection")}}, "The catalogue",
            not_found=False),
        f"/collections/{CATALOGUE}/items": get(
            "getRecords", "A page of the layers' metadata records", [
                query("q", {"type": "string"}, "Terms, comma-separated: records whose "
                      "title, abstract or keywords hold any of them, in any language."),
                query("bbox", {"type": "array", "minItems": 4, "maxItems": 4,
                               "items": {"type": "number"}},
                      "minlon,minlat,maxlon,maxlat: records whose extent meets it.",
                      style="form", explode=False),
                query("limit", {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
                      f"Records per page; above {MAX_LIMIT}, {MAX_LIMIT}."),
                query("offset", {"type": "integer", "minimum": 0, "default": 0},
                      "Records to skip (the next links carry it)."),
                query("f", {"type": "string", "enum": ["json", "jsonld"]},
                      "GeoJSON records, or the page as a DCAT-AP catalogue (JSON-LD)."),
                lang],
            {GEOJSON: {"schema": ref("featureCollectionGeoJSON")}, **jsonld},
            "A page of records", not_found=False),
        f"/collections/{CATALOGUE}/items/{{recordId}}": get(
            "getRecord", "A layer's metadata record", [
                {"name": "recordId", "in": "path", "required": True,
                 "description": "The layer's slug", "schema": {"type": "string"}},
                query("f", {"type": "string", "enum": ["json", "jsonld", "xml"]},
                      "GeoJSON (OGC API – Records), DCAT-AP JSON-LD or ISO 19139 XML."),
                lang],
            {GEOJSON: {"schema": ref("featureGeoJSON")}, **jsonld,
             iso19139.MEDIA_TYPE: {"schema": {"type": "string"}}},
            "The record", not_found=True),
    }
