"""The coverage API: statistics as JSON or CSV, analysed areas and gaps as GeoJSON.

Every endpoint takes the same question: ``partner``, ``radius_km``, ``categories``,
``kinds`` (and ``lang`` for names). A bad parameter is a 400 naming it. The indicators
over time (entered values, measured snapshots) are ``planner.indicator_api``'s.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo import geojson
from geo.geojson import GEOJSON
from geo.params import choice, flag, parse_lang
from layers.api import LANG
from layers.vocabulary import Category
from planner import links, selectors
from planner.params import (
    DEFAULT_RADIUS_KM,
    KINDS,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    TABLES,
    CoverageQuery,
    parse_query,
    parse_table,
)
from planner.selectors import AreaStats, Coverage

QUESTION = [
    LANG,
    OpenApiParameter("partner", str, description="partner slug(s), comma-separated "
                                                 "(default: every partner)"),
    OpenApiParameter("radius_km", float, description=f"how far a visitor goes from something "
                     f"to do, in km ({MIN_RADIUS_KM:g} to {MAX_RADIUS_KM:g}, default "
                     f"{DEFAULT_RADIUS_KM:g})"),
    OpenApiParameter("categories", str, description="attraction categories that count, "
                                                    "comma-separated (default: all)"),
    OpenApiParameter("kinds", str, description="what covers: " + ", ".join(KINDS)
                     + " (trailheads of trails, published routes), comma-separated "
                       "(default: all three)"),
]


def round_to(value: float, digits: int) -> float:
    return round(value, digits) if value else 0.0


class AreaSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["partner", "sub_area"])
    key = serializers.CharField(help_text="partner slug, or the sub-area's public id")
    partner = serializers.CharField()
    name = serializers.CharField()
    area_km2 = serializers.FloatField(help_text="EPSG:3035 (equal-area)")
    attractions = serializers.IntegerField(
        help_text="the partner's own public attractions inside the area; other partners' "
                  "are in others_attractions")
    attractions_by_category = serializers.DictField(child=serializers.IntegerField())
    attractions_per_100km2 = serializers.FloatField()
    trails = serializers.IntegerField(help_text="the partner's own trails crossing the area")
    trail_km = serializers.FloatField(help_text="length inside the area, on the spheroid")
    others_attractions = serializers.IntegerField(
        help_text="other partners' public attractions inside the area: in no other figure")
    others_trails = serializers.IntegerField(
        help_text="other partners' public trails crossing the area: in no other figure")
    others_trail_km = serializers.FloatField(help_text="their length inside the area")
    trail_km_per_100km2 = serializers.FloatField()
    published_routes = serializers.IntegerField(
        help_text="a partner's: routes it takes part in; a sub-area's: routes through it")
    covered_km2 = serializers.FloatField()
    covered_share = serializers.FloatField(help_text="0 to 1: share within reach")
    gap_km2 = serializers.FloatField()
    gaps = serializers.IntegerField(help_text="gaps in or touching the area")
    start_places = serializers.IntegerField(
        help_text="the area's own attractions and trailheads: where a visit starts")
    start_places_without_car = serializers.IntegerField(
        help_text="of them, within 800 m (as the crow flies) of a public transport stop "
        "with service on a Saturday or Sunday from today on")
    without_car_share = serializers.FloatField(help_text="0 to 1: reachable without a car")
    missing_categories = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="partners only: categories it has none of that another partner has")
    practices_for_missing = serializers.DictField(
        required=False, help_text="partners only: for each missing category, the other "
        "partners' published practices on it: partner, count, url (the practices page)")


class GapSerializer(serializers.Serializer):
    partner = serializers.CharField()
    rank = serializers.IntegerField(help_text="1 = the partner's largest gap")
    area_km2 = serializers.FloatField()
    centre = serializers.ListField(child=serializers.FloatField(), help_text="lon, lat inside "
                                   "the gap")
    touches = serializers.ListField(child=serializers.DictField(), help_text="sub-areas "
                                    "the gap touches: key, name")


class CoverageSerializer(serializers.Serializer):
    parameters = serializers.DictField()
    partners = AreaSerializer(many=True)
    sub_areas = AreaSerializer(many=True)
    gaps = GapSerializer(many=True, help_text="the largest gaps of each partner (at most "
                         "10 each); all of them as GeoJSON at /api/coverage/gaps/")
    categories = serializers.ListField(child=serializers.DictField())


GAPS_LISTED = 10
"""The largest gaps of each partner in the statistics; every gap is in the GeoJSON."""


def area_dict(a: AreaStats) -> dict:
    out = {
        "level": a.level, "key": a.key, "partner": a.partner, "name": a.name,
        "area_km2": round_to(a.area_km2, 3), "attractions": a.attractions,
        "attractions_by_category": dict(sorted(a.by_category.items())),
        "attractions_per_100km2": round_to(a.attractions_per_100km2, 3),
        "trails": a.trails, "trail_km": round_to(a.trail_km, 3),
        "trail_km_per_100km2": round_to(a.trail_km_per_100km2, 3),
        "others_attractions": a.others_attractions, "others_trails": a.others_trails,
        "others_trail_km": round_to(a.others_trail_km, 3),
        "published_routes": a.routes, "covered_km2": round_to(a.covered_km2, 3),
        "covered_share": round_to(a.covered_share, 5), "gap_km2": round_to(a.gap_km2, 3),
        "gaps": a.gaps, "start_places": a.start_places,
        "start_places_without_car": a.start_places_without_car,
        "without_car_share": round_to(a.without_car_share, 5),
    }
    if a.level == "partner":
        out["missing_categories"] = a.missing_categories
    return out


def coverage_dict(c: Coverage) -> dict:
    q = c.query
    found = links.missing_links({a.key: a.missing_categories for a in c.partners})
    partners = [{**area_dict(a), "practices_for_missing": found.get(a.key, {})}
                for a in c.partners]
    return {
        "parameters": {"partners": list(q.partners), "radius_km": q.radius_km,
                       "categories": list(q.categories), "kinds": list(q.kinds)},
        "partners": partners,
        "sub_areas": [area_dict(a) for a in c.sub_areas],
        "gaps": [{"partner": g.partner, "rank": g.rank, "area_km2": round_to(g.area_km2, 3),
                  "centre": list(g.centre), "touches": g.touches}
                 for g in c.gaps if g.rank <= GAPS_LISTED],
        "categories": [{"category": cat, "label": str(Category(cat).label),
                        "by_partner": {a.key: a.by_category.get(cat, 0) for a in c.partners}}
                       for cat in c.categories],
    }


def csv_rows(c: Coverage, table: str) -> list[list[Any]]:
    """One table of the analysis as rows, a header first."""
    rows: list[list[Any]]
    if table == "categories":
        slugs = [a.key for a in c.partners]
        rows = [["category", "label", *slugs]]
        for cat in sorted(set(c.categories) | {m for a in c.partners
                                               for m in a.missing_categories}):
            rows.append([cat, str(Category(cat).label),
                         *(a.by_category.get(cat, 0) for a in c.partners)])
        return rows
    if table == "gaps":
        rows = [["partner", "rank", "area_km2", "centre_lon", "centre_lat", "touches"]]
        rows += [[g.partner, g.rank, f"{g.area_km2:.3f}", f"{g.centre[0]:.6f}",
                  f"{g.centre[1]:.6f}", "; ".join(s["name"] for s in g.touches)]
                 for g in c.gaps]
        return rows
    areas = c.partners if table == "partners" else c.sub_areas
    header = ["partner", "name", "area_km2", "attractions", "attractions_per_100km2",
              "trails", "trail_km", "trail_km_per_100km2", "published_routes",
              "covered_share_pct", "gap_km2", "gaps", "others_attractions", "others_trails",
              "others_trail_km", "without_car_share_pct"]
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if table == "partners":
        header += ["missing_categories", "practices_for_missing"]
        found = links.missing_links({a.key: a.missing_categories for a in areas})
    else:
        header.insert(1, "sub_area_id")
    rows = [header]
    for a in areas:
        row = [a.partner, a.name, f"{a.area_km2:.3f}", a.attractions,
               f"{a.attractions_per_100km2:.3f}", a.trails, f"{a.trail_km:.3f}",
               f"{a.trail_km_per_100km2:.3f}", a.routes, f"{a.covered_share * 100:.2f}",
               f"{a.gap_km2:.3f}", a.gaps, a.others_attractions, a.others_trails,
               f"{a.others_trail_km:.3f}", f"{a.without_car_share * 100:.2f}"]
        if table == "partners":
            # "winery: drome 3, larissa 1; museum: …": who has practices on what it lacks.
            row += [" ".join(a.missing_categories), "; ".join(
                f"{cat}: " + ", ".join(f"{k['partner']} {k['count']}" for k in found_links)
                for cat, found_links in found.get(a.key, {}).items())]
        else:
            row.insert(1, a.key)
        rows.append(row)
    return rows


def csv_response(c: Coverage, table: str) -> HttpResponse:
    buffer = io.StringIO()
    # Spreadsheet programs open UTF-8 CSV right only with a byte-order mark.
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(csv_rows(c, table))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coverage-{table}.csv"'
    return response


class CoverageStatistics(APIView):
    @extend_schema(
        parameters=[*QUESTION,
                    OpenApiParameter("format", str, enum=["json", "csv"],
                                     description="csv: one table, see `table`"),
                    OpenApiParameter("table", str, enum=list(TABLES),
                                     description="with format=csv (default partners)")],
        responses={200: CoverageSerializer, (200, "text/csv"): OpenApiTypes.STR},
        summary="Coverage of each partner (and its sub-areas): attractions by category, "
                "densities per 100 km², trail km, published routes, share within reach, "
                "largest gaps, missing categories")
    def get(self, request: Request) -> HttpResponse:
        lang = parse_lang(request.GET)
        query = parse_query(request.GET)
        fmt = choice(request.GET, "format", ("json", "csv"), default="json")
        table = parse_table(request.GET)
        with translation.override(lang):
            result = selectors.analyse(query, lang)
            if fmt == "csv":
                return csv_response(result, table)
            body = coverage_dict(result)
        response = Response(body)
        response["Content-Language"] = lang
        return response


class CoverageAreas(APIView):
    @extend_schema(parameters=QUESTION, responses={(200, GEOJSON): OpenApiTypes.OBJECT},
                   summary="The analysed areas (partners' territories and sub-areas) with "
                           "their statistics, for choropleths")
    def get(self, request: Request) -> HttpResponse:
        lang = parse_lang(request.GET)
        result = selectors.analyse(parse_query(request.GET), lang, geometry=True)
        features = []
        for a in result.areas:
            properties = area_dict(a)
            features.append(geojson.feature(id=a.key, geometry=a.geometry,
                                            properties=properties))
        return geojson.response(geojson.collection(features), lang=lang)


REACH = OpenApiParameter("reach", bool, description="true: add one feature per partner, "
                         "kind `reach`, its territory within reach")


class CoverageGaps(APIView):
    @extend_schema(
        parameters=[*QUESTION, REACH], responses={(200, GEOJSON): OpenApiResponse(
            OpenApiTypes.OBJECT, description="RFC 7946 FeatureCollection of polygons")},
        summary="Gaps: the parts of each territory beyond reach, largest first, with their "
                "area and the sub-areas they touch")
    def get(self, request: Request) -> HttpResponse:
        lang = parse_lang(request.GET)
        query: CoverageQuery = parse_query(request.GET)
        reach = flag(request.GET, "reach")
        found = selectors.coverage_gaps(query, lang, geometry=True, reach=reach)
        features = [geojson.feature(
            id=f"{g.partner}-{g.rank}", geometry=g.geometry,
            properties={"kind": "gap", "partner": g.partner, "rank": g.rank,
                        "area_km2": round_to(g.area_km2, 4), "touches": g.touches},
        ) for g in found.gaps]
        features += [geojson.feature(id=f"{slug}-reach", geometry=shape,
                                     properties={"kind": "reach", "partner": slug})
                     for slug, shape in sorted(found.reach.items())]
        return geojson.response(geojson.collection(features, radius_km=query.radius_km),
                                lang=lang)
