"""A layer's metadata record: what the platform knows of the layer, read each time from
the layer, its features' kept count, extent and dates (``LayerStatistics``, kept by
triggers in the writing transaction) and its import history, and what its partner wrote
in its ``LayerMetadata`` (keywords, update frequency, contact)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection

from geo.i18n import LANGUAGE_CODES, fallback_chain
from geo.params import BBox
from layers.metadata.lineage import LineageStep, lineage
from layers.permissions import member_partners
from layers.search import q_condition
from layers.vocabulary import LayerKind, UpdateFrequency, Visibility


@dataclass
class Record:
    """One layer's record. Texts are by language code (empty ones left out)."""

    slug: str
    kind: str  # LayerKind: "attractions", "trails"
    visibility: str
    partner: str  # its slug
    partner_names: dict[str, str]
    partner_website: str
    partner_country: str
    languages: list[str]  # the partner's content languages, main first
    titles: dict[str, str]
    abstracts: dict[str, str]
    keywords: dict[str, list[str]]
    licence: str
    source: str
    update_frequency: str
    contact_name: str
    contact_email: str
    feature_count: int
    bbox: list[float] | None  # [west, south, east, north], degrees
    first_feature: datetime | None
    created: datetime
    updated: datetime  # the last change: of the layer, its record or a feature
    lineage: list[LineageStep] = field(default_factory=list)

    def text(self, texts: dict[str, str], lang: str) -> str:
        """A translated text in ``lang`` with the fallback chain."""
        return next((texts[c] for c in fallback_chain(lang) if texts.get(c)), "")

    def title(self, lang: str) -> str:
        return self.text(self.titles, lang) or self.slug

    def abstract(self, lang: str) -> str:
        return self.text(self.abstracts, lang)

    def partner_name(self, lang: str) -> str:
        return self.text(self.partner_names, lang) or self.partner

    def all_keywords(self) -> list[tuple[str, str]]:
        """(language, keyword) of every language, in order, without repeats."""
        seen: dict[tuple[str, str], None] = {}
        for code in LANGUAGE_CODES:
            for word in self.keywords.get(code, []):
                seen[(code, word)] = None
        return list(seen)

    @property
    def feature_kind(self) -> str:
        return "attraction" if self.kind == LayerKind.ATTRACTIONS else "trail"


def _texts(row: dict[str, Any], field_name: str) -> dict[str, str]:
    return {c: v for c in LANGUAGE_CODES if (v := (row.get(f"{field_name}_{c}") or "").strip())}


def _keywords(row: dict[str, Any]) -> dict[str, list[str]]:
    out = {}
    for code in LANGUAGE_CODES:
        words = [w.strip() for w in (row.get(f"keywords_{code}") or "").split(",")]
        if words := list(dict.fromkeys(w for w in words if w)):
            out[code] = words
    return out


def _features_sql() -> str:
    """Count, extent and dates of each layer's current features, of every layered kind, as
    kept (``LayerStatistics``): a record costs the same whatever the layer's size."""
    return """SELECT layer_id, sum(feature_count)::bigint AS n,
                     ST_MakeBox2D(ST_Point(min(west), min(south)),
                                  ST_Point(max(east), max(north))) AS e,
                     min(first_created) AS first, max(last_updated) AS last
              FROM layers_layerstatistics WHERE layer_id = ANY(%(ids)s)
              GROUP BY layer_id HAVING sum(feature_count) > 0"""


LAYER_COLUMNS = ", ".join(
    [*(f"l.title_{c}, l.description_{c}, m.keywords_{c}, p.name_{c}" for c in LANGUAGE_CODES)])


def _select(where: str, params: dict[str, Any], *, limit: int | None = None,
            offset: int = 0) -> tuple[list[Record], int]:
    sql = f"""
        SELECT l.id, l.slug, l.kind, l.visibility, l.licence, l.source, l.created_at,
               l.updated_at, p.slug AS partner, p.website, p.country, p.languages,
               m.update_frequency, m.contact_name, m.contact_email,
               m.updated_at AS record_updated_at, {LAYER_COLUMNS},
               count(*) OVER () AS total
        FROM layers_layer l
        JOIN layers_partner p ON p.id = l.partner_id
        LEFT JOIN layers_layermetadata m ON m.layer_id = l.id
        WHERE {where}
        ORDER BY p.slug, l.slug
        LIMIT %(limit)s OFFSET %(offset)s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "limit": limit, "offset": offset})
        names = [c.name for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        if not rows:
            if offset:  # past the last page: count what there is
                cursor.execute(f"""SELECT count(*) FROM layers_layer l
                    JOIN layers_partner p ON p.id = l.partner_id
                    LEFT JOIN layers_layermetadata m ON m.layer_id = l.id WHERE {where}""",
                               params)
                return [], cursor.fetchone()[0]
            return [], 0
        ids = [r["id"] for r in rows]
        cursor.execute(f"""SELECT layer_id, n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e),
                                  first, last FROM ({_features_sql()}) f""", {"ids": ids})
        features = {r[0]: r[1:] for r in cursor.fetchall()}
    steps = lineage(ids)
    out = []
    for row in rows:
        n, *box, first, last = features.get(row["id"], (0, None, None, None, None, None, None))
        changes = [d for d in (row["updated_at"], row["record_updated_at"], last) if d]
        out.append(Record(
            slug=row["slug"], kind=row["kind"], visibility=row["visibility"],
            partner=row["partner"], partner_names=_texts(row, "name"),
            partner_website=row["website"] or "", partner_country=row["country"],
            languages=list(row["languages"] or []), titles=_texts(row, "title"),
            abstracts=_texts(row, "description"), keywords=_keywords(row),
            licence=row["licence"].strip(), source=row["source"].strip(),
            update_frequency=row["update_frequency"] or UpdateFrequency.UNKNOWN,
            contact_name=row["contact_name"] or "", contact_email=row["contact_email"] or "",
            feature_count=n,
            bbox=[round(v, 6) for v in box] if box[0] is not None else None,
            first_feature=first, created=row["created_at"], updated=max(changes),
            lineage=steps.get(row["id"], [])))
    return out, rows[0]["total"]


SEARCHED = "atlas_latin(concat_ws(' ', " + ", ".join(
    f"l.title_{c}, l.description_{c}, m.keywords_{c}" for c in LANGUAGE_CODES) + "))"


def public_records(*, q: list[str] | None = None, bbox: BBox | None = None, limit: int,
                   offset: int = 0) -> tuple[list[Record], int]:
    """The records of the public layers, a page of them, and how many there are.

    ``q``: terms, any of which the title, abstract or keywords hold in any language
    (each of a term's words starting a word, folded across scripts as the site's search
    is: "Larisa" finds Λάρισα); ``bbox``: [west, south, east, north] that the layer's
    extent meets (a box across the antimeridian is two)."""
    where = [f"l.visibility = '{Visibility.PUBLIC}'"]
    params: dict[str, Any] = {}
    if q:
        alternatives = []
        for i, term in enumerate(q):
            params[f"q{i}"] = term
            alternatives.append(q_condition(SEARCHED).replace("%s", f"%(q{i})s"))
        where.append("(" + " OR ".join(alternatives) + ")")
    if bbox is not None:
        west, south, east, north = bbox
        boxes = ([(west, south, 180.0, north), (-180.0, south, east, north)] if west > east
                 else [(west, south, east, north)])
        extent = ("(SELECT ST_MakeEnvelope(min(s.west), min(s.south), max(s.east), "
                  "max(s.north), 4326) FROM layers_layerstatistics s "
                  "WHERE s.layer_id = l.id AND s.feature_count > 0)")
        tests = []
        for i, box in enumerate(boxes):
            params.update({f"b{i}_{j}": v for j, v in enumerate(box)})
            tests.append(f"{extent}::geometry && ST_MakeEnvelope(%(b{i}_0)s, %(b{i}_1)s, "
                         f"%(b{i}_2)s, %(b{i}_3)s, 4326)")
        where.append("(" + " OR ".join(tests) + ")")
    return _select(" AND ".join(where), params, limit=limit, offset=offset)


def may_see(user: User | AnonymousUser, *, visibility: str, partner: str) -> bool:
    """Whether ``user`` sees a layer's record: a public layer's, everyone; a layer for
    partners only, the partners' people; a private one, its own partner's people."""
    if visibility == Visibility.PUBLIC:
        return True
    mine = member_partners(user)
    if visibility == Visibility.PARTNERS:
        return mine.exists()
    return mine.filter(slug=partner).exists()


def record_of(slug: str, user: User | AnonymousUser) -> Record | None:
    """The record of layer ``slug`` if ``user`` sees it (else None, as if there were none)."""
    found, _total = _select("l.slug = %(slug)s", {"slug": slug}, limit=1)
    if not found or not may_see(user, visibility=found[0].visibility,
                                partner=found[0].partner):
        return None
    return found[0]
