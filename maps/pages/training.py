"""Who was trained (docs/users/training.md): a signed-in user's completed tour, posted by
maps/static/atlas/tour.js; the report per partner for its moderators (and superusers), as
a page and as CSV."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from geo.errors import BadParameter, NotFound
from layers.models import Partner
from maps.tours import TOURS
from training.models import Kind
from training.selectors import CSV_COLUMNS, ROLES, ReportRow, report, reportable_partners
from training.services import record


@require_POST
def tour_done(request: HttpRequest, tour: str) -> JsonResponse:
    """Keep that the signed-in user went through ``tour`` to its last step."""
    if tour not in TOURS:
        raise NotFound(_("No such tour."))
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Sign in to have your tours counted."))
    record(request.user, Kind.TOUR, tour)
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
    return render(request, "training/report.html", {
        "sections": sections, "roles": ROLES,
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
    writer.writerows(r.csv() for r in rows)
    return response
