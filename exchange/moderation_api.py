"""The moderation of the exchange through the API: hide a question, an answer or an
endorsement, or show it again (exchange.moderation says who may)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from exchange import moderation
from exchange.api import json_response, write_body
from exchange.models import Endorsement, Question
from geo.errors import InvalidFields, NotFound

SUMMARY = ("Hide it (`{\"hidden\": true, \"reason\": \"…\"}`: its writer is told why) or "
           "show it again (`{\"hidden\": false}`): the moderators of the practice's partner "
           "and of the partner it was written for")


def _visibility(request: Request, item: Any) -> HttpResponse:
    data = write_body(request)
    hidden = data.get("hidden")
    if not isinstance(hidden, bool):
        raise InvalidFields({"hidden": [_("Send true to hide it, false to show it again.")]})
    moderation.item_hide(user=request.user, item=item, hidden=hidden,
                         reason=str(data.get("reason") or ""))
    item.refresh_from_db()
    return json_response({"id": item.pk, "hidden": item.hidden,
                          "hidden_by": item.hidden_by_name or None,
                          "reason": item.hidden_reason or None})


class QuestionVisibility(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="A question or answer on a practice: " + SUMMARY)
    def post(self, request: Request, pk: int) -> HttpResponse:
        item = Question.objects.select_related("practice__partner").filter(pk=pk).first()
        if item is None:
            raise NotFound(_("No such message."))
        return _visibility(request, item)


class EndorsementVisibility(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="An endorsement of a practice: " + SUMMARY)
    def post(self, request: Request, pk: int) -> HttpResponse:
        item = Endorsement.objects.select_related("practice__partner").filter(pk=pk).first()
        if item is None:
            raise NotFound(_("No such endorsement."))
        return _visibility(request, item)
