"""The strategy pages: the partners (``/strategy/``) and a partner's page
(``/strategy/<slug>/``): its indicators over time, its practices, transfers, and what the
other partners do about its gaps; printable. Its members enter indicator values there.

The page composes the planner's series (``planner.selectors``) and the exchange's answers
(``exchange.strategy``); writes go through ``planner.services``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from exchange.strategy import strategy
from geo.i18n import page_language
from layers.models import Partner
from layers.permissions import member_partners
from planner import rules, selectors, services
from planner.forms import EnteredIndicatorForm
from planner.models import EnteredIndicator, IndicatorSnapshot
from planner.vocabulary import DEFAULT_UNIT, IndicatorName, IndicatorUnit

CHART_W, CHART_H, PAD = 320, 120, 8
# Room above the line for the largest value, written at the top left (10 px text).
TOP = 22


def _partner(slug: str, user: Any) -> Partner:
    """The partner whose page it is; a training partner's (``Partner.sandbox``) only for
    its own accounts and superusers, as everything of the sandbox."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or (partner.sandbox and not (
            getattr(user, "is_superuser", False)
            or member_partners(user).filter(pk=partner.pk).exists())):
        raise Http404(_("No such partner."))
    return partner


def chart(points: list[tuple[date, float]], digits: int | None = None) -> dict[str, Any]:
    """A line over time as SVG coordinates (the template draws it; the table beside it
    says the same in words, for screen readers and print)."""
    if not points:
        return {"points": "", "dots": []}
    days = [d.toordinal() for d, _ in points]
    values = [v for _, v in points]
    d0, d1 = min(days), max(days)
    v0, v1 = min(0.0, min(values)), max(values)
    span_d, span_v = (d1 - d0) or 1, (v1 - v0) or 1

    def xy(d: int, v: float) -> tuple[str, str]:
        # As text: a template would write a float the language's way ("160,5").
        x = PAD + (d - d0) / span_d * (CHART_W - 2 * PAD) if d1 > d0 else CHART_W / 2
        return f"{x:.1f}", f"{CHART_H - PAD - (v - v0) / span_v * (CHART_H - PAD - TOP):.1f}"

    dots = [xy(d, v) for d, v in zip(days, values, strict=True)]
    return {"points": " ".join(f"{x},{y}" for x, y in dots), "dots": dots,
            # A count (``digits`` 0) is written as one: "2", not "2,00".
            "top": formats.number_format(
                v1, digits if digits is not None else (0 if v1 >= 100 else 2),
                use_l10n=True, force_grouping=True),
            "bottom": formats.number_format(v0, 0, use_l10n=True),
            "first": points[0][0], "last": points[-1][0],
            "width": CHART_W, "height": CHART_H}


MEASURED = (("attractions_per_100km2", 2, 1.0), ("covered_share", 1, 100.0),
            ("trail_km", 1, 1.0), ("published_routes", 0, 1.0), ("gap_km2", 1, 1.0))
"""The measured series drawn: field, decimals, scale (a share is drawn in %)."""


def _measured_titles() -> dict[str, str]:
    return {"attractions_per_100km2": _("Attractions per 100 km²"),
            "covered_share": _("Share within reach (%)"), "trail_km": _("Trails (km)"),
            "published_routes": _("Published routes"),
            "gap_km2": _("Beyond reach (km²)")}


def _measured(snapshots: list[IndicatorSnapshot]) -> list[dict[str, Any]]:
    titles = _measured_titles()
    out = []
    for name, digits, scale in MEASURED:
        rows = [(s.taken_on, getattr(s, name) * scale) for s in snapshots]
        out.append({"key": name, "title": titles[name], "digits": digits, "rows": rows,
                    "chart": chart(rows, digits)})
    return out


def _entered(rows: list[EnteredIndicator]) -> list[dict[str, Any]]:
    """The entered values as series: one per indicator (and name, for others) and unit."""
    series: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r.indicator, r.label, r.unit)
        s = series.setdefault(key, {"key": "-".join(k for k in key if k), "title": r.name,
                                    "unit": IndicatorUnit(r.unit).label, "values": []})
        s["values"].append(r)
    for s in series.values():
        s["chart"] = chart([(r.date, r.value) for r in s["values"]])
        s["sources"] = sorted({r.source for r in s["values"]})
        s["demo"] = any(r.demo for r in s["values"])
    return list(series.values())


def _context(request: HttpRequest, partner: Partner, lang: str,
             form: EnteredIndicatorForm | None = None) -> dict[str, Any]:
    snapshots = list(selectors.indicator_snapshots(partners=[partner.slug]))
    entered = list(selectors.entered_indicators(partners=[partner.slug]))
    may_enter = rules.may_enter_indicators(request.user, partner)
    return {
        "partner": partner, "s": strategy(partner, lang=lang, user=request.user),
        "measured": _measured(snapshots), "snapshots": snapshots,
        "entered": _entered(entered), "may_enter": may_enter,
        "form": form or (EnteredIndicatorForm(initial={
            "indicator": IndicatorName.ARRIVALS, "unit": DEFAULT_UNIT[IndicatorName.ARRIVALS]})
            if may_enter else None),
        "lang": lang, "others": Partner.objects.exclude(pk=partner.pk).order_by("slug"),
    }


@require_safe
def strategy_list(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    latest = {s.partner_id: s for s in IndicatorSnapshot.objects.order_by(
        "partner_id", "-taken_on").distinct("partner_id")}
    with translation.override(lang):
        return render(request, "strategy/list.html", {"lang": lang,
            "partners": [(p, latest.get(p.pk))
                         for p in Partner.objects.filter(sandbox=False).order_by("slug")]})


@require_safe
def strategy_page(request: HttpRequest, slug: str) -> HttpResponse:
    lang = page_language()
    partner = _partner(slug, request.user)
    with translation.override(lang):
        return render(request, "strategy/strategy.html", _context(request, partner, lang))


def _here(partner: Partner, lang: str, anchor: str = "indicators") -> str:
    return reverse("strategy-page", args=[partner.slug]) + f"?lang={lang}#{anchor}"


@require_POST
def indicator_add(request: HttpRequest, slug: str) -> HttpResponse:
    lang = page_language()
    partner = _partner(slug, request.user)
    if not rules.may_enter_indicators(request.user, partner):
        raise PermissionDenied(_("Only the partner's members enter its indicators."))
    with translation.override(lang):
        form = EnteredIndicatorForm(data=request.POST)
        if not form.is_valid():
            return render(request, "strategy/strategy.html",
                          _context(request, partner, lang, form), status=400)
        services.entered_indicator_create(user=request.user, partner=partner,
                                          values=form.values())
    return HttpResponseRedirect(_here(partner, lang))


def _row(partner: Partner, pk: int, user: Any) -> EnteredIndicator:
    row = EnteredIndicator.objects.select_related("partner").filter(
        pk=pk, partner=partner).first()
    if row is None:
        raise Http404(_("No such indicator value."))
    if not rules.may_enter_indicators(user, partner):
        raise PermissionDenied(_("Only the partner's members enter its indicators."))
    return row


def indicator_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    lang = page_language()
    partner = _partner(slug, request.user)
    row = _row(partner, pk, request.user)
    with translation.override(lang):
        if request.method == "POST":
            form = EnteredIndicatorForm(data=request.POST)
            if form.is_valid():
                services.entered_indicator_update(user=request.user, row=row,
                                                  values=form.values(row))
                return HttpResponseRedirect(_here(partner, lang))
            status = 400
        else:
            form = EnteredIndicatorForm(initial={
                "indicator": row.indicator, "label": row.label, "value": row.value,
                "unit": row.unit, "date": row.date, "source": row.source})
            status = 200
        return render(request, "strategy/indicator_form.html",
                      {"partner": partner, "row": row, "form": form, "lang": lang},
                      status=status)


@require_POST
def indicator_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    lang = page_language()
    partner = _partner(slug, request.user)
    row = _row(partner, pk, request.user)
    services.entered_indicator_delete(user=request.user, row=row)
    return HttpResponseRedirect(_here(partner, lang))
