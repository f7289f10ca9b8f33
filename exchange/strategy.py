"""A partner's strategy: its indicators over time, its practices, and what the other
partners do about its gaps.

The planner measures; the exchange answers (docs/decisions/0014). For each category the
planner says a partner lacks (one it has none of while another partner has some), the
published practices of the other partners that concern that category; for each of its
*large* gaps, the published practices of the other partners that lie in a *comparable
setting*:

- a gap is **large** when it is at least πR² (79 km² at R = 5 km): the area one site
  reaches, room for a new place to visit and more;
- a practice lies in a **comparable setting** when one of its places lies in, or within R
  of, a large gap of its own partner's territory whose area is within a factor of
  ``SIZE_FACTOR`` of this gap's: it was done where, as here, a wide area had nothing to do
  within reach. The nearest in size come first.

Both under the planner's standard question (``planner.services.is_standard``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q
from django.utils import translation

from exchange import models as exchange_models
from exchange import rules
from exchange.models import GoodPractice
from exchange.selectors import practice_properties
from exchange.vocabulary import PUBLIC_STATUSES
from geo.crs import LAEA_EUROPE, WGS84
from layers.models import Partner
from layers.vocabulary import Category
from planner import selectors as planner
from planner.params import CoverageQuery
from planner.selectors import AreaStats, Gap

SIZE_FACTOR = 10.0
"""How much larger or smaller than a gap another partner's gap may be and still be a
comparable setting."""
PRACTICES_PER_GAP = 5
GAPS_SHOWN = 10


def large_gap_km2(radius_km: float) -> float:
    """The smallest large gap (km²): the area of one site's reach, πR²."""
    return math.pi * radius_km ** 2


def practices_url(category: str, partner: str) -> str:
    """The practices page filtered to one partner's practices on one category."""
    return "/practices/?" + urlencode({"category": category, "partner": partner})


def practice_counts(categories: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """Category -> partner slug -> how many published practices of that partner concern
    it (all categories, or those named)."""
    wanted = list(categories)
    sql = """
        SELECT c.category, p.slug, count(*)
        FROM exchange_goodpractice x
        JOIN layers_partner p ON p.id = x.partner_id
        CROSS JOIN LATERAL unnest(x.categories) AS c(category)
        WHERE x.status = ANY(%s)""" + (" AND c.category = ANY(%s)" if wanted else "") + """
        GROUP BY c.category, p.slug"""
    params: list[Any] = [list(PUBLIC_STATUSES)] + ([wanted] if wanted else [])
    out: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for category, slug, n in cursor.fetchall():
            out.setdefault(category, {})[slug] = n
    return out


def missing_links(missing: dict[str, list[str]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each partner and each category it lacks, the other partners that have
    published practices on it: ``{"partner", "count", "url"}``, most first. The planner's
    API and CSV show them beside its tables (``planner.links``)."""
    counts = practice_counts({c for cats in missing.values() for c in cats})
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for slug, cats in missing.items():
        out[slug] = {}
        for cat in cats:
            others = sorted(((n, other) for other, n in counts.get(cat, {}).items()
                             if other != slug), key=lambda t: (-t[0], t[1]))
            if others:
                out[slug][cat] = [{"partner": other, "count": n,
                                   "url": practices_url(cat, other)} for n, other in others]
    return out


@dataclass
class OthersOnCategory:
    """A category the partner lacks, and the other partners' practices on it."""

    category: str
    label: str
    by_partner: list[dict[str, Any]]  # {"partner", "name", "count", "url"}
    practices: list[dict[str, Any]]  # practice_properties


@dataclass
class OthersOnGap:
    """A large gap of the partner, and the practices of others in a comparable setting."""

    gap: Gap
    practices: list[dict[str, Any]]  # practice_properties + "setting_km2"


@dataclass
class Strategy:
    partner: Partner
    row: AreaStats | None  # the partner's row of today's standard analysis
    radius_km: float
    large_km2: float
    categories: list[OthersOnCategory] = field(default_factory=list)
    gaps: list[OthersOnGap] = field(default_factory=list)
    large_gaps: int = 0
    own: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unanswered(self) -> list[OthersOnCategory]:
        """The categories it lacks on which no other partner has a practice yet."""
        return [c for c in self.categories if not c.by_partner]

    # The transfers in and out of the partner (``transfers_of``).
    transfers: dict[str, list[dict[str, Any]]] | None = None


def _published_others(partner: Partner) -> Any:
    return (GoodPractice.objects.filter(status__in=PUBLIC_STATUSES)
            .exclude(partner=partner).select_related("partner"))


def _settings(partner: Partner, query: CoverageQuery, lang: str) -> dict[int, float]:
    """Published practices of the other partners in or within R of a large gap of their
    own territory: practice id -> that gap's area (km²; the largest, if several)."""
    others = tuple(sorted(Partner.objects.exclude(pk=partner.pk).values_list("slug",
                                                                             flat=True)))
    if not others:
        return {}
    large = large_gap_km2(query.radius_km)
    found = planner.coverage_gaps(CoverageQuery(partners=others, radius_km=query.radius_km),
                                  lang, geometry=True)
    gaps = [g for g in found.gaps if g.area_km2 >= large and g.geometry]
    if not gaps:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH gap AS (
                SELECT t.partner, t.area_km2,
                       ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(t.g), {WGS84}),
                                    {LAEA_EUROPE}) AS g
                FROM unnest(%s::text[], %s::float8[], %s::text[]) AS t(partner, area_km2, g)
            )
            SELECT x.id, max(gap.area_km2)
            FROM exchange_goodpractice x
            JOIN layers_partner p ON p.id = x.partner_id
            JOIN gap ON gap.partner = p.slug
                 AND ST_DWithin(ST_Transform(x.geom, {LAEA_EUROPE}), gap.g, %s)
            WHERE x.status = ANY(%s) AND x.geom IS NOT NULL AND x.partner_id <> %s
            GROUP BY x.id""",
            [[g.partner for g in gaps], [g.area_km2 for g in gaps],
             [json.dumps(g.geometry) for g in gaps], query.radius_m, list(PUBLIC_STATUSES),
             partner.pk])
        return dict(cursor.fetchall())


def gap_answers(partner: Partner, gaps: list[Gap], query: CoverageQuery, *, lang: str,
                user: rules.AnyUser) -> list[OthersOnGap]:
    """For each of ``gaps`` (the partner's large ones), the comparable practices."""
    if not gaps:
        return []
    settings = _settings(partner, query, lang)
    practices = {p.pk: p for p in _published_others(partner).filter(pk__in=settings)}
    out = []
    for gap in gaps:
        near = [(abs(math.log(settings[pk] / gap.area_km2)), pk) for pk in practices
                if gap.area_km2 / SIZE_FACTOR <= settings[pk] <= gap.area_km2 * SIZE_FACTOR]
        chosen = [pk for _, pk in sorted(near)[:PRACTICES_PER_GAP]]
        out.append(OthersOnGap(gap=gap, practices=[
            {**practice_properties(practices[pk], lang=lang, user=user),
             "setting_km2": settings[pk]} for pk in chosen]))
    return out


def category_answers(partner: Partner, missing: list[str], *, lang: str,
                     user: rules.AnyUser) -> list[OthersOnCategory]:
    """For each category the partner lacks, the other partners' practices on it."""
    if not missing:
        return []
    names = {p.slug: str(p) for p in Partner.objects.all()}
    links = missing_links({partner.slug: missing}).get(partner.slug, {})
    rows = list(_published_others(partner).filter(categories__overlap=missing)
                .order_by("-published_at", "id"))
    out = []
    for cat in missing:
        out.append(OthersOnCategory(
            category=cat, label=str(Category(cat).label),
            by_partner=[{**link, "name": names.get(link["partner"], link["partner"])}
                        for link in links.get(cat, [])],
            practices=[practice_properties(p, lang=lang, user=user) for p in rows
                       if cat in p.categories]))
    return out


def transfers_of(partner: Partner, *, lang: str,
                 user: rules.AnyUser) -> dict[str, list[dict[str, Any]]]:
    """The transfers of the practices ``user`` may see that ``partner`` takes from others
    (``in``) and that others take from it (``out``), newest first."""
    rows = (exchange_models.Transfer.objects.filter(practice__in=rules.visible(user))
            .filter(Q(partner=partner) | Q(practice__partner=partner))
            .select_related("practice", "practice__partner", "partner")
            .order_by("-updated_at", "id"))
    out: dict[str, list[dict[str, Any]]] = {"in": [], "out": []}
    with translation.override(lang):
        for t in rows:
            out["in" if t.partner_id == partner.pk else "out"].append({
                "url": f"/practices/transfers/{t.uid}/", "status": t.status,
                "status_label": str(t.get_status_display()),
                "practice": practice_properties(t.practice, lang=lang, user=user),
                "from": str(t.practice.partner), "to": str(t.partner)})
    return out


def strategy(partner: Partner, *, lang: str, user: rules.AnyUser) -> Strategy:
    """Everything the strategy page shows of ``partner`` but its indicators' series."""
    query = CoverageQuery()
    # Every partner: what one lacks is what the others have. The standard question also
    # keeps today's snapshot of the indicators (planner.services).
    coverage = planner.analyse(query, lang)
    row = next((a for a in coverage.partners if a.key == partner.slug), None)
    large = large_gap_km2(query.radius_km)
    large_gaps = [g for g in coverage.gaps if g.partner == partner.slug
                  and g.area_km2 >= large]
    own = (GoodPractice.objects.filter(partner=partner, status__in=PUBLIC_STATUSES)
           .select_related("partner").order_by("-published_at", "id"))
    return Strategy(
        partner=partner, row=row, radius_km=query.radius_km, large_km2=large,
        categories=category_answers(partner, row.missing_categories if row else [],
                                    lang=lang, user=user),
        gaps=gap_answers(partner, large_gaps[:GAPS_SHOWN], query, lang=lang, user=user),
        large_gaps=len(large_gaps),
        own=[practice_properties(p, lang=lang, user=user) for p in own],
        transfers=transfers_of(partner, lang=lang, user=user))
