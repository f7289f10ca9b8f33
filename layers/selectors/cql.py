"""CQL2 filters (OGC API – Features Part 3) as parameterised SQL over a kind's table.

pygeofilter parses the text or JSON into its AST (layers/ogc/params.py); here each node
becomes SQL whose values are all query parameters — never text built from the client's
input — and whose properties are the kind's *queryables*: the fields every kind has, and
the kind's own properties from the registry (layers/registry.py). A queryable another
kind of the collection has, this one lacks: it is NULL here, and so no comparison holds.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from pygeofilter import ast, values

from geo.crs import WGS84
from geo.errors import BadParameter
from layers import registry
from layers.registry import FeatureKind

QUERYABLE_TYPES = {"string", "number", "integer", "boolean"}
SQL_TYPES = {"string": "text", "number": "numeric", "integer": "numeric", "boolean": "boolean",
             "date-time": "timestamptz"}


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


COMPARISONS = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=",
               ast.GreaterThan: ">", ast.GreaterEqual: ">="}
SPATIAL = {ast.GeometryIntersects: "ST_Intersects", ast.GeometryDisjoint: "ST_Disjoint",
           ast.GeometryContains: "ST_Contains", ast.GeometryWithin: "ST_Within",
           ast.GeometryTouches: "ST_Touches", ast.GeometryCrosses: "ST_Crosses",
           ast.GeometryOverlaps: "ST_Overlaps", ast.GeometryEquals: "ST_Equals"}
METRES = {"m": 1.0, "meters": 1.0, "metres": 1.0, "km": 1000.0, "kilometers": 1000.0}


def _like_pattern(node: ast.Like) -> str:
    """The CQL2 pattern as a PostgreSQL LIKE pattern (escape: backslash)."""
    out, escaped = [], False
    for ch in str(node.pattern):
        if escaped:
            out.append("\\" + ch if ch in "%_\\" else ch)
            escaped = False
        elif ch == node.escapechar:
            escaped = True
        elif ch == node.wildcard:
            out.append("%")
        elif ch == node.singlechar or ch == "_":
            out.append("_")
        elif ch in "%\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def to_sql(node: Any, kind: FeatureKind, kinds: list[str], params: list) -> str:
    """SQL over ``x`` (``kind``'s table) true where the filter ``node`` holds; its values
    appended to ``params``. ``kinds``: the collection's, whose queryables it may name."""
    types = queryables(kinds)

    def kind_of(v: Any) -> str:
        """What a comparison compares: text, a number, a truth value or a time."""
        if isinstance(v, ast.Attribute):
            attribute(v)
            schema = types[v.name]
            return {"integer": "number"}.get(schema["type"], schema["type"]) \
                if "format" not in schema else "time"
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, (int, float)):
            return "number"
        if isinstance(v, str):
            return "string"
        if isinstance(v, (datetime, date)):
            return "time"
        raise _unsupported(v)

    def operands(*vs: Any) -> list[str]:
        """The operands as SQL, refused unless they compare alike (text with text …):
        PostgreSQL would refuse text = 1 with an error, not a no."""
        found = {kind_of(v) for v in vs}
        if len(found) > 1:
            raise BadParameter("filter", _("cannot compare %(kinds)s")
                               % {"kinds": " and ".join(sorted(found))})
        if not any(isinstance(v, ast.Attribute) for v in vs):
            raise _unsupported(vs[0])
        return [value(v) for v in vs]

    def value(v: Any) -> str:
        if isinstance(v, ast.Attribute):
            return attribute(v)
        params.append(v)
        return "%s"

    def attribute(a: ast.Attribute) -> str:
        if a.name not in types:
            raise BadParameter("filter", _("%(name)r is not a queryable; the queryables are "
                                           "%(names)s")
                               % {"name": a.name, "names": ", ".join(sorted(types))})
        return _column(kind, a.name, types)

    def geometry(v: Any) -> str:
        if isinstance(v, ast.Attribute):
            if v.name not in ("geometry", "geom"):
                raise BadParameter("filter", _("%(name)r is not a geometry; use geometry")
                                   % {"name": v.name})
            return f"x.{kind.geom}"
        if isinstance(v, values.Geometry):
            params.append(json.dumps(v.geometry))
            return f"ST_SetSRID(ST_GeomFromGeoJSON(%s), {WGS84})"
        if isinstance(v, values.Envelope):
            params.extend([min(v.x1, v.x2), min(v.y1, v.y2), max(v.x1, v.x2), max(v.y1, v.y2)])
            return f"ST_MakeEnvelope(%s, %s, %s, %s, {WGS84})"
        raise _unsupported(v)

    def walk(n: Any) -> str:
        if isinstance(n, ast.And):
            return f"({walk(n.lhs)} AND {walk(n.rhs)})"
        if isinstance(n, ast.Or):
            return f"({walk(n.lhs)} OR {walk(n.rhs)})"
        if isinstance(n, ast.Not):
            return f"(NOT COALESCE({walk(n.sub_node)}, false))"
        if type(n) in COMPARISONS:
            left, right = operands(n.lhs, n.rhs)
            return f"({left} {COMPARISONS[type(n)]} {right})"
        if isinstance(n, ast.Like):
            if not isinstance(n.lhs, ast.Attribute) or not isinstance(n.pattern, str):
                raise _unsupported(n)
            column = attribute(n.lhs)
            params.append(_like_pattern(n))
            op = "ILIKE" if n.nocase else "LIKE"
            return f"({'NOT ' if n.not_ else ''}{column}::text {op} %s)"
        if isinstance(n, ast.Between):
            lhs, low, high = operands(n.lhs, n.low, n.high)
            return f"({lhs} {'NOT ' if n.not_ else ''}BETWEEN {low} AND {high})"
        if isinstance(n, ast.In):
            lhs, *listed = operands(n.lhs, *n.sub_nodes)
            return f"({lhs} {'NOT ' if n.not_ else ''}IN ({', '.join(listed)}))"
        if isinstance(n, ast.IsNull):
            if not isinstance(n.lhs, ast.Attribute):
                raise _unsupported(n)
            return f"({attribute(n.lhs)} IS {'NOT ' if n.not_ else ''}NULL)"
        if type(n) in SPATIAL:
            return f"{SPATIAL[type(n)]}({geometry(n.lhs)}, {geometry(n.rhs)})"
        if isinstance(n, ast.DistanceWithin):
            factor = METRES.get(str(n.units).lower())
            if factor is None:
                raise BadParameter("filter", _("unknown distance unit %(unit)r; use metres")
                                   % {"unit": n.units})
            left, right = geometry(n.lhs), geometry(n.rhs)
            params.append(float(n.distance) * factor)
            # On the spheroid, as the API's near= is.
            return f"ST_DWithin(geography({left}), geography({right}), %s)"
        if isinstance(n, ast.Include):
            return "false" if n.not_ else "true"
        raise _unsupported(n)

    return walk(node)


def _unsupported(node: Any) -> BadParameter:
    name = type(node).__name__
    return BadParameter("filter", _("%(name)s is not supported here; use comparisons, "
                                    "LIKE, IN, BETWEEN, IS NULL, AND, OR, NOT and the "
                                    "spatial operators (S_INTERSECTS, S_WITHIN …)")
                        % {"name": name})

