"""A partner's indicators over time: the measured ones (the analysis's snapshots) and
the ones its members entered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from planner.models import EnteredIndicator, IndicatorSnapshot


def _public(qs: QuerySet[Any], sandboxes: Iterable[int] | None) -> QuerySet[Any]:
    """Without the training partners but ``sandboxes`` (whose figures are not the
    public's, docs/users/training.md)."""
    if sandboxes is None:
        return qs
    return qs.filter(Q(partner__sandbox=False) | Q(partner_id__in=list(sandboxes)))


def entered_indicators(*, partners: Iterable[str] = (), indicators: Iterable[str] = (),
                       sandboxes: Iterable[int] | None = None) -> QuerySet[EnteredIndicator]:
    """The entered values, by partner, indicator and date (oldest first). ``sandboxes``:
    the training partners (ids) to include; None includes them all."""
    qs = _public(EnteredIndicator.objects.select_related("partner"), sandboxes)
    partners, indicators = list(partners), list(indicators)
    if partners:
        qs = qs.filter(partner__slug__in=partners)
    if indicators:
        qs = qs.filter(indicator__in=indicators)
    return qs.order_by("partner__slug", "indicator", "label", "date", "id")


def indicator_snapshots(*, partners: Iterable[str] = (),
                        sandboxes: Iterable[int] | None = None) -> QuerySet[IndicatorSnapshot]:
    """The measured snapshots, by partner and date (oldest first); ``sandboxes`` as
    ``entered_indicators``'."""
    qs = _public(IndicatorSnapshot.objects.select_related("partner"), sandboxes)
    partners = list(partners)
    if partners:
        qs = qs.filter(partner__slug__in=partners)
    return qs.order_by("partner__slug", "taken_on")


def snapshot_on(*, partner: str, day: date) -> IndicatorSnapshot | None:
    """The partner's measured indicators as they stood on ``day``: its snapshot of that
    day, or else the last one before it (None before the first). What a practice's or a
    transfer's evidence takes "from the planner at a date"."""
    return (IndicatorSnapshot.objects.filter(partner__slug=partner, taken_on__lte=day)
            .order_by("-taken_on").first())
