"""The exchange's moderation page, for partners' moderators (who are not staff, so have
no admin): what of their partners is in the exchange — practices in every state with the
review queue, transfers in and out, visits hosted and made — and the questions, answers
and endorsements they may hide or show again (exchange.moderation), with the forms that
do it. The practice page carries the same forms beside each message."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from exchange import moderation, rules
from exchange.models import Endorsement, Question
from exchange.vocabulary import EndorsementKind, Status, TransferStatus
from geo.errors import AtlasError
from geo.i18n import page_language


def _page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    if not moderation.is_moderator(request.user):
        raise PermissionDenied(_("This page is the partners' moderators'."))
    lang = page_language()
    seen = moderation.overview(request.user)
    return render(request, "practices/moderation.html", {
        "lang": lang, "partners": seen.partners,
        "practices": list(seen.practices[:300]),
        "queue": rules.review_queue(request.user).count(),
        "transfers": list(seen.transfers[:200]), "visits": list(seen.visits[:200]),
        "questions": list(seen.questions[:300]),
        "endorsements": list(seen.endorsements[:300]),
        "statuses": dict(Status.choices), "transfer_statuses": dict(TransferStatus.choices),
        "endorsement_kinds": dict(EndorsementKind.choices),
        "error": error}, status=status)


@require_safe
@login_required
def moderation_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("exchange-moderation")


def _hide(request: HttpRequest, item: Any) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ("hide", "show"):
        return _page(request, error=_("Choose to hide it or to show it again."), status=400)
    try:
        moderation.item_hide(user=request.user, item=item, hidden=action == "hide",
                             reason=request.POST.get("reason", ""))
    except AtlasError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        return _page(request, error=str(exc), status=exc.status)
    return HttpResponseRedirect(_next(request))


@require_POST
@login_required
def question_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = Question.objects.select_related("practice", "practice__partner").filter(
        pk=pk).first()
    if item is None:
        raise Http404(_("No such message."))
    return _hide(request, item)


@require_POST
@login_required
def endorsement_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    item = Endorsement.objects.select_related("practice", "practice__partner").filter(
        pk=pk).first()
    if item is None:
        raise Http404(_("No such endorsement."))
    return _hide(request, item)
