"""The GeoJSON API. Bodies are built by PostGIS; these views validate input and page.

Every list is an RFC 7946 FeatureCollection with foreign members: ``numberMatched``,
``numberReturned``, ``links`` (next/prev) and ``next``/``prev`` URLs.
"""

from __future__ import annotations

from uuid import UUID

from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo import geojson
from geo.clock import now
from geo.errors import BadParameter
from geo.geojson import GEOJSON, page_link
from geo.params import parse_lang, parse_page, refuse_unknown, single
from geo.schedule import hours_answer
from layers import registry, selectors, services
from layers.exports import FORMATS, check_crs, stored_export
from layers.hours import attraction_schedule, attraction_seen, hours_day, hours_response
from layers.models import Layer
from layers.ogc.filter import CQL_PARAMS, parse_filter
from layers.ogc.params import CRS_URIS, SUPPORTED_SRIDS, export_srid, sort_keys_of
from layers.params import (
    DEFAULT_LIMIT,
    EXPORT_PARAMS,
    LIST_PARAMS,
    MAX_LIMIT,
    MAX_RADIUS_M,
    FeatureFilters,
    parse_filters,
    parse_kinds,
)
from layers.permissions import unpublished_layer_ids
from layers.vocabulary import LayerKind, Visibility

LANG = OpenApiParameter("lang", str, enum=["bg", "el", "fr", "en"],
                        description="Language of name and description (else Accept-Language, "
                                    "else English), with a fallback chain.")
FILTERS = [
    LANG,
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat (WGS 84)"),
    OpenApiParameter("near", str, description="lon,lat: features within `radius`, nearest "
                                              "first, with distance_m"),
    OpenApiParameter("radius", {"type": "number", "minimum": 1, "maximum": MAX_RADIUS_M},
                     description="metres, with near (default 5000)"),
    OpenApiParameter("partner", str, description="partner slug(s), comma-separated"),
    OpenApiParameter("layer", str, description="layer slug(s), comma-separated"),
    OpenApiParameter("updated_since", OpenApiTypes.DATETIME),
    OpenApiParameter("q", str, description="text in any language or script: Latin finds "
                                           "Cyrillic and Greek and back; a word of four "
                                           "letters or more no feature has is matched "
                                           "closely (typos, other transliterations), after "
                                           "the exact matches; category words in four "
                                           "languages find their family (castle: forts); "
                                           "a partner's name narrows to its territory"),
    OpenApiParameter("limit", {"type": "integer", "minimum": 1},
                     description=f"page size (default 100); above {MAX_LIMIT}, {MAX_LIMIT}"),
    OpenApiParameter("offset", {"type": "integer", "minimum": 0}),
    OpenApiParameter("sortby", str, description="properties to sort by, comma-separated, "
                                                "each - for descending (name, updated_at, "
                                                "length_m …); missing values last"),
]
CQL = [
    OpenApiParameter("filter", str, description="a CQL2 filter, as the OGC items take it "
                                                "(the queryables: /ogc/collections/{id}/"
                                                "queryables), e.g. length_m > 10000"),
    OpenApiParameter("filter-lang", str, enum=["cql2-text", "cql2-json"],
                     description="the filter's language (default cql2-text)"),
    OpenApiParameter("filter-crs", str, description="the CRS of the filter's geometry "
                                                    "literals, a URI (default CRS84)"),
]
CATEGORY = OpenApiParameter("category", str, description="attraction categories, "
                                                         "comma-separated")
ACTIVITY = OpenApiParameter("activity", str, description="trail activities, comma-separated")
DIFFICULTY = OpenApiParameter("difficulty", str, description="trail difficulties")
ON = OpenApiParameter("on", OpenApiTypes.DATE,
                      description="YYYY-MM-DD (1900 to 2999): also say whether it is "
                                  "open that day, with that day's hours")


class FeatureList(APIView):
    kinds: list[str] = []
    params: frozenset[str] = LIST_PARAMS | {"sortby"} | CQL_PARAMS

    def chosen_kinds(self, request: Request) -> list[str]:
        return self.kinds

    def filters(self, request: Request) -> FeatureFilters:
        """The request's filters (a kind's own endpoint may add to them); a layer not yet
        public is there for its partner's people, who review it on its page."""
        return parse_filters(request.GET, reader=request.user)

    def get(self, request: Request) -> HttpResponse:
        # A higher app's kind may declare filters of its own (registry.ChoiceFilter).
        refuse_unknown(request.GET, self.params | set(registry.choice_filters()))
        lang = parse_lang(request.GET)
        filters = self.filters(request)
        limit, offset = parse_page(request.GET, default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
        kinds = self.chosen_kinds(request)
        filters.cql, filters.cql_kinds = parse_filter(request.GET, kinds), tuple(kinds)
        features, total, returned = selectors.features_page(
            kinds=kinds, filters=filters, lang=lang, limit=limit,
            offset=offset, out=selectors.DISPLAY, sort=sort_keys_of(request.GET, kinds))
        nxt = page_link(request, offset + limit, limit) if offset + returned < total else None
        prev = page_link(request, max(0, offset - limit), limit) if offset > 0 else None
        links = [{"rel": "self", "type": GEOJSON, "href": request.build_absolute_uri()}]
        links += [{"rel": rel, "type": GEOJSON, "href": href}
                  for rel, href in (("next", nxt), ("prev", prev)) if href]
        return geojson.response(geojson.collection(
            features, numberMatched=total, numberReturned=returned, next=nxt, prev=prev,
            links=links), lang=lang)


KIND = OpenApiParameter("kind", str, description="attraction, trail, route …: the kinds "
                                                 "wanted, comma-separated (all when absent)")


@extend_schema(parameters=[*FILTERS, *CQL, KIND, CATEGORY, ACTIVITY, DIFFICULTY],
               responses={(200, GEOJSON): OpenApiTypes.OBJECT},
               summary="Every public feature of every partner: attractions, trails and "
                       "published pilot routes")
class RegionalLayer(FeatureList):
    """Every kind of the registry (layers/registry.py)."""

    params = LIST_PARAMS | {"kind", "sortby"} | CQL_PARAMS

    def chosen_kinds(self, request: Request) -> list[str]:
        # The explorer counts a dense area for the kinds its layer panel shows.
        return parse_kinds(request.GET, registry.names())


@extend_schema(parameters=[*FILTERS, *CQL, CATEGORY],
               responses={(200, GEOJSON): OpenApiTypes.OBJECT}, summary="Public attractions")
class Attractions(FeatureList):
    kinds = ["attraction"]


@extend_schema(parameters=[*FILTERS, *CQL, ACTIVITY, DIFFICULTY],
               responses={(200, GEOJSON): OpenApiTypes.OBJECT}, summary="Public trails")
class Trails(FeatureList):
    kinds = ["trail"]


class FeatureDetail(APIView):
    kind = ""

    @extend_schema(parameters=[LANG], responses={(200, GEOJSON): OpenApiTypes.OBJECT})
    def get(self, request: Request, uid: UUID) -> HttpResponse:
        refuse_unknown(request.GET, {"lang"})
        lang = parse_lang(request.GET)
        body = selectors.feature_detail(kind=self.kind, uid=str(uid), lang=lang,
                                        unpublished_layers=unpublished_layer_ids(request.user))
        if body is None:
            raise Http404
        return geojson.response(body, lang=lang)


class AttractionDetail(FeatureDetail):
    kind = "attraction"


class TrailDetail(FeatureDetail):
    kind = "trail"


class AttractionHours(APIView):
    @extend_schema(parameters=[LANG, ON], responses={200: OpenApiTypes.OBJECT},
                   summary="Whether an attraction is open now, when that changes, and its "
                           "hours this week, in the reader's language")
    def get(self, request: Request, uid: UUID) -> Response:
        on = hours_day(request.GET)
        attraction = attraction_seen(str(uid), request.user)
        if attraction is None:
            raise Http404
        return hours_response(hours_answer(attraction_schedule(attraction), now(), on))


class Layers(APIView):
    @extend_schema(parameters=[LANG],
                   responses={200: {"type": "array", "items": {"type": "object"}}},
                   summary="Public layers with feature count and extent",
                   description="`reference` is true for a layer of areas (a partner's "
                               "municipalities or communes, marked as sub-areas for the "
                               "coverage analysis): its features are left out of the "
                               "attractions and the regional layer unless `layer=` names it.")
    def get(self, request: Request) -> Response:
        refuse_unknown(request.GET, {"lang"})
        lang = parse_lang(request.GET)
        return Response(selectors.layers_list(lang=lang))


class Partners(APIView):
    @extend_schema(parameters=[LANG], responses={(200, GEOJSON): OpenApiTypes.OBJECT},
                   summary="The partners with their boundaries",
                   description="Each partner's `colour` (`#rrggbb`) is the one the "
                               "platform's maps draw its boundary and swatch in.")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, {"lang"})
        lang = parse_lang(request.GET)
        return geojson.response(selectors.partners_geojson(lang=lang), lang=lang)


def _export_response(request: Request, *, kinds: list[str], filters: FeatureFilters, stem: str,
                     with_partner: bool) -> HttpResponseBase:
    fmt = single(request.GET, "format") or "geojson"
    if fmt not in FORMATS:
        raise BadParameter("format", f"unknown format {fmt!r}; use one of "
                           + ", ".join(FORMATS))
    srid = export_srid(request.GET)
    check_crs(fmt, srid)
    # Made once per version of the data, sent from its file (Trust D8).
    kept, content_type, filename = stored_export(kinds=kinds, filters=filters, fmt=fmt,
                                                 stem=stem, with_partner=with_partner,
                                                 lang=parse_lang(request.GET), srid=srid)
    return FileResponse(kept, content_type=content_type, as_attachment=True,
                        filename=filename)


EXPORT_FORMAT = OpenApiParameter("format", str, enum=list(FORMATS))
EXPORT_CRS = OpenApiParameter(
    "crs", str, enum=[*(f"EPSG:{s}" for s in SUPPORTED_SRIDS), *CRS_URIS],
    description="The CRS of the file's coordinates (default WGS 84), one of those the OGC "
                "API serves: EPSG:n, its OGC URI or its URN (urn:ogc:def:crs:EPSG::n). "
                "x is the easting or longitude. GeoJSON in another CRS than WGS 84 names "
                "it in a `crs` member (GeoJSON 2008, as GDAL writes and reads it); GPX and "
                "KML are WGS 84 by definition (another CRS: 400).")
EXPORT_RESPONSES = {(200, content_type.split(";")[0]):
                    OpenApiTypes.OBJECT if fmt == "geojson" else OpenApiTypes.BINARY
                    for fmt, (content_type, _ext) in FORMATS.items()}
"""Each format's media type (without the CSV's charset parameter); GeoJSON is JSON."""


class LayerExport(APIView):
    throttle_scope = "exports"  # settings.ATLAS_THROTTLE_RATES

    @extend_schema(parameters=[EXPORT_FORMAT, EXPORT_CRS, LANG, *FILTERS[1:8], *CQL, CATEGORY,
                               ACTIVITY, DIFFICULTY],
                   responses=EXPORT_RESPONSES,
                   summary="Download a public layer as GeoJSON, GPX, KML, Shapefile, "
                           "GeoPackage, CSV, FlatGeobuf or GeoParquet")
    def get(self, request: Request, slug: str) -> HttpResponseBase:
        layer = Layer.objects.filter(slug=slug, visibility=Visibility.PUBLIC).first()
        if layer is None:
            raise Http404
        refuse_unknown(request.GET, EXPORT_PARAMS | CQL_PARAMS)
        filters = parse_filters(request.GET)
        filters.layer = [slug]
        kind = "attraction" if layer.kind == LayerKind.ATTRACTIONS else "trail"
        filters.cql, filters.cql_kinds = parse_filter(request.GET, [kind]), (kind,)
        return _export_response(request, kinds=[kind], filters=filters, stem=slug,
                                with_partner=False)


class RegionalLayerExport(APIView):
    throttle_scope = "exports"  # settings.ATLAS_THROTTLE_RATES

    @extend_schema(parameters=[EXPORT_FORMAT, EXPORT_CRS, LANG, *FILTERS[1:8], *CQL, KIND,
                               CATEGORY,
                               ACTIVITY, DIFFICULTY],
                   responses=EXPORT_RESPONSES,
                   summary="Download the regional layer: the features the regional layer "
                           "lists for the same filters",
                   description="FlatGeobuf of several kinds is a zip of a .fgb file per "
                               "kind (application/zip): a FlatGeobuf file holds one "
                               "geometry type, 3-D or not as a whole.")
    def get(self, request: Request) -> HttpResponseBase:
        # The same parsing as the list's, so that a download holds what the map showed.
        refuse_unknown(request.GET, EXPORT_PARAMS | CQL_PARAMS | {"kind"}
                       | set(registry.choice_filters()))
        filters = parse_filters(request.GET)
        kinds = parse_kinds(request.GET, registry.names())
        filters.cql, filters.cql_kinds = parse_filter(request.GET, kinds), tuple(kinds)
        return _export_response(request, kinds=kinds, filters=filters,
                                stem="regional-layer", with_partner=True)


class LayerPublication(APIView):
    """A layer's publication: POST publishes it, DELETE takes it back to partners only.
    Its partner's moderators do it (layers.services.layer_publish)."""

    def _layer(self, request: Request, slug: str) -> Layer:
        layer = Layer.objects.select_related("partner").filter(slug=slug).first()
        if layer is None or (layer.visibility != Visibility.PUBLIC
                             and not services.may_publish(layer=layer, user=request.user)):
            # An unpublished layer is not everyone's to know of.
            raise Http404
        return layer

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT},
                   summary="Publish a layer: its partner's moderators, once it has a title, "
                           "a description, a licence and a source (400 names what is "
                           "missing)")
    def post(self, request: Request, slug: str) -> Response:
        layer = services.layer_publish(layer=self._layer(request, slug), user=request.user)
        return Response({"layer": layer.slug, "visibility": layer.visibility})

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT},
                   summary="Unpublish a layer: visible to partners only again")
    def delete(self, request: Request, slug: str) -> Response:
        layer = services.layer_unpublish(layer=self._layer(request, slug), user=request.user)
        return Response({"layer": layer.slug, "visibility": layer.visibility})
