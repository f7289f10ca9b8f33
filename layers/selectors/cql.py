"""CQL2 filters (OGC API – Features Part 3) as parameterised SQL over a kind's table.

The filter arrives as CQL2 JSON (layers/ogc/filter.py parses the text or JSON with cql2,
checks it and puts its coordinates in CRS84); here each node becomes SQL whose values are
all query parameters — never text built from the client's input — and whose properties
are the kind's *queryables*: the fields every kind has, and the kind's own properties
from the registry (layers/registry.py). A queryable another kind of the collection has,
this one lacks: it is NULL here, and so no comparison holds.

Each expression is typed (text, number, truth value, time, date, geometry) and an
operator refuses operands of unlike types with a 400: PostgreSQL would refuse
``text = 1`` with an error, not a no.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC
from functools import cache, partial
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from geo.crs import WGS84
from geo.errors import BadParameter
from layers import registry
from layers.registry import FeatureKind
from layers.selectors.sql import METRES_PER_DEGREE

QUERYABLE_TYPES = {"string", "number", "integer", "boolean"}
SQL_TYPES = {"string": "text", "number": "numeric", "integer": "numeric", "boolean": "boolean",
             "date-time": "timestamptz"}
CASTS = {"string": "text", "number": "numeric", "boolean": "boolean", "time": "timestamptz",
         "date": "date"}


def common_queryables() -> dict[str, dict[str, str]]:
    """What every kind can be filtered by -> its JSON Schema."""
    out = {"name": {"type": "string"}, "kind": {"type": "string"},
           "partner": {"type": "string"}, "layer": {"type": "string"},
           "updated_at": {"type": "string", "format": "date-time"}}
    out.update({f"name_{code}": {"type": "string"} for code in ("bg", "el", "fr", "en")})
    return out


def queryables(kinds: list[str]) -> dict[str, dict[str, str]]:
    """The queryables of a collection of ``kinds`` -> their JSON Schemas (``geometry``
    aside: the spatial operators take it)."""
    out = common_queryables()
    for name in kinds:
        out.update({k: {"type": t} for k, t in registry.kind(name).schema.items()
                    if t in QUERYABLE_TYPES})
    return out


def _column(kind: FeatureKind, name: str, types: dict[str, dict[str, str]]) -> str:
    """SQL over ``x`` of queryable ``name`` for ``kind`` (typed NULL when it has none)."""
    schema = types[name]
    sql_type = SQL_TYPES[schema.get("format", schema["type"])]
    own = dict(kind.properties)
    if name == "name":
        # Any language's name: a filter reads the same whatever language the page is in.
        field = kind.name_field
        return f"COALESCE(NULLIF(x.{field}_en, ''), NULLIF(x.{field}_bg, ''), " \
               f"NULLIF(x.{field}_el, ''), NULLIF(x.{field}_fr, ''))"
    if name.startswith("name_") and name in common_queryables():
        return f"NULLIF(x.{kind.name_field}_{name[5:]}, '')"
    if name == "kind":
        return f"'{kind.name}'::text"  # a registered name
    if name == "updated_at":
        return "x.updated_at"
    if name == "partner":
        if kind.layered:
            return ("(SELECT p.slug FROM layers_layer l JOIN layers_partner p "
                    "ON p.id = l.partner_id WHERE l.id = x.layer_id)")
        return f"({kind.partner_sql})"
    if name == "layer":
        if kind.layered:
            return "(SELECT l.slug FROM layers_layer l WHERE l.id = x.layer_id)"
        return "NULL::text"
    if name in own and name in kind.schema:
        return f"({own[name]})::{sql_type}"
    return f"NULL::{sql_type}"


COMPARISONS = {"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
SPATIAL = {"s_intersects": "ST_Intersects", "s_disjoint": "ST_Disjoint",
           "s_contains": "ST_Contains", "s_within": "ST_Within", "s_touches": "ST_Touches",
           "s_crosses": "ST_Crosses", "s_overlaps": "ST_Overlaps", "s_equals": "ST_Equals"}
# Allen's relations between intervals [a0, a1] and [b0, b1] (CQL2 1.0, temporal functions);
# an instant is the interval [t, t].
TEMPORAL = {
    "t_after": "{a0} > {b1}",
    "t_before": "{a1} < {b0}",
    "t_contains": "{a0} < {b0} AND {a1} > {b1}",
    "t_disjoint": "({a0} > {b1} OR {a1} < {b0})",
    "t_during": "{a0} > {b0} AND {a1} < {b1}",
    "t_equals": "{a0} = {b0} AND {a1} = {b1}",
    "t_finishedby": "{a0} < {b0} AND {a1} = {b1}",
    "t_finishes": "{a0} > {b0} AND {a1} = {b1}",
    "t_intersects": "{a0} <= {b1} AND {a1} >= {b0}",
    "t_meets": "{a1} = {b0}",
    "t_metby": "{a0} = {b1}",
    "t_overlappedby": "{a0} > {b0} AND {a0} < {b1} AND {a1} > {b1}",
    "t_overlaps": "{a0} < {b0} AND {a1} > {b0} AND {a1} < {b1}",
    "t_startedby": "{a0} = {b0} AND {a1} > {b1}",
    "t_starts": "{a0} = {b0} AND {a1} < {b1}",
}
DISTANCE_UNITS = {"m": 1.0, "meters": 1.0, "metres": 1.0, "meter": 1.0, "metre": 1.0,
                  "km": 1000.0, "kilometers": 1000.0, "kilometres": 1000.0}
GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon", "GeometryCollection"}
GEOMETRY_NAMES = ("geometry", "geom")


@cache
def accent_table() -> tuple[str, str]:
    """(accented letters, the same without their accents) for SQL's ``translate``: the
    Latin, Greek and Cyrillic letters whose decomposition is a letter and marks (é → e,
    ά → α; й → и too, as a search that ignores accents expects)."""
    src, dst = [], []
    for code in [*range(0xC0, 0x250), *range(0x370, 0x400), *range(0x400, 0x500)]:
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch)
                       if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            src.append(ch)
            dst.append(base)
    return "".join(src), "".join(dst)


def _coordinates(node: Any) -> Iterator[tuple[float, float]]:
    """Every (x, y) of a GeoJSON geometry's coordinates."""
    if isinstance(node, list) and node and all(isinstance(v, (int, float)) for v in node):
        yield float(node[0]), float(node[1])
    elif isinstance(node, list):
        for part in node:
            yield from _coordinates(part)


def geometry_points(g: dict) -> list[tuple[float, float]]:
    """Every vertex of a GeoJSON geometry (of each member of a collection)."""
    if g.get("type") == "GeometryCollection":
        return [p for member in g.get("geometries", []) for p in geometry_points(member)]
    return list(_coordinates(g.get("coordinates")))


def to_sql(tree: Any, kind: FeatureKind, kinds: list[str], params: list) -> str:
    """SQL over ``x`` (``kind``'s table) true where the CQL2 JSON filter ``tree`` (its
    coordinates in CRS84) holds; its values appended to ``params``. ``kinds``: the
    collection's, whose queryables it may name. A filter it cannot translate is a
    ``BadParameter`` naming ``filter``."""
    types = queryables(kinds)

    def literal(v: Any, typ: str) -> tuple[str, str]:
        params.append(v)
        return f"%s::{CASTS[typ]}", typ

    def when(raw: Any, as_date: bool) -> tuple[str, str]:
        """A date or timestamp literal's SQL, or an interval's open end (``..``)."""
        if raw == "..":
            return "NULL", "open"
        if not isinstance(raw, str):
            raise _unsupported("interval")
        if as_date:
            day = parse_date(raw)
            if day is None:
                raise _bad_time(raw)
            return literal(day, "date")
        try:
            moment = parse_datetime(raw)
        except ValueError:
            moment = None
        if moment is None:
            raise _bad_time(raw)
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python takes.
            moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
        except OverflowError:
            raise _bad_time(raw) from None
        return literal(moment, "time")

    def expr(v: Any) -> tuple[str, str]:
        """(SQL, type) of an operand: string, number, boolean, time, date, geometry."""
        if isinstance(v, bool):
            return literal(v, "boolean")
        if isinstance(v, (int, float)):
            if not math.isfinite(v):
                raise _unsupported("number")
            return literal(v, "number")
        if isinstance(v, str):
            if "\0" in v:  # JSON's \u0000: PostgreSQL's text has no NUL
                raise BadParameter("filter", _("contains a NUL character"))
            return literal(v, "string")
        if not isinstance(v, dict):
            raise _unsupported(type(v).__name__)
        if "property" in v:
            return attribute(str(v["property"]))
        if "timestamp" in v:
            return when(v["timestamp"], as_date=False)
        if "date" in v:
            return when(v["date"], as_date=True)
        if "bbox" in v or v.get("type") in GEOMETRY_TYPES:
            return geometry(v), "geometry"
        op = str(v.get("op", "")).lower()
        args = v.get("args") or []
        if op in ("casei", "accenti") and len(args) == 1:
            inner, typ = expr(args[0])
            if typ != "string":
                raise BadParameter("filter", _("%(function)s takes text")
                                   % {"function": op.upper()})
            if op == "casei":
                return f"lower({inner})", "string"
            params.extend(accent_table())
            return f"translate({inner}, %s, %s)", "string"
        if op in ("and", "or", "not") or op in COMPARISONS or op in SPATIAL or \
                op in TEMPORAL or op in ("like", "between", "in", "isnull", "s_dwithin"):
            return predicate(v), "boolean"
        raise _unsupported(op or ("interval" if "interval" in v else "?"))

    def attribute(name: str) -> tuple[str, str]:
        if name in GEOMETRY_NAMES:
            return f"x.{kind.geom}", "geometry"
        if name not in types:
            raise BadParameter("filter", _("%(name)r is not a queryable; the queryables are "
                                           "%(names)s")
                               % {"name": name, "names": ", ".join(sorted(types))})
        schema = types[name]
        typ = "time" if "format" in schema else \
            {"integer": "number"}.get(schema["type"], schema["type"])
        return _column(kind, name, types), typ

    def geometry(v: Any) -> str:
        if isinstance(v, dict) and "property" in v:
            sql, typ = attribute(str(v["property"]))
            if typ != "geometry":
                raise BadParameter("filter", _("%(name)r is not a geometry; use geometry")
                                   % {"name": v["property"]})
            return sql
        if isinstance(v, dict) and "bbox" in v:
            box = v["bbox"]
            if not (isinstance(box, list) and len(box) in (4, 6)
                    and all(isinstance(n, (int, float)) for n in box)):
                raise BadParameter("filter", _("a BBOX is four numbers: west, south, east, "
                                               "north"))
            w, s, e, n = (box[0], box[1], box[2], box[3]) if len(box) == 4 else \
                (box[0], box[1], box[3], box[4])
            if w > e:  # across the antimeridian: its two sides
                params.extend([w, min(s, n), 180, max(s, n), -180, min(s, n), e, max(s, n)])
                return (f"ST_Collect(ST_MakeEnvelope(%s, %s, %s, %s, {WGS84}), "
                        f"ST_MakeEnvelope(%s, %s, %s, %s, {WGS84}))")
            params.extend([w, min(s, n), e, max(s, n)])
            return f"ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})"
        if isinstance(v, dict) and v.get("type") in GEOMETRY_TYPES:
            params.append(json.dumps(v))
            return f"ST_SetSRID(ST_GeomFromGeoJSON(%s), {WGS84})"
        raise BadParameter("filter", _("the spatial operators compare geometries: geometry "
                                       "and a geometry literal (POINT, POLYGON, BBOX …)"))

    def alike(*vs: Any) -> tuple[list[str], str]:
        """The operands as SQL, refused unless they are of one type. A date compares
        with a time by the time's day in UTC."""
        if any(isinstance(v, dict) and "format" in types.get(str(v.get("property")), {})
               for v in vs):
            # Text compared with a time is a date or a time written as text: GDAL's
            # OAPIF driver writes updated_at > '2026-01-01T00:00:00Z' so.
            vs = tuple({"date" if len(v) == 10 else "timestamp": v} if isinstance(v, str)
                       else v for v in vs)
        typed = [expr(v) for v in vs]
        found = {typ for _sql, typ in typed}
        if found == {"time", "date"}:
            typed = [(f"(({sql}) AT TIME ZONE 'UTC')::date", "date") if typ == "time"
                     else (sql, typ) for sql, typ in typed]
            found = {"date"}
        if len(found) > 1:
            raise BadParameter("filter", _("cannot compare %(kinds)s")
                               % {"kinds": " and ".join(sorted(found))})
        if found == {"geometry"}:
            raise BadParameter("filter", _("geometries are compared with the spatial "
                                           "operators (S_INTERSECTS, S_WITHIN …)"))
        return [sql for sql, _typ in typed], found.pop()

    Bound = tuple[str, list]  # SQL and its parameters

    def captured(make: Callable[[], tuple[str, str]]) -> tuple[Bound, str]:
        """What ``make`` gives, with the parameters it added taken back: a bound's SQL
        may be written twice (an instant is its interval's start and end)."""
        mark = len(params)
        sql, typ = make()
        made = params[mark:]
        del params[mark:]
        return (sql, made), typ

    def bounds(v: Any) -> tuple[Bound, Bound, str]:
        """(start, end, type) of a temporal operand: an instant is its own interval; an
        open end (``..``) is unbounded (NULL here)."""
        if isinstance(v, dict) and "interval" in v:
            ends = v["interval"]
            if not (isinstance(ends, list) and len(ends) == 2):
                raise BadParameter("filter", _("an INTERVAL has a start and an end"))
            got: list[tuple[Bound, str]] = []
            for one in ends:
                if one == "..":
                    got.append((("NULL", []), "open"))
                elif isinstance(one, str):
                    got.append(captured(partial(when, one, as_date=len(one) == 10)))
                else:
                    got.append(captured(partial(expr, one)))
            (s, st), (e, et) = got
            found = {st, et} - {"open"}
            if not found <= {"time", "date"}:
                raise BadParameter("filter", _("an INTERVAL is of dates or times"))
            return s, e, ("date" if found == {"date"} else "time")
        bound, typ = captured(partial(expr, v))
        if typ not in ("time", "date"):
            raise BadParameter("filter", _("the temporal operators compare dates and times, "
                                           "not %(kind)s") % {"kind": typ})
        return bound, bound, typ

    def temporal(op: str, a: Any, b: Any) -> str:
        (a0, a1, at), (b0, b1, bt) = bounds(a), bounds(b)
        as_date = "date" in (at, bt)
        named = {"a0": a0, "a1": a1, "b0": b0, "b1": b1}

        def bound(key: str) -> str:
            sql, its_params = named[key]
            params.extend(its_params)
            if sql == "NULL":
                sign = "-" if key.endswith("0") else ""
                return f"'{sign}infinity'::{'date' if as_date else 'timestamptz'}"
            if as_date and "::date" not in sql:
                return f"(({sql}) AT TIME ZONE 'UTC')::date"
            return sql

        # In the relation's order, so that the parameters follow their placeholders.
        parts = re.split(r"\{(a0|a1|b0|b1)\}", TEMPORAL[op])
        return "(" + "".join(bound(p) if i % 2 else p for i, p in enumerate(parts)) + ")"

    def distance_within(args: list) -> str:
        if len(args) not in (3, 4) or not isinstance(args[2], (int, float)) \
                or isinstance(args[2], bool) or not math.isfinite(args[2]) or args[2] < 0:
            raise BadParameter("filter", _("S_DWITHIN takes two geometries and a distance "
                                           "in metres: S_DWITHIN(geometry, POINT(25.6 42.4), "
                                           "1000)"))
        factor = 1.0
        if len(args) == 4:
            unit = args[3].get("property") if isinstance(args[3], dict) else args[3]
            factor = DISTANCE_UNITS.get(str(unit).lower(), 0.0)
            if not factor:
                raise BadParameter("filter", _("unknown distance unit %(unit)r; use metres")
                                   % {"unit": unit})
        metres = float(args[2]) * factor
        prefilter = ""
        literal_side = args[1] if isinstance(args[0], dict) and "property" in args[0] else None
        if isinstance(literal_side, dict) and literal_side.get("type") in GEOMETRY_TYPES:
            far = max((abs(lat) for _lon, lat in geometry_points(literal_side)), default=90.0)
            if far < 80:
                # A box around the literal in degrees, for the geometry's index: a degree
                # of longitude shrinks with latitude.
                reach = metres / METRES_PER_DEGREE / math.cos(math.radians(far + 1))
                prefilter = (f"{geometry(args[0])} && ST_Expand({geometry(literal_side)}, "
                             "%s) AND ")
                params.append(reach)
        left, right = geometry(args[0]), geometry(args[1])
        params.append(metres)
        # On the spheroid, as the API's near= is.
        return f"({prefilter}ST_DWithin(geography({left}), geography({right}), %s))"

    def predicate(n: Any) -> str:
        if isinstance(n, bool):
            return "true" if n else "false"
        if not isinstance(n, dict) or "op" not in n:
            raise BadParameter("filter", _("a filter is a condition, e.g. partner = 'drome'"))
        op = str(n["op"]).lower()
        args = n.get("args")
        if not isinstance(args, list):
            raise _unsupported(op)
        if op in ("and", "or") and args:
            return "(" + f" {op.upper()} ".join(predicate(a) for a in args) + ")"
        if op == "not" and len(args) == 1:
            # SQL's three values, as QGIS's and OGR's expressions have them: NOT of a
            # property a feature lacks is unknown, and so not a match.
            return f"(NOT {predicate(args[0])})"
        if op in COMPARISONS and len(args) == 2:
            (left, right), _typ = alike(*args)
            return f"({left} {COMPARISONS[op]} {right})"
        if op == "like" and len(args) == 2:
            (column, pattern), typ = alike(*args)
            if typ != "string":
                raise BadParameter("filter", _("LIKE compares text"))
            # CQL2's wildcards and escape are PostgreSQL's: % _ and a backslash.
            return f"({column} LIKE {pattern})"
        if op == "between" and len(args) == 3:
            (lhs, low, high), typ = alike(*args)
            return f"({lhs} BETWEEN {low} AND {high})"
        if op == "in" and len(args) == 2 and isinstance(args[1], list) and args[1]:
            (lhs, *listed), _typ = alike(args[0], *args[1])
            return f"({lhs} IN ({', '.join(listed)}))"
        if op == "isnull" and len(args) == 1:
            sql, _typ = expr(args[0])
            return f"({sql} IS NULL)"
        if op in SPATIAL and len(args) == 2:
            return f"{SPATIAL[op]}({geometry(args[0])}, {geometry(args[1])})"
        if op == "s_dwithin":
            return distance_within(args)
        if op in TEMPORAL and len(args) == 2:
            return temporal(op, args[0], args[1])
        if op in ("casei", "accenti") or op in TEMPORAL or op in SPATIAL or op in COMPARISONS:
            raise BadParameter("filter", _("%(name)s takes other arguments")
                               % {"name": op.upper()})
        raise _unsupported(op)

    return predicate(tree)


def _bad_time(raw: str) -> BadParameter:
    return BadParameter("filter", _("%(value)r is not an ISO 8601 date or time")
                        % {"value": raw})


def _unsupported(name: str) -> BadParameter:
    return BadParameter("filter", _("%(name)s is not supported here; use comparisons, "
                                    "LIKE, IN, BETWEEN, IS NULL, AND, OR, NOT, CASEI, "
                                    "ACCENTI, the spatial operators (S_INTERSECTS, S_WITHIN, "
                                    "S_DWITHIN …) and the temporal ones (T_AFTER, T_DURING …)")
                        % {"name": name.upper()})
