"""Reads of the exchange: the practices a user may see, filtered, and each as the API and
the pages show it (texts in the asked language with the fallback chain)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation

from exchange import moderation, rules
from exchange.evidence import planner_source
from exchange.models import GoodPractice, PracticePlace, Transfer
from exchange.params import PracticeFilters
from exchange.vocabulary import (
    PUBLIC_STATUSES,
    TRANSLATED_TEXTS,
    EndorsementKind,
    PlannerMeasure,
)
from geo.crs import WGS84
from geo.i18n import LANGUAGE_CODES
from layers.permissions import member_partners
from layers.search_query import known_words, parse_text_query, text_conditions, text_score


def practices(*, user: rules.AnyUser, filters: PracticeFilters) -> QuerySet[GoodPractice]:
    """The practices ``user`` may see that match ``filters``: the public ones unless the
    filters ask for other states (which only those who may see them get)."""
    qs = rules.visible(user).select_related("partner")
    qs = qs.filter(status__in=filters.status or PUBLIC_STATUSES)
    if filters.partner:
        qs = qs.filter(partner__slug__in=filters.partner)
    if filters.theme:
        qs = qs.filter(themes__overlap=filters.theme)
    if filters.category:
        qs = qs.filter(categories__overlap=filters.category)
    if filters.kind:
        qs = qs.filter(kind__in=filters.kind)
    if filters.origin:
        qs = qs.filter(origin__in=filters.origin)
    if filters.has_transfers is not None:
        with_transfers = Exists(Transfer.objects.filter(practice=OuterRef("pk")))
        qs = qs.filter(with_transfers if filters.has_transfers else ~with_transfers)
    if filters.bbox:
        qs = qs.filter(geom__intersects=Polygon.from_bbox(filters.bbox))
    if filters.q:
        return _searched(qs, filters.q)
    return qs.order_by("-published_at", "-updated_at", "id")


def _searched(qs: QuerySet[GoodPractice], q: str) -> QuerySet[GoodPractice]:
    """``qs`` narrowed to ``q`` as the explorer and the routes read it
    (layers/search_query.py: a word's start in any script, a category word, and a typo
    or another transliteration by trigrams), the closer matches first."""
    # A word counts as known only if a practice the other filters keep has it exactly:
    # else a typo would be looked for exactly, among practices it cannot find.
    kept_sql, kept_params = qs.values("id").query.sql_with_params()
    query = known_words(parse_text_query(q), source="exchange_goodpractice p",
                        where=f"p.id IN ({kept_sql})", where_params=list(kept_params),
                        search="p.search", category="")
    params: list = []
    where = text_conditions(query, search="exchange_goodpractice.search", category="",
                            geom="exchange_goodpractice.geom", params=params)
    ranked: list = []
    score = text_score(query, search="exchange_goodpractice.search", category="",
                       params=ranked)
    return qs.extra(select={"q_score": score}, select_params=ranked, where=[where],
                    params=params).order_by("q_score", "-published_at", "-updated_at", "id")


def _texts(practice: GoodPractice, lang: str) -> dict[str, str]:
    with translation.override(lang):
        # modeltranslation's fallback: the asked language, then English and the others.
        return {name: getattr(practice, name) or "" for name in TRANSLATED_TEXTS}


def practice_properties(practice: GoodPractice, *, lang: str,
                        user: rules.AnyUser) -> dict[str, Any]:
    """What a list shows of a practice (the API's feature properties)."""
    texts = _texts(practice, lang)
    return {
        "id": str(practice.uid), "kind": "practice", "practice_kind": practice.kind,
        "partner": practice.partner.slug, "partner_name": str(practice.partner),
        "title": texts["title"], "summary": texts["summary"],
        "titles": {c: getattr(practice, f"title_{c}") or None for c in LANGUAGE_CODES},
        "text_status": practice.text_status,
        "themes": practice.themes, "categories": practice.categories,
        "origin": practice.origin, "status": practice.status,
        "period_start": practice.period_start.isoformat() if practice.period_start else None,
        "period_end": practice.period_end.isoformat() if practice.period_end else None,
        "published_at": practice.published_at.isoformat() if practice.published_at else None,
        "updated_at": practice.updated_at.isoformat(),
        "demo": practice.demo, "url": f"/practices/{practice.uid}/",
    }


def _place_geometries(practice: GoodPractice) -> dict[int, dict]:
    """Place id -> its whole geometry as GeoJSON (a long trail as the display draws it)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT pp.id, ST_AsGeoJSON(ST_Force2D(COALESCE(pp.drawn, a.location,
                     COALESCE(t.display_geom, t.geom), r.geom)), 6)
            FROM exchange_practiceplace pp
            LEFT JOIN layers_attraction a ON a.id = pp.attraction_id
            LEFT JOIN layers_trail t ON t.id = pp.trail_id
            LEFT JOIN routes_pilotroute r ON r.id = pp.route_id
            WHERE pp.practice_id = %s""", [practice.pk])
        return {pk: json.loads(g) for pk, g in cursor.fetchall() if g}


def places(practice: GoodPractice, *, lang: str) -> list[dict[str, Any]]:
    """The practice's places: what each is, its name and link, and its whole geometry."""
    geoms = _place_geometries(practice)
    out = []
    rows = practice.places.select_related("attraction", "trail", "route").order_by("order", "id")
    with translation.override(lang):
        for p in rows:
            out.append(_place(p, geoms.get(p.pk)))
    return out


def _place(p: PracticePlace, geometry: dict | None) -> dict[str, Any]:
    ref: dict[str, str | None]
    if p.attraction is not None:
        ref = {"type": "attraction", "ref": str(p.attraction.uid),
               "name": str(p.attraction), "url": f"/attractions/{p.attraction.uid}/"}
    elif p.trail is not None:
        ref = {"type": "trail", "ref": str(p.trail.uid), "name": str(p.trail),
               "url": f"/trails/{p.trail.uid}/"}
    elif p.route is not None:
        ref = {"type": "route", "ref": p.route.slug, "name": str(p.route),
               "url": f"/routes/{p.route.slug}/"}
    else:
        ref = {"type": "drawn", "ref": None, "name": p.label, "url": None}
    return {**ref, "label": p.label, "geometry": geometry}


def practice_detail(practice: GoodPractice, *, lang: str,
                    user: rules.AnyUser) -> dict[str, Any]:
    """Everything about a practice that ``user`` may see."""
    out = practice_properties(practice, lang=lang, user=user)
    out.update(_texts(practice, lang))
    out["texts"] = {c: {n: getattr(practice, f"{n}_{c}") or "" for n in TRANSLATED_TEXTS}
                    for c in LANGUAGE_CODES}
    out["source"] = ({"organisation": practice.source_organisation,
                      "country": practice.source_country, "url": practice.source_url,
                      "licence": practice.source_licence}
                     if practice.origin == "external" else None)
    with translation.override(lang):
        out["indicators"] = [
            {"name": i.name, "measure": i.measure or None,
             # The planner's name of what it measured, in the reader's language.
             "measure_label": (str(PlannerMeasure(i.measure).label)
                               if i.measure in PlannerMeasure.values else None),
             "unit": i.unit,
             "value_before": i.value_before, "value_after": i.value_after,
             "date_before": i.date_before.isoformat() if i.date_before else None,
             "date_after": i.date_after.isoformat() if i.date_after else None,
             "source": (planner_source(measure=i.measure, date_before=i.date_before,
                                       date_after=i.date_after) if i.measure else i.source)}
            for i in practice.indicators.all()]
    out["places"] = places(practice, lang=lang)
    out["contact"] = ({"name": practice.contact_name, "email": practice.contact_email,
                       "phone": practice.contact_phone}
                      if rules.may_see_contact(user) else None)
    out["history"] = (history(practice) if may_read_history(user, practice) else None)
    out["endorsements"] = endorsements(practice)
    out["questions"] = (threads(practice, user=user)
                        if rules.is_active_user(user) and member_partners(user).exists()
                        else None)
    out["questions_count"] = practice.questions.filter(hidden_at__isnull=True).count()
    return out


def endorsements(practice: GoodPractice) -> dict[str, dict[str, Any]]:
    """Kind -> its count and the partners who gave it (their slugs)."""
    out: dict[str, dict[str, Any]] = {k.value: {"count": 0, "partners": []}
                                      for k in EndorsementKind}
    # A hidden endorsement counts for no one (exchange.moderation).
    for kind, slug in (practice.endorsements.filter(hidden_at__isnull=True)
                       .order_by("kind", "partner__slug")
                       .values_list("kind", "partner__slug")):
        out[kind]["count"] += 1
        out[kind]["partners"].append(slug)
    return out


def threads(practice: GoodPractice, *, user: rules.AnyUser | None = None
            ) -> list[dict[str, Any]]:
    """The questions, each with its answers (and theirs), oldest first. The discussion
    is the partners': their members read it. A hidden message (and what answers it) is
    left out but for the moderators who may show it again (``hidden`` then says who hid
    it and why; ``moderate``: whether ``user`` may hide or show it)."""
    rows = list(practice.questions.select_related("partner", "practice__partner")
                .order_by("created_at", "id"))
    may = {q.pk: user is not None and moderation.may_hide(user, q) for q in rows} if (
        user is not None and moderation.is_moderator(user)) else {}
    rows = [q for q in rows if not q.hidden or may.get(q.pk)]
    nodes: dict[int, dict[str, Any]] = {q.pk: {"id": q.pk, "by": q.author_name,
                    "partner": q.partner.slug if q.partner else None,
                    "partner_name": str(q.partner) if q.partner else "",
                    "at": q.created_at.isoformat(), "text": q.text, "replies": [],
                    "moderate": bool(may.get(q.pk)),
                    "hidden": ({"by": q.hidden_by_name, "reason": q.hidden_reason,
                                "at": q.hidden_at.isoformat()} if q.hidden_at else None)}
             for q in rows}
    top: list[dict[str, Any]] = []
    for q in rows:
        if q.parent_id is None:
            top.append(nodes[q.pk])
        elif q.parent_id in nodes:
            nodes[q.parent_id]["replies"].append(nodes[q.pk])
        else:  # what answers a hidden message goes with it
            del nodes[q.pk]
    return top


def may_read_history(user: rules.AnyUser, practice: GoodPractice) -> bool:
    """The review's record (questions, requested changes) is the exchange's: for the
    partners' members and whoever may see the practice unpublished, not for visitors."""
    return (rules.is_active_user(user) and (member_partners(user).exists()
                                            or rules.is_superuser(user)))


def history(practice: GoodPractice) -> list[dict[str, Any]]:
    return [{"at": e.at.isoformat(), "by": e.actor_name,
             "partner": e.partner.slug if e.partner else None,
             "from": e.from_status or None, "to": e.to_status, "comment": e.comment}
            for e in practice.events.select_related("partner").order_by("at", "id")]


def geometry(practice: GoodPractice) -> dict | None:
    """The practice's points as GeoJSON (the regional layer's geometry), or None."""
    if practice.geom is None:
        return None
    geom = practice.geom.clone()
    geom.srid = WGS84
    return json.loads(geom.geojson)
