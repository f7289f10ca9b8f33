"""Reads of transfers, study visits and attachments, as the API and the pages show them."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import translation

from exchange import rules
from exchange.evidence import planner_source
from exchange.models import StudyVisit, Transfer, TransferIndicator, VisitPlace
from exchange.params import TransferFilters, VisitFilters
from exchange.selectors import practice_properties
from exchange.transfers import is_evidence_in_territory
from exchange.vocabulary import PlannerMeasure
from media.models import MediaItem
from media.selectors import media_of


def transfers(*, user: rules.AnyUser, filters: TransferFilters) -> QuerySet[Transfer]:
    """The transfers ``user`` may see (those of the practices they may see)."""
    qs = Transfer.objects.filter(practice__in=rules.visible(user)).select_related(
        "practice", "practice__partner", "partner")
    if filters.practice:
        qs = qs.filter(practice__uid=filters.practice)
    if filters.partner:
        qs = qs.filter(partner__slug__in=filters.partner)
    if filters.source:
        qs = qs.filter(practice__partner__slug__in=filters.source)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    return qs.order_by("-updated_at", "id")


def planner_note(row: TransferIndicator) -> dict[str, Any] | None:
    """How a planner-measured row's values are taken: the planner's indicator for the
    row's territory, at (the snapshot nearest before) each of the row's dates."""
    if not row.measure:
        return None
    return {"measure": row.measure, "label": str(PlannerMeasure(row.measure).label),
            "territory": row.territory.slug,
            "at": [d.isoformat() if d else None for d in (row.date_before, row.date_after)],
            "how": "the values are the planner's for the territory, taken from its "
                   "analysis snapshot on or before each date given; the dates are the "
                   "snapshots' own"}


def transfer_summary(transfer: Transfer, *, lang: str, user: rules.AnyUser) -> dict[str, Any]:
    with translation.override(lang):
        title = transfer.practice.title or str(transfer.practice.uid)
        return {
            "id": str(transfer.uid), "url": f"/practices/transfers/{transfer.uid}/",
            "status": transfer.status,
            "partner": transfer.partner.slug, "partner_name": str(transfer.partner),
            "practice": {"id": str(transfer.practice.uid), "title": title,
                         "partner": transfer.practice.partner.slug,
                         "partner_name": str(transfer.practice.partner),
                         "url": f"/practices/{transfer.practice.uid}/"},
            "created_at": transfer.created_at.isoformat(),
            "updated_at": transfer.updated_at.isoformat(),
            "demo": transfer.demo,
        }


def transfer_detail(transfer: Transfer, *, lang: str, user: rules.AnyUser) -> dict[str, Any]:
    out = transfer_summary(transfer, lang=lang, user=user)
    signed_in = rules.is_active_user(user)
    out["plan"] = transfer.plan
    out["reason"] = transfer.reason or None
    out["steps"] = [{"kind": s.kind, "title": s.title,
                     "due": s.due.isoformat() if s.due else None,
                     "done": s.done.isoformat() if s.done else None,
                     # Names of people, as a practice's contact: for signed-in users.
                     "people": s.people if signed_in else None}
                    for s in transfer.steps.all()]
    rows = list(transfer.indicators.select_related("territory"))
    with translation.override(lang):
        out["indicators"] = [
            {"name": i.name, "territory": i.territory.slug, "territory_name": str(i.territory),
             "measure": i.measure or None, "unit": i.unit, "value_before": i.value_before,
             "value_after": i.value_after,
             "date_before": i.date_before.isoformat() if i.date_before else None,
             "date_after": i.date_after.isoformat() if i.date_after else None,
             "source": (planner_source(measure=i.measure, date_before=i.date_before,
                                       date_after=i.date_after) if i.measure else i.source),
             "in_territory": is_evidence_in_territory(i, transfer),
             "planner": planner_note(i)} for i in rows]
    out["history"] = [{"at": e.at.isoformat(), "by": e.actor_name if signed_in else None,
                       "partner": e.partner.slug if e.partner else None,
                       "from": e.from_status or None, "to": e.to_status, "comment": e.comment}
                      for e in transfer.events.select_related("partner").order_by("at", "id")]
    return out


def visits(*, filters: VisitFilters) -> QuerySet[StudyVisit]:
    qs = StudyVisit.objects.select_related("host").prefetch_related("visitors")
    if filters.host:
        qs = qs.filter(host__slug__in=filters.host)
    if filters.visitor:
        qs = qs.filter(visitors__slug__in=filters.visitor).distinct()
    return qs.order_by("-start", "id")


def visit_summary(visit: StudyVisit, *, lang: str) -> dict[str, Any]:
    with translation.override(lang):
        return {"id": str(visit.uid), "url": f"/practices/visits/{visit.uid}/",
                "title": visit.title, "host": visit.host.slug, "host_name": str(visit.host),
                "visitors": [{"slug": p.slug, "name": str(p)} for p in visit.visitors.all()],
                "start": visit.start.isoformat(), "end": visit.end.isoformat(),
                "demo": visit.demo}


def _visit_geometries(visit: StudyVisit) -> dict[int, dict]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT vp.id, ST_AsGeoJSON(ST_Force2D(COALESCE(vp.drawn, a.location,
                     COALESCE(t.display_geom, t.geom), r.geom)), 6)
            FROM exchange_visitplace vp
            LEFT JOIN layers_attraction a ON a.id = vp.attraction_id
            LEFT JOIN layers_trail t ON t.id = vp.trail_id
            LEFT JOIN routes_pilotroute r ON r.id = vp.route_id
            WHERE vp.visit_id = %s""", [visit.pk])
        return {pk: json.loads(g) for pk, g in cursor.fetchall() if g}


def _visit_place(p: VisitPlace, geometry: dict | None) -> dict[str, Any]:
    ref: dict[str, str | None]
    if p.attraction is not None:
        ref = {"type": "attraction", "ref": str(p.attraction.uid), "name": str(p.attraction),
               "url": f"/attractions/{p.attraction.uid}/"}
    elif p.trail is not None:
        ref = {"type": "trail", "ref": str(p.trail.uid), "name": str(p.trail),
               "url": f"/trails/{p.trail.uid}/"}
    elif p.route is not None:
        ref = {"type": "route", "ref": p.route.slug, "name": str(p.route),
               "url": f"/routes/{p.route.slug}/"}
    else:
        ref = {"type": "drawn", "ref": None, "name": p.label, "url": None}
    return {**ref, "label": p.label, "geometry": geometry}


def visit_detail(visit: StudyVisit, *, lang: str, user: rules.AnyUser) -> dict[str, Any]:
    out = visit_summary(visit, lang=lang)
    out["notes"] = visit.notes
    geoms = _visit_geometries(visit)
    with translation.override(lang):
        out["places"] = [_visit_place(p, geoms.get(p.pk)) for p in
                         visit.places.select_related("attraction", "trail", "route")]
    seen = rules.visible(user).filter(pk__in=visit.practices.values("pk")).select_related(
        "partner")
    out["practices"] = [practice_properties(p, lang=lang, user=user) for p in seen]
    out["attachments"] = attachments(visit, lang=lang)
    return out


def attachment_card(item: MediaItem) -> dict[str, Any]:
    """What a page or the API shows of an attachment: a document as a download, an image
    with its thumbnails."""
    return {"uid": str(item.uid), "kind": item.kind, "url": item.url(),
            "mime_type": item.mime_type, "filename": item.filename,
            "size_bytes": item.size_bytes, "caption": item.caption or "",
            "author": item.author, "licence": item.licence,
            "licence_label": str(item.get_licence_display()),
            "thumbnail": item.url("160") if "160" in item.renditions else None,
            "sizes": {side: item.url(side) for side in item.renditions}}


def attachments(owner: Any, *, lang: str) -> list[dict[str, Any]]:
    with translation.override(lang):
        return [attachment_card(item) for item in media_of(owner)]
