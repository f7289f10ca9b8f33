"""Who was trained (docs/users/training.md): a signed-in user's completed tour, posted by
maps/static/atlas/tour.js, and a visitor's (counted, not named); the report per partner
for its moderators (and superusers), as a page and as CSV."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from geo.errors import BadParameter, NotFound
from layers.models import Partner
from maps.tours import TOURS
from training.models import Kind
from training.selectors import (
    CSV_COLUMNS,
    ROLES,
    ReportRow,
    report,
    reportable_partners,
    visitor_report,
)
from training.services import count_visitor, record


@require_POST
def tour_done(request: HttpRequest, tour: str) -> JsonResponse:
    """Keep that the signed-in user went through ``tour`` to its last step."""
    if tour not in TOURS:
        raise NotFound(_("No such tour."))
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Sign in to have your tours counted."))
    record(request.user, Kind.TOUR, tour)
    return JsonResponse({"tour": tour, "recorded": True})


# No CSRF token: the page of a visitor who is not signed in carries none (it would set a
# cookie on every first visit), and a forged post can only add one to a count that
# anyone may add to; the site's rate limits bound it as every page.
@csrf_exempt
@require_POST
def tour_done_by_visitor(request: HttpRequest, tour: str) -> JsonResponse:
    """Count that a visitor who is not signed in went through ``tour`` to its last step."""
    if tour not in TOURS:
        raise NotFound(_("No such tour."))
    if request.user.is_authenticated:  # counted by name, on the other address
        raise PermissionDenied(_("Signed in, your tours are counted in your partner's report."))
    count_visitor(Kind.TOUR, tour)
    return JsonResponse({"tour": tour, "recorded": True})


def _partners(request: HttpRequest) -> list[Partner]:
    """The partners the report shows: ``?partner=`` (a slug) or all the user may read."""
    allowed = reportable_partners(request.user)
    slug = request.GET.get("partner", "")
    if not slug:
        partners = list(allowed)
        if not partners:
            raise PermissionDenied(_("The training report is for partners' moderators."))
        return partners
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise BadParameter("partner", _("No partner has that name."))
    if not allowed.filter(pk=partner.pk).exists():
        raise PermissionDenied(_("You may read only the report of a partner you moderate."))
    return [partner]


@login_required
@require_safe
def training_report(request: HttpRequest) -> HttpResponse:
    partners = _partners(request)
    labels = {"editor": _("Editors"), "moderator": _("Moderators"), "member": _("Members"),
              "guide": _("Guide read"), "tour": _("Tour completed")}
    sections = [{"partner": p,
                 "rows": [{"row": r, "role": labels[r.role], "kind": labels[r.kind]}
                          for r in report(p)]} for p in partners]
    visitors = [{"row": r, "kind": labels[r.kind]} for r in visitor_report()]
    return render(request, "training/report.html", {
        "sections": sections, "roles": ROLES, "visitors": visitors,
        "csv_query": request.GET.get("partner", "")})


@login_required
@require_safe
def training_report_csv(request: HttpRequest) -> HttpResponse:
    partners = _partners(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = partners[0].slug if len(partners) == 1 else "partners"
    response["Content-Disposition"] = f'attachment; filename="training-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    rows: list[ReportRow] = [r for p in partners for r in report(p)]
    if not request.GET.get("partner"):  # the platform's visitors, in the report of all
        rows += visitor_report()
    writer.writerows(r.csv() for r in rows)
    return response
