"""The coverage analysis, in PostGIS: what lies within reach, where the gaps are, how
the partners compare.

Areas, buffers and gaps are computed in EPSG:3035 (LAEA Europe, equal-area), trail
lengths on the WGS 84 spheroid. An *area* is a partner's territory or one of its
sub-areas (the polygons of its sub-area layer, ``coverage.models``), clipped to the
territory. Attractions count where they are, whoever published them: public, current,
and not part of a sub-area layer.

- ``statistics``: attractions by category, densities, trail km, published routes;
- ``reach``: the share within R km and the gaps beyond it (the method is there);
- ``transit``: the places to start from reachable without a car (a walk from a stop with
  weekend service);
- ``analyse`` puts them together with the categories each partner lacks, and keeps the
  partners' rows of the standard question as their indicators of the day
  (``planner.services.indicator_snapshots_take``).
"""

from __future__ import annotations

from planner import services
from planner.params import CoverageQuery
from planner.selectors.indicators import entered_indicators, indicator_snapshots, snapshot_on
from planner.selectors.reach import DISC_FACTOR, QUAD_SEGS, coverage_gaps, smallest_gap_m2
from planner.selectors.results import AreaStats, Coverage, Gap, Gaps
from planner.selectors.statistics import area_statistics, category_counts, missing_categories
from planner.selectors.transit import WALK_M, without_car

__all__ = ["DISC_FACTOR", "QUAD_SEGS", "WALK_M", "AreaStats", "Coverage", "Gap", "Gaps",
           "analyse", "area_statistics", "category_counts", "coverage_gaps",
           "entered_indicators", "indicator_snapshots", "missing_categories",
           "smallest_gap_m2", "snapshot_on", "without_car"]


def analyse(query: CoverageQuery, lang: str, *, geometry: bool = False) -> Coverage:
    """The whole analysis: statistics per area, the gaps, and the partners compared."""
    areas = area_statistics(query, lang, geometry=geometry)
    reach_without_car = without_car(query, lang)
    for a in areas:
        w = reach_without_car.get(a.key)
        if w is not None:
            a.start_places, a.start_places_without_car = w.sites, w.reachable
    found = coverage_gaps(query, lang)
    gaps, gap_km2 = found.gaps, found.gap_km2
    # The categories of every partner, to tell what the analysed ones lack; asked for
    # all of them, the statistics have counted them already.
    all_partners = (category_counts(query) if query.partners else
                    {a.key: a.by_category for a in areas if a.level == "partner"})
    for slug in {a.partner for a in areas}:
        all_partners.setdefault(slug, {})
    missing = missing_categories(all_partners)
    gap_count: dict[str, int] = {}
    for g in gaps:
        gap_count[g.partner] = gap_count.get(g.partner, 0) + 1
        for s in g.touches:
            gap_count[s["key"]] = gap_count.get(s["key"], 0) + 1
    for a in areas:
        a.gap_km2 = min(a.area_km2, gap_km2.get(a.key, 0.0))
        a.gaps = gap_count.get(a.key, 0)
        if a.level == "partner":
            a.missing_categories = missing.get(a.key, [])
    totals: dict[str, int] = {}
    for a in areas:
        if a.level == "partner":
            for c, n in a.by_category.items():
                totals[c] = totals.get(c, 0) + n
    categories = sorted(totals, key=lambda c: (-totals[c], c))
    if services.is_standard(query):
        services.indicator_snapshots_take(areas=areas, radius_km=query.radius_km)
    return Coverage(query=query, areas=areas, gaps=gaps, categories=categories)
