"""``/api/services/``: the published listings as GeoJSON, with the regional API's
parameters and errors (layers/api.py), plus ``type`` and ``open_on``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actors import rules, services
from actors.forms import ATTRACTION_FIELDS, FIELDS, as_text
from actors.hours import listing_hours
from actors.models import Listing, Submission
from actors.selectors import open_on_uids
from actors.vocabulary import ListingStatus, ListingType
from geo import geojson
from geo.clock import now
from geo.errors import BadParameter, NotFound
from geo.params import parse_day, parse_lang, refuse_unknown, single
from layers import selectors
from layers.api import CQL, FILTERS, LANG, ON, FeatureList
from layers.hours import hours_day, hours_response
from layers.models import Attraction
from layers.params import FeatureFilters, parse_filters

TYPE = OpenApiParameter("type", str, enum=ListingType.values,
                        description="listing types, comma-separated")
OPEN_ON = OpenApiParameter("open_on", str,
                           description="YYYY-MM-DD (1900 to 2999): only the listings open on "
                                       "that day, or YYYY-MM-DD/YYYY-MM-DD (at most 92 "
                                       "days): on at least one day of that period (their "
                                       "opening hours with the country's public holidays, "
                                       "their season and an event's dates)")


# A period of open_on (first/last): a season's worth of days, each read for each listing.
MAX_PERIOD_DAYS = 92


def parse_open_on(value: str | None) -> list[str] | None:
    """``open_on``: a day, or a period ``first/last`` (both days included)."""
    if value and "/" in value:
        first_text, _slash, last_text = value.partition("/")
        first, last = parse_day("open_on", first_text), parse_day("open_on", last_text)
        if first is None or last is None or last < first:
            raise BadParameter("open_on", _("a period is written first/last, the last day "
                                            "not before the first"))
        if (last - first).days >= MAX_PERIOD_DAYS:
            raise BadParameter("open_on", _("a period of at most %(days)s days")
                               % {"days": MAX_PERIOD_DAYS})
        return open_on_uids(first, last)
    day = parse_day("open_on", value)
    return None if day is None else open_on_uids(day)


@extend_schema(parameters=[*FILTERS, *CQL, TYPE, OPEN_ON],
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


class ServiceHours(APIView):
    @extend_schema(parameters=[LANG, ON], responses={200: OpenApiTypes.OBJECT},
                   summary="Whether a published listing is open now, when that changes, "
                           "and its hours this week, in the reader's language")
    def get(self, request: Request, uid: UUID) -> Response:
        on = hours_day(request.GET)
        listing = (Listing.objects.select_related("partner")
                   .filter(uid=uid, status=ListingStatus.PUBLISHED, partner__sandbox=False)
                   .first())
        if listing is None:
            raise Http404
        return hours_response(listing_hours(listing, now(), on))


# The listing write API for actors: their drafts and submissions, by token (write scope)
# or session, as the pages make them (actors.services).

SUBMISSION_BODY = {
    "type": "object",
    "properties": {
        "values": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "the listing's fields as text: name_bg … name_en, "
                                  "description_*, accessibility_*, lon, lat, type, address, "
                                  "opening_hours (OpenStreetMap syntax), season_months "
                                  "(1-12, comma-separated), price_from, price_to, currency, "
                                  "wheelchair, phone, email, website, booking_url, languages, "
                                  "capacity, starts_on, ends_on, yearly"},
        "listing": {"type": "string", "format": "uuid",
                    "description": "a published listing of yours: the submission changes it"},
        "attraction": {"type": "string", "format": "uuid",
                       "description": "an attraction whose claim was approved for you: the "
                                      "submission changes its texts and practical fields "
                                      "(name_*, description_*, accessibility_*, address, "
                                      "opening_hours, season_months, fee, price_from, "
                                      "price_to, currency, wheelchair, phone, email, "
                                      "website, booking_url, languages)"},
        "note": {"type": "string", "description": "to the moderators"},
        "submit": {"type": "boolean", "description": "send it for moderation at once"},
    },
}


def submission_dict(submission: Submission) -> dict[str, Any]:
    return {"id": submission.pk, "kind": submission.kind, "state": submission.state,
            "partner": submission.partner.slug if submission.partner else None,
            "listing": str(submission.listing.uid) if submission.listing else None,
            "attraction": str(submission.attraction.uid) if submission.attraction else None,
            "values": submission.values, "before": submission.before,
            "note": submission.note, "created": submission.created_at,
            "updated": submission.updated_at,
            "decisions": [{"action": d.action, "comment": d.comment, "at": d.at}
                          for d in submission.decisions.all()]}


def body_values(data: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """The request's ``values`` as text, and the rest of its body."""
    if not isinstance(data, dict):
        raise BadParameter("body", _("a JSON object"))
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise BadParameter("values", _("an object of field names and values"))
    unknown = sorted(set(values) - set(FIELDS) - set(ATTRACTION_FIELDS))
    if unknown:
        raise BadParameter("values", _("unknown fields: %(names)s")
                           % {"names": ", ".join(unknown)})
    return {k: v if isinstance(v, str) else as_text(v) for k, v in values.items()}, data


class Submissions(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT},
                   summary="Your submissions (a tourism actor's), newest first")
    def get(self, request: Request) -> Response:
        actor = rules.actor_of(request.user)
        found = actor.submissions.prefetch_related("decisions") if actor else []
        return Response({"submissions": [submission_dict(s) for s in found]})

    @extend_schema(request={"application/json": SUBMISSION_BODY},
                   responses={201: OpenApiTypes.OBJECT},
                   summary="Submit a new listing, or a change to one of your listings")
    def post(self, request: Request) -> Response:
        values, data = body_values(request.data)
        listing = None
        if data.get("listing"):
            try:
                listing = Listing.objects.filter(uid=UUID(str(data["listing"]))).first()
            except ValueError:
                raise BadParameter("listing", _("a listing's public id")) from None
            if listing is None:
                raise BadParameter("listing", _("no such listing"))
        attraction = None
        if data.get("attraction"):
            try:
                attraction = Attraction.objects.filter(uid=UUID(str(data["attraction"]))).first()
            except ValueError:
                raise BadParameter("attraction", _("an attraction's public id")) from None
            if attraction is None:
                raise BadParameter("attraction", _("no such attraction"))
        with transaction.atomic():
            submission = services.submission_save(
                user=request.user, listing=listing, attraction=attraction,
                data={**values, "note": str(data.get("note", ""))})
            if data.get("submit"):
                submission = services.submission_submit(user=request.user,
                                                        submission=submission)
        return Response(submission_dict(submission), status=201)


def _own(request: Request, pk: int) -> Submission:
    submission = Submission.objects.filter(pk=pk).select_related(
        "partner", "listing").first()
    if submission is None or not rules.may_view_submission(request.user, submission):
        raise NotFound(_("no such submission, or not one you may see"))
    return submission


class SubmissionDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT},
                   summary="One submission (yours, or one you moderate)")
    def get(self, request: Request, pk: int) -> Response:
        return Response(submission_dict(_own(request, pk)))

    @extend_schema(request={"application/json": SUBMISSION_BODY},
                   responses={200: OpenApiTypes.OBJECT},
                   summary="Change your draft (or one sent back for changes)")
    def patch(self, request: Request, pk: int) -> Response:
        submission = _own(request, pk)
        values, data = body_values(request.data)
        if "note" in data:
            values["note"] = str(data["note"])
        with transaction.atomic():
            submission = services.submission_save(user=request.user, submission=submission,
                                                   data=values)
            if data.get("submit"):
                submission = services.submission_submit(user=request.user,
                                                        submission=submission)
        return Response(submission_dict(submission))


class SubmissionSubmit(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT},
                   summary="Send your draft to the moderators")
    def post(self, request: Request, pk: int) -> Response:
        submission = services.submission_submit(user=request.user,
                                                submission=_own(request, pk))
        return Response(submission_dict(submission))
