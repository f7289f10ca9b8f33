"""The announcements API: those shown today (anyone), one announcement, and the writes
(create, change, delete, publish, withdraw) for partners' editors and moderators signed
in or with a write token. Every write goes through ``campaigns.services``, which refuses
what ``campaigns.rules`` does not allow."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from campaigns import rules, selectors, services
from campaigns.forms import AnnouncementForm, link_specs
from campaigns.models import Announcement
from geo.errors import BadParameter, Forbidden, InvalidFields
from geo.params import parse_lang
from layers.api import LANG
from layers.models import Partner


def _json(data: Any, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False},
                        safe=False)


def _announcement(request: Request, uid: str) -> Announcement:
    found = Announcement.objects.select_related("partner").filter(uid=uid).first()
    if found is None or not (selectors.is_shown(found)
                             or rules.visible(request.user).filter(pk=found.pk).exists()):
        raise Http404
    return found


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise InvalidFields({"body": [_("Send a JSON object.")]})
    return request.data


def _card(announcement: Announcement, lang: str) -> dict[str, Any]:
    """The card without the pages' date objects (the ISO dates stay)."""
    card = selectors.card(announcement, lang=lang)
    del card["starts"], card["ends"]
    return card


def _detail(request: Request, announcement: Announcement) -> dict[str, Any]:
    lang = parse_lang(request.GET)
    return {**_card(announcement, lang), "links": selectors.links(announcement, lang=lang)}


class Announcements(APIView):
    @extend_schema(parameters=[LANG], responses={200: OpenApiTypes.OBJECT},
                   summary="The announcements shown today, newest first")
    def get(self, request: Request) -> HttpResponse:
        lang = parse_lang(request.GET)
        rows = [_card(a, lang) for a in selectors.shown()[:200]]
        return _json({"count": len(rows), "results": rows})

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT},
                   summary="Write a draft announcement of a partner you edit or moderate")
    def post(self, request: Request) -> HttpResponse:
        if not rules.may_create(request.user):
            raise Forbidden(_("Only a partner's editors and moderators write "
                              "announcements."))
        data = _body(request)
        partner = Partner.objects.filter(slug=str(data.get("partner", ""))).first()
        if partner is None:
            raise InvalidFields({"partner": [_("Name the partner (its slug) you write for.")]})
        form = AnnouncementForm(data=data)
        if not form.is_valid():
            raise InvalidFields(form.errors)
        announcement = services.announcement_create(
            user=request.user, partner=partner, values=form.values(),
            links=link_specs(data.get("links")))
        return _json(_detail(request, announcement), status=201)


class AnnouncementDetail(APIView):
    @extend_schema(parameters=[LANG], responses={200: OpenApiTypes.OBJECT},
                   summary="An announcement with its links")
    def get(self, request: Request, uid: str) -> HttpResponse:
        return _json(_detail(request, _announcement(request, uid)))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT},
                   summary="Change an announcement (a draft: its partner's editors and "
                           "moderators; a published one: its moderators)")
    def patch(self, request: Request, uid: str) -> HttpResponse:
        announcement = _announcement(request, uid)
        data = _body(request)
        form = AnnouncementForm(data=data, partial=True)
        if not form.is_valid():
            raise InvalidFields(form.errors)
        services.announcement_update(
            user=request.user, announcement=announcement, values=form.values(),
            links=link_specs(data["links"]) if "links" in data else None)
        return _json(_detail(request, announcement))

    @extend_schema(responses={204: None}, summary="Delete an announcement")
    def delete(self, request: Request, uid: str) -> HttpResponse:
        services.announcement_delete(user=request.user,
                                     announcement=_announcement(request, uid))
        return HttpResponse(status=204)


ACTIONS = ("publish", "withdraw")


class AnnouncementAction(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH,
                                                enum=list(ACTIONS))],
                   summary="Publish an announcement (shown within its period) or withdraw it")
    def post(self, request: Request, uid: str, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise BadParameter("action", "use one of " + ", ".join(ACTIONS))
        announcement = _announcement(request, uid)
        services.announcement_publish(user=request.user, announcement=announcement,
                                      published=action == "publish")
        return _json(_detail(request, announcement))
