"""Pages of features as GeoJSON text, built by PostgreSQL for the rows of the page only."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import connection
from psycopg.abc import Buffer
from psycopg.adapt import Loader

from geo.i18n import LANGUAGE_CODES
from layers import registry
from layers.params import FeatureFilters
from layers.registry import FeatureKind
from layers.selectors.kinds import RFC7946, Output, bbox_overlaps, conditions, score
from layers.selectors.sql import json_object_text, translated
from layers.selectors.stored import stored_applies, stored_feature_sql


def _json_literal(value: object) -> tuple[str, bool]:
    """A constant as JSON text in SQL (for json_members)."""
    return "'" + json.dumps(value, ensure_ascii=False).replace("'", "''") + "'", True


def _page_feature_sql(kind: FeatureKind, lang: str, out: Output, near: bool,
                      stored: bool) -> tuple[str, str, str]:
    """SQL over ``x`` of one Feature of a page, and the columns and joins naming its
    partner and layer that it needs: from the text the row keeps when it may
    (layers/selectors/stored.py, which joins nothing), else built."""
    built = _feature_sql(kind, lang, out, near)
    if stored and stored_applies(kind, lang, out, near):
        return stored_feature_sql(lang, out, built), "", ""
    return built, kind.owners(), kind.joins()


def _feature_sql(kind: FeatureKind, lang: str, out: Output, near: bool) -> str:
    """SQL text of one GeoJSON Feature over ``x``: a row of the kind's table with
    ``partner_slug`` and ``layer_slug`` (layered kinds) and ``distance``."""
    nf = kind.name_field
    translations = [(code, f"NULLIF(x.{nf}_{code}, '')") for code in LANGUAGE_CODES]
    names = ([(f"name_{code}", expr) for code, expr in translations] if out.flat
             else [("names", (json_object_text(translations), True))])
    properties = [
        ("kind", _json_literal(kind.name)),
        ("partner", "x.partner_slug" if kind.layered else kind.partner_sql),
        ("layer", "x.layer_slug" if kind.layered else "NULL::text"),
        ("name", translated("x", kind.name_field, lang)),
        ("description", translated("x", kind.description_field, lang)),
        # To the millisecond: GDAL reads a fraction of a second at that precision, and
        # pyogrio (geopandas) refused a whole file whose ".9995" and above it rounded up
        # to a thousandth millisecond (1 feature in 2,000).
        *names, *kind.properties,
        ("updated_at", "date_trunc('milliseconds', x.updated_at)"),
        *([("distance_m", "round(x.distance::numeric, 1)")] if near else []),
    ]
    return ("""'{"type":"Feature","id":"' || x.uid || '","geometry":' || """
            f"COALESCE({out.geometry(kind.drawn() if out.display else f'x.{kind.geom}')}, "
            "'null') || "
            f"""',"properties":' || {json_object_text(properties)} || '}}'""")


SORT_TYPES = {"string": "text", "number": "numeric", "integer": "numeric",
              "boolean": "boolean", "timestamptz": "timestamptz"}
"""The PostgreSQL type a sort key of each JSON Schema type is compared as: every kind
gives the same type (or NULL of it) so that their rows sort together."""
SortKey = tuple[str, bool]  # (property, descending)


def sortable(kinds: list[str]) -> dict[str, str]:
    """The properties a page of ``kinds`` may be sorted by -> their JSON Schema type."""
    out = {"name": "string", "updated_at": "timestamptz", "id": "string", "kind": "string"}
    for name in kinds:
        out.update({k: t for k, t in registry.kind(name).schema.items() if t in SORT_TYPES})
    return out


def _sort_columns(kind: FeatureKind, sort: list[SortKey], lang: str,
                  types: dict[str, str]) -> str:
    """``, <key> AS s0, …`` over ``x``: each sort key as this kind has it (a NULL of
    the key's type when it has no such property); ``types``: ``sortable``'s."""
    own = dict(kind.properties)
    columns = []
    for i, (key, _desc) in enumerate(sort):
        if key == "name":
            expr = translated("x", kind.name_field, lang)
        elif key == "updated_at":
            expr = "x.updated_at"
        elif key == "id":
            expr = "x.uid::text"
        elif key == "kind":
            expr = f"'{kind.name}'::text"  # a registered name, not the client's text
        elif key in own and key in kind.schema:
            expr = f"({own[key]})::{SORT_TYPES[types[key]]}"
        else:
            expr = f"NULL::{SORT_TYPES[types[key]]}"
        columns.append(f", {expr} AS s{i}")
    return "".join(columns)


def _sort_order(sort: list[SortKey]) -> str:
    return ", ".join(f"s{i} {'DESC' if desc else 'ASC'} NULLS LAST"
                     for i, (_key, desc) in enumerate(sort))


def _kind_query(kind: FeatureKind, f: FeatureFilters, params: list, *,
                whole: bool = False, sort_columns: str = "") -> str | None:
    """One kind's matching rows, ``id``, ``distance`` and ``score`` (``whole``: every
    column, ``distance`` and ``score``) and the sort keys (``sort_columns``), or None if a
    filter rules the kind out."""
    start = len(params)
    text: list = []
    found = conditions(kind, f, params, text)
    if found is None:
        return None
    where, distance = found
    source = f"{kind.table} x"
    first: list = []  # the parameters of the SELECT list and FROM, before the WHERE's
    rank = score(kind, text, first)
    if f.bbox:
        # The box first, on its GiST index: joined to layers straight away, the planner
        # tends to walk the whole layer by its layer_id index instead.
        overlaps, values = bbox_overlaps(kind.geom, f.bbox)
        source = f"(SELECT * FROM {kind.table} WHERE {overlaps} OFFSET 0) x"
        first.extend(values)
    params[start:start] = first
    return f"""
        SELECT {"x.*" if whole else "x.id"}, {distance} AS distance, {rank} AS score{sort_columns}
        FROM {source}
        WHERE {where}
    """


WHOLE_ROWS_FROM = 256
"""Pages of one kind this long or longer sort whole rows (see ``features_page``)."""


class _Utf8(Loader):
    """Text as PostgreSQL sent it (UTF-8 bytes): a page goes to the client unchanged."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


def features_page(*, kinds: list[str], filters: FeatureFilters, lang: str, limit: int,
                  offset: int, out: Output = RFC7946,
                  sort: list[SortKey] | None = None,
                  stored: bool | None = None) -> tuple[bytes, int, int]:
    """One page of features as a JSON array (UTF-8), the number matched and returned.

    ``sort``: the properties the page is sorted by (OGC ``sortby``; see ``sortable``),
    each ascending or descending, missing values last, then by id; else by distance
    (``near``) or in each kind's id order.

    Features are built only for the rows of the page, not for every match. The
    array is not decoded into a Python string: a page of 1,000 features is some
    400 kB, which decoding and encoding again cost as much as the rest of the view.
    ``stored``: read each Feature from the text its row keeps where it may (False: build
    every one, as the tests compare; None: as ATLAS_STORED_PAGES says).
    """
    if stored is None:
        stored = settings.ATLAS_STORED_PAGES
    params: list = []
    # A page that is most of what matches is cheapest read once, whole rows sorted; a
    # small page of many matches (a map's first 64 of a cell) is cheapest cut from ids.
    whole = len(kinds) == 1 and limit >= WHOLE_ROWS_FROM
    sort = sort or []
    types = sortable(kinds)
    found = [(registry.kind(k), q) for k in kinds
             if (q := _kind_query(registry.kind(k), filters, params, whole=whole,
                                  sort_columns=_sort_columns(registry.kind(k), sort, lang,
                                                             types)))]
    if not found:
        return b"[]", 0, 0
    near = bool(filters.near)
    if whole:
        # One kind: its matching rows are sorted with every column they need, and the
        # page built from them straight away (reading the page's rows again by id, as
        # below, costs a third more for a page of 1,000 out of 1,400).
        kind, matched = found[0]
        feature, owners, joins = _page_feature_sql(kind, lang, out, near, stored)
        # With ?q=, the closer matches first (layers/search_query.py), unless sorted.
        order = (f"{_sort_order(sort)}, id" if sort else
                 ("score, " if filters.q else "") + ("distance, id" if near else "id"))
        sql = f"""
            SELECT '[' || COALESCE(string_agg({feature}, ',' ORDER BY x.ord), '') || ']',
                   max(x.total), count(*)
            FROM (SELECT x.*{owners}
                  FROM (SELECT m.*, count(*) OVER () AS total,
                               row_number() OVER (ORDER BY {order}) AS ord
                        FROM ({matched}) m ORDER BY {order} LIMIT %s OFFSET %s) x
                  {joins}) x
        """
        page_params = [limit, offset]
    else:
        # Kinds interleave (an attraction, a trail, …) so that any page, the first
        # above all, shows every kind's properties: GDAL takes a layer's fields from it.
        # Each kind's matches are kept as ids (and distances), counted, and cut to the
        # first offset + limit in its own order, where any page ends, before the page's
        # rows are read again and built: a map's cell of 36,000 attractions and trails
        # asked for its first 64 no longer sorts and numbers all 36,000 (130-150 ms →
        # 50 ms).
        order = (("score, " if filters.q else "")
                 + ("distance, kind_order, row_id" if near else "kind_rank, kind_order"))
        own = ("score, " if filters.q else "") + ("distance, id" if near else "id")
        keys = "".join(f", s{i}" for i in range(len(sort)))
        if sort:
            # Sorted by a property, the kinds' rows mix as their keys say.
            order = f"{_sort_order(sort)}, kind_order, row_id"
            own = f"{_sort_order(sort)}, id"
        kept = [f"m{kind.order} AS MATERIALIZED ({matched})" for kind, matched in found]
        ranked = " UNION ALL ".join(f"""
            SELECT {kind.order} AS kind_order, id AS row_id, distance, score{keys},
                   row_number() OVER (ORDER BY {own}) AS kind_rank
            FROM (SELECT * FROM m{kind.order} ORDER BY {own} LIMIT %s) t"""
                                    for kind, _ in found)
        builds = [f"""
            SELECT pg.ord, {feature} AS feature
            FROM page pg
            JOIN LATERAL (SELECT x.*{owners}, pg.distance
                          FROM {kind.table} x {joins} WHERE x.id = pg.row_id) x ON true
            WHERE pg.kind_order = {kind.order}
        """ for kind, _ in found
                  for feature, owners, joins in [_page_feature_sql(kind, lang, out, near,
                                                                   stored)]]
        counts = " + ".join(f"(SELECT count(*) FROM m{kind.order})" for kind, _ in found)
        sql = f"""
            WITH {', '.join(kept)},
            page AS MATERIALIZED (
                SELECT kind_order, row_id, distance, score,
                       row_number() OVER (ORDER BY {order}) AS ord
                FROM ({ranked}) r ORDER BY {order} LIMIT %s OFFSET %s),
            features AS ({' UNION ALL '.join(builds)})
            SELECT '[' || COALESCE((SELECT string_agg(feature, ',' ORDER BY ord)
                                    FROM features), '') || ']',
                   {counts}, (SELECT count(*) FROM page)
        """
        page_params = [offset + limit] * len(found) + [limit, offset]
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("text", _Utf8)
        cursor.execute(sql, [*params, *page_params])
        features, total, returned = cursor.fetchone()
    if total is None and offset == 0:
        total = 0
    elif total is None:  # one kind, past the last page: count what there is
        params = []
        counted = _kind_query(found[0][0], filters, params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({counted}) m", params)
            total = cursor.fetchone()[0]
    return features, total, returned
