"""``/api/services/``: the published listings as GeoJSON, with the regional API's
parameters and errors (layers/api.py), plus ``type`` and ``open_on``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from actors.selectors import open_on_uids
from actors.vocabulary import ListingType
from geo import geojson
from geo.errors import BadParameter
from geo.params import parse_lang, refuse_unknown, single
from layers import selectors
from layers.api import FILTERS, LANG, FeatureList
from layers.params import FeatureFilters, parse_filters

TYPE = OpenApiParameter("type", str, enum=ListingType.values,
                        description="listing types, comma-separated")
OPEN_ON = OpenApiParameter("open_on", OpenApiTypes.DATE,
                           description="YYYY-MM-DD: only the listings open on that day (their "
                                       "opening hours with the country's public holidays, "
                                       "their season and an event's dates)")


def parse_open_on(value: str | None) -> list[str] | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadParameter("open_on", "expected a date, YYYY-MM-DD") from None
    return open_on_uids(day)


@extend_schema(parameters=[*FILTERS, TYPE, OPEN_ON],
               responses={(200, geojson.GEOJSON): OpenApiTypes.OBJECT},
               summary="Published listings: accommodation, food and drink, guides, "
                       "experiences, local products, rentals, information centres, events")
class Services(FeatureList):
    kinds = ["service"]
    params = FeatureList.params | {"type", "open_on"}

    def filters(self, request: Request) -> FeatureFilters:
        filters = parse_filters(request.GET)
        filters.uids = parse_open_on(single(request.GET, "open_on"))
        return filters


class ServiceDetail(APIView):
    @extend_schema(parameters=[LANG], responses={(200, geojson.GEOJSON): OpenApiTypes.OBJECT},
                   summary="One published listing")
    def get(self, request: Request, uid: UUID) -> HttpResponse:
        refuse_unknown(request.GET, {"lang"})
        lang = parse_lang(request.GET)
        features, _total, returned = selectors.features_page(
            kinds=["service"], filters=FeatureFilters(uid=str(uid)), lang=lang, limit=1,
            offset=0)
        if not returned:
            raise Http404
        # The page's array holds the one feature: its text, without the brackets.
        return geojson.response(features[1:-1], lang=lang)
