"""The planner's pages: the map with its tables, the tables alone, a printable report."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exchange.strategy import missing_links
from geo.errors import BadParameter
from geo.i18n import fallback_chain, page_language
from layers.models import Partner
from layers.vocabulary import OSM_TAG, Category
from maps.pages.planner_map import map_parts, planner_map
from planner import selectors
from planner.api import GAPS_LISTED
from planner.params import (
    DEFAULT_RADIUS_KM,
    KINDS,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    CoverageQuery,
    parse_query,
)

MEASURES = ("density", "trails", "reach")
"""What the choropleth colours: attractions per 100 km², trail km per 100 km², reach."""
def _category_groups() -> dict[str, str]:
    """The vocabulary's OSM keys as headings, in the active language."""
    return {"tourism": _("Places to visit"), "historic": _("Heritage"),
            "natural": _("Nature"), "leisure": _("Parks and gardens"), "craft": _("Crafts")}


def _question(request: HttpRequest) -> tuple[CoverageQuery, str | None]:
    """The planner's question; a bad parameter falls back to the defaults, with a message."""
    try:
        return parse_query(request.GET), None
    except BadParameter as exc:
        return CoverageQuery(), str(exc)


def _measure(request: HttpRequest) -> str:
    measure = request.GET.get("measure")
    return measure if measure in MEASURES else MEASURES[0]


def _partner_names(lang: str) -> list[tuple[str, str]]:
    chain = fallback_chain(lang)
    names = []
    for p in Partner.objects.filter(sandbox=False).order_by("slug"):
        name = next((getattr(p, f"name_{code}") for code in chain if getattr(p, f"name_{code}")),
                    p.slug)
        names.append((p.slug, name))
    return names


def _labels() -> dict:
    """Every word the planner's script shows, in the active language."""
    return {
        "measures": {"density": _("Attractions per 100 km²"),
                     "trails": _("Trail km per 100 km²"),
                     "reach": _("Share within reach")},
        "legend": _("Legend"), "gaps": _("Gaps beyond reach"), "reach": _("Within reach"),
        "gap": _("Gap"), "touches": _("touches"),
        "loading": _("Updating…"), "failed": _("The analysis could not be loaded."),
        "stale": _("The map and tables still show the previous analysis."),
        # Filled in by the script with the field's label and its limits.
        "outOfRange": _("“%(field)s” must be between %(min)s and %(max)s."),
        "all": _("all"),
        "layers": {"areas": _("Areas by measure"), "reach": _("Within reach"),
                   "gaps": _("Gaps")},
    }


def _links(query: CoverageQuery, lang: str, measure: str) -> dict[str, str]:
    params = {**query.as_params(), "lang": lang}
    everyone = {**replace(query, partners=()).as_params(), "lang": lang}
    page = {**params, "measure": measure}

    def csv(table: str, of: dict) -> str:
        return reverse("coverage") + "?" + urlencode({**of, "format": "csv", "table": table})

    return {
        "report": reverse("planner-report") + "?" + urlencode(page),
        "planner": reverse("planner") + "?" + urlencode(page),
        "json": reverse("coverage") + "?" + urlencode(params),
        "gaps": reverse("coverage-gaps") + "?" + urlencode(params),
        # The comparisons are of every partner, the details of the chosen ones.
        "csv_partners": csv("partners", everyone), "csv_categories": csv("categories", everyone),
        "csv_sub_areas": csv("sub-areas", params), "csv_gaps": csv("gaps", params),
    }


def _tables_context(query: CoverageQuery, lang: str, measure: str) -> dict:
    """The tables of the planner and the report.

    The partners are always compared all together; ``partner`` picks whose sub-areas
    and gaps are listed (and what the map shows).
    """
    result = selectors.analyse(replace(query, partners=()), lang)
    focus = set(query.partners) or {a.key for a in result.partners}
    partners = result.partners
    names = {a.key: a.name for a in partners}
    # Beside each missing category: the other partners' practices on it (the exchange).
    links = missing_links({a.key: a.missing_categories for a in partners if a.key in focus})
    rows = []
    for cat in sorted(set(result.categories)
                      | {m for a in partners for m in a.missing_categories},
                      key=lambda c: (result.categories.index(c)
                                     if c in result.categories else len(Category), c)):
        cells = [{"n": a.by_category.get(cat, 0), "missing": cat in a.missing_categories,
                  "focus": a.key in focus,
                  "practices": [{**link, "name": names.get(link["partner"], link["partner"])}
                                for link in links.get(a.key, {}).get(cat, [])]}
                 for a in partners]
        rows.append({"category": cat, "label": Category(cat).label, "cells": cells})
    gaps = [g for g in result.gaps if g.partner in focus]
    return {
        "result": result, "partners": partners, "focus": focus,
        "names": names, "category_rows": rows,
        "sub_areas": [a for a in result.sub_areas if a.partner in focus],
        "gaps": [g for g in gaps if g.rank <= GAPS_LISTED], "gap_total": len(gaps),
        "links": _links(query, lang, measure), "query": query, "lang": lang,
    }


def _page_context(request: HttpRequest, *, interactive: bool) -> dict:
    lang = page_language()
    query, error = _question(request)
    measure = _measure(request)
    options = {
        "areasUrl": reverse("coverage-areas"), "gapsUrl": reverse("coverage-gaps"),
        "tablesUrl": reverse("planner-tables"), "reportUrl": reverse("planner-report"),
        "plannerUrl": reverse("planner"), "lang": lang, "measure": measure,
        "query": {**query.as_params(), "lang": lang}, "labels": _labels(),
        "interactive": interactive,
    }
    headings = _category_groups()
    groups: dict[str, list] = {heading: [] for heading in headings.values()}
    for c in Category:
        groups[headings[OSM_TAG[c.value][0]]].append((c.value, c.label))
    return {
        **map_parts(planner_map(options=options, interactive=interactive)),
        **_tables_context(query, lang, measure),
        "error": error, "measure": measure, "measures": MEASURES, "lang": lang,
        "partner_names": _partner_names(lang), "category_groups": groups,
        "kinds": KINDS, "radius": {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM,
                                   "default": DEFAULT_RADIUS_KM},
        "generated": timezone.now(),
    }


@require_GET
def planner(request: HttpRequest) -> HttpResponse:
    """The planner: parameters, the map, the statistics and the comparison."""
    with translation.override(page_language()):
        return render(request, "planner/planner.html", _page_context(request,
                                                                      interactive=True))


@require_GET
def planner_tables(request: HttpRequest) -> HttpResponse:
    """The planner's tables alone: the page swaps them in when a parameter changes."""
    lang = page_language()
    query, error = _question(request)
    with translation.override(lang):
        return render(request, "planner/_tables.html", {
            **_tables_context(query, lang, _measure(request)), "error": error})


@require_GET
def planner_report(request: HttpRequest) -> HttpResponse:
    """The same analysis as a report to print (or save as PDF from the browser)."""
    with translation.override(page_language()):
        return render(request, "planner/report.html", _page_context(request,
                                                                     interactive=False))
