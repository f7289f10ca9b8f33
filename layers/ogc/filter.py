"""The ``filter`` parameter (OGC API – Features Part 3), read the same way by the OGC
items, the REST lists, the exports and the tiles.

A CQL2 filter in text or JSON (``filter-lang``) is parsed by cql2 (developmentseed's
parser of the whole CQL2 1.0 grammar) into CQL2 JSON; its geometry literals, given in any
served CRS (``filter-crs``), are put in CRS84; and it is translated once for each kind
asked, so that a filter naming no queryable or comparing unlike things is a 400 before
any SQL runs. layers/selectors/cql.py makes the SQL.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import cache
from typing import Any

import cql2
from django.utils.translation import gettext as _
from pyproj import Transformer

from geo.crs import WGS84
from geo.errors import BadParameter
from geo.params import Query, choice, single
from layers import registry
from layers.ogc.params import crs_srid, flip_axes
from layers.selectors.cql import GEOMETRY_TYPES, to_sql

CQL_PARAMS = frozenset({"filter", "filter-lang", "filter-crs"})
FILTER_LANGS = ("cql2-text", "cql2-json", "cql-text")
"""cql-text is the drafts' name of CQL2 text: GDAL's OAPIF driver sends its attribute
filters to a server only when the server lists it (and then writes CQL2 text)."""
MAX_LENGTH = 10_000
MAX_DEPTH = 64
"""Nesting a filter may have: the parser recurses, and a few thousand brackets would
overflow its stack (a crash of the worker, not an exception)."""
EDGE_POINTS = 21  # a box's edge in another CRS, followed at this many points


def parse_filter(query: Query, kinds: list[str]) -> dict | bool | None:
    """The request's ``filter`` as CQL2 JSON in CRS84 (None when absent), checked
    against the queryables of ``kinds``; a ``BadParameter`` naming ``filter`` (or
    ``filter-lang``, ``filter-crs``) when it cannot be used."""
    raw = single(query, "filter")
    lang = choice(query, "filter-lang", FILTER_LANGS, default="cql2-text")
    crs_uri = single(query, "filter-crs")
    srid = crs_srid(crs_uri, "filter-crs")
    if not raw:
        return None
    if len(raw) > MAX_LENGTH:
        raise BadParameter("filter", _("at most 10,000 characters"))
    try:
        if lang == "cql2-json":
            _check_depth(json.loads(raw))
            tree = cql2.parse_json(raw).to_json()
        else:  # cql2-text, or cql-text
            _check_text_depth(raw)
            tree = cql2.parse_text(ilike_as_casei(raw) if lang == "cql-text" else raw).to_json()
    except RecursionError:
        raise BadParameter("filter", _("nested too deeply")) from None
    except (ValueError, cql2.ParseError) as exc:  # json's ValueError, cql2's ParseError
        raise BadParameter("filter", _("not valid %(lang)s: %(error)s")
                           % {"lang": lang, "error": parser_message(exc)}) from None
    except BaseException as exc:
        # A panic in the Rust parser arrives as pyo3's PanicException, a BaseException:
        # the client's filter, not the server, is what it could not read.
        if type(exc).__name__ != "PanicException":
            raise
        raise BadParameter("filter", _("not valid %(lang)s: %(error)s")
                           % {"lang": lang, "error": type(exc).__name__}) from None
    if srid != WGS84 or flip_axes(srid, crs_uri):
        tree = _to_crs84(tree, srid, flip_axes(srid, crs_uri))
    for name in kinds:
        to_sql(tree, registry.kind(name), kinds, [])  # its errors, before any query
    return tree


ILIKE = re.compile(r"""'(?:[^']|'')*'"""  # a text literal, kept as it is
                   r"""|([A-Za-z_][\w.]*|"[^"]+")\s+(NOT\s+)?ILIKE\s+('(?:[^']|'')*')""",
                   re.IGNORECASE)


def ilike_as_casei(text: str) -> str:
    """``name ILIKE 'a%'`` of the CQL drafts (cql-text, which GDAL's OAPIF driver writes
    for an OGR SQL ``ILIKE``) as CQL2's ``CASEI(name) LIKE CASEI('a%')``."""
    def one(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return m.group(0)
        return f"CASEI({m.group(1)}) {m.group(2) or ''}LIKE CASEI({m.group(3)})"
    return ILIKE.sub(one, text)


def filter_tag(tree: dict | bool | None) -> str:
    """A short tag naming a parsed filter (empty without one), for ETags and cache keys:
    a filtered answer must never be taken for the unfiltered one."""
    if tree is None:
        return ""
    canonical = json.dumps(tree, sort_keys=True, separators=(",", ":"))
    return "-f" + hashlib.sha256(canonical.encode()).hexdigest()[:16]


def parser_message(exc: Exception) -> str:
    """The parser's message on one line: where (line:column) and what it expected."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    where = next((line[3:].strip() for line in lines if line.startswith("-->")), "")
    said = next((line.lstrip("= ").strip() for line in lines if line.startswith("=")),
                lines[-1])
    return (f"at {where}: {said}" if where else said)[:300]


def _check_text_depth(text: str) -> None:
    # Quoted text may hold any brackets: left out before counting.
    bare = re.sub(r"'(?:[^']|'')*'", "''", text)
    depth = deepest = 0
    for ch in bare:
        depth += ch == "("
        depth -= ch == ")"
        deepest = max(deepest, depth)
    prefixes = max((len(re.findall(r"NOT|-", m.group(0), re.IGNORECASE))
                    for m in re.finditer(r"(?:(?:\bNOT\b|-)\s*){2,}", bare, re.IGNORECASE)),
                   default=0)
    if deepest > MAX_DEPTH or prefixes > MAX_DEPTH:
        raise BadParameter("filter", _("nested too deeply"))


def _check_depth(node: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BadParameter("filter", _("nested too deeply"))
    if isinstance(node, dict):
        for v in node.values():
            _check_depth(v, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _check_depth(v, depth + 1)


@cache
def _transformer(srid: int) -> Transformer:
    return Transformer.from_crs(srid, WGS84, always_xy=True)


def _to_crs84(node: Any, srid: int, flip: bool) -> Any:
    """``node`` with its geometry literals' coordinates (given in ``srid``, its own axis
    order when ``flip``) in CRS84: a box of a projected CRS becomes the polygon its
    edges draw in degrees."""
    if isinstance(node, list):
        return [_to_crs84(v, srid, flip) for v in node]
    if not isinstance(node, dict):
        return node
    if "bbox" in node and isinstance(node["bbox"], list) and len(node["bbox"]) in (4, 6):
        box = node["bbox"]
        x0, y0, x1, y1 = (box[0], box[1], box[2], box[3]) if len(box) == 4 else \
            (box[0], box[1], box[3], box[4])
        if flip:
            x0, y0, x1, y1 = y0, x0, y1, x1
        if srid == WGS84:
            return {"bbox": [x0, y0, x1, y1]}
        steps = [i / (EDGE_POINTS - 1) for i in range(EDGE_POINTS)]
        ring = ([(x0 + (x1 - x0) * t, y0) for t in steps]
                + [(x1, y0 + (y1 - y0) * t) for t in steps[1:]]
                + [(x1 - (x1 - x0) * t, y1) for t in steps[1:]]
                + [(x0, y1 - (y1 - y0) * t) for t in steps[1:]])
        return {"type": "Polygon", "coordinates": [_points(ring, srid, False)]}
    if node.get("type") == "GeometryCollection":
        return {**node, "geometries": [_to_crs84(g, srid, flip)
                                       for g in node.get("geometries", [])]}
    if node.get("type") in GEOMETRY_TYPES:
        return {**node, "coordinates": _coords(node.get("coordinates"), srid, flip)}
    return {k: _to_crs84(v, srid, flip) for k, v in node.items()}


def _coords(node: Any, srid: int, flip: bool) -> Any:
    if isinstance(node, list) and node and all(isinstance(v, (int, float)) for v in node):
        return _points([tuple(node)], srid, flip)[0]
    if isinstance(node, list):
        return [_coords(v, srid, flip) for v in node]
    return node


def _points(points: list[tuple], srid: int, flip: bool) -> list[list[float]]:
    out = []
    for p in points:
        x, y = (p[1], p[0]) if flip else (p[0], p[1])
        if srid != WGS84:
            x, y = _transformer(srid).transform(x, y)
        if not (math.isfinite(x) and math.isfinite(y)):
            raise BadParameter("filter-crs", _("the filter's coordinates lie outside the "
                                               "area of its CRS"))
        out.append([x, y])
    return out
