"""GeoJSON endpoints. Bodies are built by PostGIS; these views only validate input."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from layers import selectors
from layers.exceptions import BadParameter
from layers.params import parse_bbox, parse_lang

GEOJSON = "application/geo+json"


def _bad_parameters_are_400(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return JsonResponse({"error": str(exc), "parameter": exc.param}, status=400)
    return wrapper


def _geojson(body: str, lang: str) -> HttpResponse:
    response = HttpResponse(body, content_type=GEOJSON)
    response["Content-Language"] = lang
    response["Vary"] = "Accept-Language"
    return response


@require_GET
@_bad_parameters_are_400
def regional_layer(request: HttpRequest) -> HttpResponse:
    """``GET /api/regional-layer/?lang=&bbox=``: every public feature of every partner."""
    lang = parse_lang(request)
    bbox = parse_bbox(request.GET.get("bbox"))
    return _geojson(selectors.regional_layer_geojson(lang=lang, bbox=bbox), lang)


@require_GET
@_bad_parameters_are_400
def partners(request: HttpRequest) -> HttpResponse:
    """``GET /api/partners/?lang=``: the partners with their boundaries."""
    lang = parse_lang(request)
    return _geojson(selectors.partners_geojson(lang=lang), lang)
