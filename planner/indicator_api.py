"""The planner's API of indicators over time: the values partners enter (arrivals,
nights …: list, enter, change, delete, by its partner's members) and the measured
snapshots the standard analysis keeps (the coverage analysis itself: ``planner.api``).
A bad parameter is a 400 naming it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geo.errors import Forbidden, InvalidFields, NotFound
from geo.params import choices, parse_lang, refuse_unknown
from layers.api import LANG
from layers.models import Partner
from layers.params import partner_slugs
from layers.permissions import sandbox_partners
from planner import rules, selectors, services
from planner.api import round_to
from planner.forms import EnteredIndicatorForm
from planner.models import EnteredIndicator, IndicatorSnapshot
from planner.vocabulary import IndicatorName, IndicatorUnit


def entered_dict(row: EnteredIndicator) -> dict[str, Any]:
    return {"id": row.pk, "partner": row.partner.slug, "indicator": row.indicator,
            "name": row.name, "label": row.label, "value": row.value, "unit": row.unit,
            "unit_label": str(IndicatorUnit(row.unit).label), "date": row.date.isoformat(),
            "source": row.source, "demo": row.demo}


def snapshot_dict(s: IndicatorSnapshot) -> dict[str, Any]:
    return {"partner": s.partner.slug, "date": s.taken_on.isoformat(),
            "taken_at": s.taken_at.isoformat(), "radius_km": s.radius_km,
            "area_km2": round_to(s.area_km2, 3), "attractions": s.attractions,
            "attractions_per_100km2": round_to(s.attractions_per_100km2, 3),
            "trail_km": round_to(s.trail_km, 3),
            "trail_km_per_100km2": round_to(s.trail_km_per_100km2, 3),
            "published_routes": s.published_routes,
            "covered_share": round_to(s.covered_share, 5), "gap_km2": round_to(s.gap_km2, 3),
            "gaps": s.gaps, "missing_categories": s.missing_categories}


INDICATOR_PARAMS = frozenset({"partner", "indicator", "lang"})
PARTNER = OpenApiParameter("partner", str, description="partner slug(s), comma-separated "
                                                       "(default: every partner)")


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise InvalidFields({"body": [_("Send a JSON object.")]})
    return request.data


def _invalid(form: EnteredIndicatorForm) -> InvalidFields:
    """The form's refusals as text now, in the active (the reader's) language."""
    return InvalidFields({name: [str(m) for m in messages]
                          for name, messages in form.errors.items()})


def _entered(request: Request, pk: int) -> EnteredIndicator:
    row = EnteredIndicator.objects.select_related("partner").filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such indicator value."))
    return row


class EnteredIndicators(APIView):
    @extend_schema(
        parameters=[LANG, PARTNER, OpenApiParameter(
            "indicator", str, description="indicator(s), comma-separated: "
            + ", ".join(IndicatorName.values))],
        responses={200: OpenApiTypes.OBJECT},
        summary="Indicators the partners entered (arrivals, nights …), each with its value, "
                "unit, date and source, oldest first")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, INDICATOR_PARAMS)
        lang = parse_lang(request.GET)
        partners = choices(request.GET, "partner", partner_slugs)
        names = choices(request.GET, "indicator", set(IndicatorName.values))
        with translation.override(lang):
            rows = [entered_dict(r) for r in selectors.entered_indicators(
                partners=partners, indicators=names,
                sandboxes=sandbox_partners(request.user).values_list("id", flat=True))]
        return Response({"count": len(rows), "results": rows},
                        headers={"Content-Language": lang})

    @extend_schema(parameters=[LANG], request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT},
                   summary="Enter a value for a partner you belong to (`partner`, "
                           "`indicator`, `label` for other, `value`, `unit`, `date`, "
                           "`source`)")
    def post(self, request: Request) -> HttpResponse:
        lang = parse_lang(request.GET)
        with translation.override(lang):
            if not request.user.is_authenticated:
                raise Forbidden(_("Sign in to enter indicators."))
            data = _body(request)
            partner = Partner.objects.filter(slug=str(data.get("partner", ""))).first()
            if partner is None:
                raise InvalidFields({"partner": [_("Name the partner (its slug).")]})
            form = EnteredIndicatorForm(data=data)
            if not form.is_valid():
                raise _invalid(form)
            row = services.entered_indicator_create(user=request.user, partner=partner,
                                                    values=form.values())
            return Response(entered_dict(row), status=201)


class EnteredIndicatorDetail(APIView):
    @extend_schema(parameters=[LANG], responses={200: OpenApiTypes.OBJECT},
                   summary="An entered indicator value")
    def get(self, request: Request, pk: int) -> HttpResponse:
        with translation.override(parse_lang(request.GET)):
            return Response(entered_dict(_entered(request, pk)))

    @extend_schema(parameters=[LANG], request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT},
                   summary="Change an entered value (its partner's members)")
    def patch(self, request: Request, pk: int) -> HttpResponse:
        with translation.override(parse_lang(request.GET)):
            row = _entered(request, pk)
            if not rules.may_enter_indicators(request.user, row.partner):
                raise Forbidden(_("Only %(partner)s's members enter its indicators.")
                                % {"partner": row.partner})
            form = EnteredIndicatorForm(data=_body(request), partial=True)
            if not form.is_valid():
                raise _invalid(form)
            values = form.values(row)
            if values.get("indicator", row.indicator) == IndicatorName.OTHER and not \
                    values.get("label", row.label):
                raise InvalidFields({"label": [_("Name what is counted.")]})
            row = services.entered_indicator_update(user=request.user, row=row,
                                                    values=values)
            return Response(entered_dict(row))

    @extend_schema(parameters=[LANG], responses={204: None},
                   summary="Delete an entered value (its partner's members)")
    def delete(self, request: Request, pk: int) -> HttpResponse:
        with translation.override(parse_lang(request.GET)):
            row = _entered(request, pk)
            services.entered_indicator_delete(user=request.user, row=row)
            return HttpResponse(status=204)


class IndicatorSnapshots(APIView):
    @extend_schema(parameters=[PARTNER], responses={200: OpenApiTypes.OBJECT},
                   summary="The measured indicators of each partner over time: the standard "
                           "analysis (R = 5 km, every category and kind) on each day the "
                           "data had changed, oldest first")
    def get(self, request: Request) -> HttpResponse:
        refuse_unknown(request.GET, frozenset({"partner", "lang"}))
        partners = choices(request.GET, "partner", partner_slugs)
        rows = [snapshot_dict(s) for s in selectors.indicator_snapshots(
            partners=partners,
            sandboxes=sandbox_partners(request.user).values_list("id", flat=True))]
        return Response({"count": len(rows), "results": rows})
