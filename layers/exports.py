"""Exports of a layer or of the regional layer: GeoJSON, GPX, KML, zipped Shapefile,
GeoPackage and CSV (WKT).

Each export carries what an import maps back (source_id, name_*, description_*,
category or activity and difficulty, the other attribute fields, and the
feature's own properties under their names), so exporting a layer and
importing the file into it again changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import shapely
from django.db import connection

from layers.i18n import LANGUAGE_CODES
from layers.params import FeatureFilters
from layers.selectors import KINDS, conditions

FORMATS = {
    "geojson": ("application/geo+json", "geojson"),
    "gpx": ("application/gpx+xml", "gpx"),
    "kml": ("application/vnd.google-earth.kml+xml", "kml"),
    "shp": ("application/zip", "zip"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
    "csv": ("text/csv; charset=utf-8", "csv"),
}
TEXT_FIELDS = {
    "attraction": ("category", "address", "website", "phone", "opening_hours", "wheelchair"),
    "trail": ("activity", "difficulty"),
}
TRANSLATED = tuple(f"{base}_{code}" for base in ("name", "description")
                   for code in LANGUAGE_CODES)


@dataclass
class Rows:
    """One kind's exported features, column by column."""

    kind: str
    columns: dict[str, list]  # field -> values (None for missing)
    geoms: np.ndarray  # shapely, EPSG:4326; attractions: footprint if any, else location
    points: np.ndarray  # attractions' locations (GPX waypoints); lines for trails

    def __len__(self) -> int:
        return len(self.geoms)


def rows(*, kinds: list[str], filters: FeatureFilters, with_partner: bool) -> list[Rows]:
    out = []
    for name in kinds:
        kind = KINDS[name]
        params: list = []
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _distance = found
        fields = [*TRANSLATED, *TEXT_FIELDS[name]] + (["fee"] if name == "attraction" else [])
        geom = ("COALESCE(x.footprint, x.location)" if name == "attraction" else "x.geom")
        point = "x.location" if name == "attraction" else "x.geom"
        sql = f"""
            SELECT COALESCE(NULLIF(x.source_id, ''), x.uid::text), p.slug, l.slug,
                   {', '.join(f'NULLIF(x.{f}::text, {chr(39) * 2})' if f != 'fee' else 'x.fee'
                              for f in fields)},
                   x.properties::text, ST_AsBinary({geom}), ST_AsBinary({point})
            FROM {kind.table} x
            JOIN layers_layer l ON l.id = x.layer_id
            JOIN layers_partner p ON p.id = l.partner_id
            WHERE {where}
            ORDER BY x.id
        """
        with connection.cursor() as cur:
            cur.execute(sql, params)
            records = cur.fetchall()
        cols: dict[str, list] = {"source_id": [r[0] for r in records]}
        if with_partner:
            cols["partner"] = [r[1] for r in records]
            cols["layer"] = [r[2] for r in records]
        for i, f in enumerate(fields, 3):
            cols[f] = [r[i] for r in records]
        props = [json.loads(r[-3]) for r in records]
        for key in dict.fromkeys(k for p in props for k in p):
            if key not in cols:
                cols[key] = [p.get(key) for p in props]
        out.append(Rows(name, cols,
                        shapely.from_wkb([bytes(r[-2]) for r in records]) if records
                        else np.empty(0, dtype=object),
                        shapely.from_wkb([bytes(r[-1]) for r in records]) if records
                        else np.empty(0, dtype=object)))
    return out


def _json_value(v):
    return v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v)


def geojson_sql(*, kinds: list[str], filters: FeatureFilters,
                with_partner: bool) -> tuple[str, list] | None:
    """SQL of the GeoJSON export: PostGIS turns each row into a Feature (ST_AsGeoJSON).

    The feature's own attributes travel as one ``properties`` object, which the
    importers unfold again.
    """
    fields = [*TRANSLATED, *dict.fromkeys(f for k in kinds for f in TEXT_FIELDS[k])]
    selects, params = [], []
    for name in kinds:
        kind = KINDS[name]
        found = conditions(kind, filters, params)
        if found is None:
            continue
        where, _ = found
        own = {*TRANSLATED, *TEXT_FIELDS[name]}
        cols = [f"NULLIF(x.{f}::text, '') AS {f}" if f in own else f"NULL::text AS {f}"
                for f in fields]
        if "attraction" in kinds:
            cols.append("x.fee" if name == "attraction" else "NULL::boolean AS fee")
        if with_partner:
            cols[:0] = ["p.slug AS partner", "l.slug AS layer"]
        geom = "COALESCE(x.footprint, x.location)" if name == "attraction" else "x.geom"
        selects.append(f"""
            SELECT {kind.order} AS kind_order, x.id AS row_id,
                   COALESCE(NULLIF(x.source_id, ''), x.uid::text) AS source_id,
                   {', '.join(cols)}, NULLIF(x.properties, '{{}}'::jsonb) AS properties,
                   {geom} AS geom
            FROM {kind.table} x
            JOIN layers_layer l ON l.id = x.layer_id
            JOIN layers_partner p ON p.id = l.partner_id
            WHERE {where}""")
    if not selects:
        return None
    names = ["source_id", *(["partner", "layer"] if with_partner else []), *fields,
             *(["fee"] if "attraction" in kinds else []), "properties", "geom"]
    sql = (f"SELECT {', '.join(names)} FROM ({' UNION ALL '.join(selects)}) u "
           "ORDER BY kind_order, row_id")
    return sql, params


def geojson_document(*, kinds: list[str], filters: FeatureFilters, with_partner: bool) -> bytes:
    """The GeoJSON export, built by PostgreSQL in one statement (the 50,000-feature path)."""
    found = geojson_sql(kinds=kinds, filters=filters, with_partner=with_partner)
    if found is None:
        return b'{"type": "FeatureCollection", "features": []}'
    sql, params = found
    with connection.cursor() as cur:
        # Bytes straight from the server: a large document is not decoded and re-encoded.
        cur.execute("SELECT convert_to(json_build_object('type', 'FeatureCollection', "
                    "'features', COALESCE(json_agg(ST_AsGeoJSON(t.*, 'geom', 7)::json), "
                    f"'[]'::json))::text, 'UTF8') FROM ({sql}) t", params)
        return bytes(cur.fetchone()[0])


def _name(part: Rows, i: int) -> str | None:
    return next((part.columns[f"name_{c}"][i] for c in ("bg", "el", "fr", "en")
                 if part.columns[f"name_{c}"][i]), None)


def _gpx_text(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>" if value not in (None, "") else ""


def _coords(g) -> list[list[tuple]]:
    return [list(p.coords) for p in shapely.get_parts(g)]


def to_gpx(parts: list[Rows]) -> bytes:
    """GPX 1.1: attractions as waypoints, trails as tracks (one segment per part, with ele).

    Every attribute an import maps back travels in a namespaced extension.
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gpx version="1.1" creator="Regional Tourism Atlas" '
           'xmlns="http://www.topografix.com/GPX/1/1" '
           'xmlns:atlas="https://atlas.example/gpx/1" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
           'http://www.topografix.com/GPX/1/1/gpx.xsd">']

    def extensions(part: Rows, i: int) -> str:
        items = "".join(f"<atlas:field name={quoteattr(k)}>"
                        f"{escape(json.dumps(v[i], ensure_ascii=False))}</atlas:field>"
                        for k, v in part.columns.items() if v[i] not in (None, ""))
        return f"<extensions>{items}</extensions>" if items else ""

    waypoints = [p for p in parts if p.kind == "attraction"]
    tracks = [p for p in parts if p.kind == "trail"]
    for part in waypoints:
        for i, g in enumerate(part.points):
            out.append(f'<wpt lat="{g.y:.7f}" lon="{g.x:.7f}">'
                       + _gpx_text("name", _name(part, i))
                       + _gpx_text("desc", next((part.columns[f"description_{c}"][i]
                                                 for c in ("bg", "el", "fr", "en")
                                                 if part.columns[f"description_{c}"][i]), None))
                       + _gpx_text("type", part.columns["category"][i])
                       + extensions(part, i) + "</wpt>")
    for part in tracks:
        for i, g in enumerate(part.geoms):
            segs = []
            for line in _coords(g):
                pts = "".join(
                    f'<trkpt lat="{c[1]:.7f}" lon="{c[0]:.7f}">'
                    + (f"<ele>{c[2]:.2f}</ele>" if len(c) > 2 else "") + "</trkpt>"
                    for c in line)
                segs.append(f"<trkseg>{pts}</trkseg>")
            out.append("<trk>" + _gpx_text("name", _name(part, i))
                       + _gpx_text("type", part.columns["activity"][i])
                       + extensions(part, i) + "".join(segs) + "</trk>")
    out.append("</gpx>")
    return "\n".join(out).encode()


def _kml_geometry(g) -> str:
    def coords(seq) -> str:
        return " ".join(",".join(f"{v:.7f}" if k < 2 else f"{v:.2f}" for k, v in enumerate(c))
                        for c in seq)

    kind = g.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{coords(g.coords)}</coordinates></Point>"
    if kind == "MultiLineString":
        return "<MultiGeometry>" + "".join(
            f"<LineString><coordinates>{coords(p.coords)}</coordinates></LineString>"
            for p in g.geoms) + "</MultiGeometry>"
    if kind == "MultiPolygon":
        return "<MultiGeometry>" + "".join(
            "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
            f"{coords(p.exterior.coords)}</coordinates></LinearRing></outerBoundaryIs>"
            + "".join("<innerBoundaryIs><LinearRing><coordinates>"
                      f"{coords(r.coords)}</coordinates></LinearRing></innerBoundaryIs>"
                      for r in p.interiors) + "</Polygon>" for p in g.geoms) + "</MultiGeometry>"
    raise ValueError(kind)


def _kml_type(values: list) -> str:
    """The KML SimpleField type that keeps every value of a column as it is."""
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in present):
        return "double"
    return "string"


def _kml_text(value, kml_type: str) -> str:
    if kml_type == "bool":
        return "1" if value else "0"
    return escape(str(_json_value(value)))


def to_kml(parts: list[Rows]) -> bytes:
    """KML 2.2 with a typed <Schema> per kind: each attribute keeps its exact name (any
    script) and its type (<SimpleData> of a declared <SimpleField>), so the importers
    read back what was written."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>']
    types = {part.kind: {k: _kml_type(v) for k, v in part.columns.items()} for part in parts}
    for part in parts:
        out.append(f'<Schema name="{part.kind}s" id="{part.kind}s">' + "".join(
            f"<SimpleField name={quoteattr(k)} type=\"{t}\"/>"
            for k, t in types[part.kind].items()) + "</Schema>")
    for part in parts:
        kinds = types[part.kind]
        out.append(f"<Folder><name>{part.kind}s</name>")
        for i, g in enumerate(part.geoms):
            data = "".join(f"<SimpleData name={quoteattr(k)}>{_kml_text(v[i], kinds[k])}"
                           "</SimpleData>" for k, v in part.columns.items()
                           if v[i] not in (None, ""))
            out.append("<Placemark>" + (f"<name>{escape(_name(part, i))}</name>"
                                        if _name(part, i) else "")
                       + f'<ExtendedData><SchemaData schemaUrl="#{part.kind}s">{data}'
                       f"</SchemaData></ExtendedData>{_kml_geometry(g)}</Placemark>")
        out.append("</Folder>")
    out.append("</Document></kml>")
    return "\n".join(out).encode()


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, whole characters only."""
    return text.encode()[:limit].decode(errors="ignore")


def short_names(names: list[str]) -> dict[str, str]:
    """Field names of at most 10 bytes (dBASE), unique, the same for the same input."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = _cut("".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name), 10)
        base = base or "field"
        candidate, n = base, 1
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate, n = _cut(base, 10 - len(suffix)) + suffix, n + 1
        taken.add(candidate.lower())
        out[name] = candidate
    return out


def _arrays(part: Rows, keep: np.ndarray | None = None) -> tuple[list[str], list[np.ndarray]]:
    names, arrays = [], []
    for k, values in part.columns.items():
        vals = [_json_value(v) for v in values]
        if keep is not None:
            vals = [v for v, ok in zip(vals, keep, strict=True) if ok]
        kinds = {type(v) for v in vals if v is not None}
        if kinds and kinds <= {int} and None not in vals:
            arr = np.array(vals, dtype=np.int64)
        elif kinds and kinds <= {int, float}:  # a number column; missing values are NaN
            arr = np.array([np.nan if v is None else v for v in vals], dtype=float)
        else:
            arr = np.array([None if v is None else str(v) for v in vals], dtype=object)
        names.append(k)
        arrays.append(arr)
    return names, arrays


def _write_ogr(path: Path, layer: str, part: Rows, geoms: np.ndarray, driver: str,
               field_names: dict[str, str] | None = None, keep=None, append=False) -> None:
    names, arrays = _arrays(part, keep)
    if field_names:
        names = [field_names[n] for n in names]
    geometry_type = {"attraction": "Unknown", "trail": "MultiLineString Z"}[part.kind]
    if driver == "ESRI Shapefile":
        kinds = {g.geom_type for g in geoms}
        geometry_type = ("Point" if kinds <= {"Point"} else "MultiPolygon"
                         if kinds <= {"MultiPolygon"} else geometry_type)
        if geometry_type == "MultiLineString Z" and not all(g.has_z for g in geoms):
            geometry_type = "MultiLineString"
    import pyogrio.raw  # its own GDAL, some 30 MB: loaded by the exports that write with it

    pyogrio.raw.write(path, shapely.to_wkb(geoms), arrays, fields=names, layer=layer,
                      driver=driver, geometry_type=geometry_type, crs="EPSG:4326",
                      encoding="UTF-8" if driver == "ESRI Shapefile" else None, append=append,
                      promote_to_multi=False)


def to_shapefile_zip(parts: list[Rows], stem: str) -> bytes:
    """One shapefile per kind of geometry, with .prj, a UTF-8 .cpg and the field names."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w",
                                                               zipfile.ZIP_DEFLATED) as zf:
        folder = Path(tmp)
        lines = ["Field names in these shapefiles are cut to 10 characters (dBASE). "
                 "Full names:", ""]
        for part in parts:
            groups = {"trail": [("trails", np.ones(len(part), dtype=bool))]}.get(part.kind)
            if part.kind == "attraction":
                is_area = np.array([g.geom_type == "MultiPolygon" for g in part.geoms],
                                   dtype=bool)
                groups = [("attractions", ~is_area), ("attraction_areas", is_area)]
            for name, keep in groups:
                if not keep.any():
                    continue
                mapping = short_names(list(part.columns))
                path = folder / f"{stem}_{name}.shp"
                _write_ogr(path, path.stem, part, part.geoms[keep], "ESRI Shapefile",
                           field_names=mapping, keep=keep)
                lines.append(f"{path.stem}.shp:")
                lines += [f"  {short:10s} {full}" for full, short in mapping.items()]
                lines.append("")
                for member in sorted(folder.glob(f"{path.stem}.*")):
                    zf.write(member, member.name)
        zf.writestr("FIELDS.txt", "\n".join(lines))
    return buf.getvalue()


def to_geopackage(parts: list[Rows]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        for k, part in enumerate(parts):
            _write_ogr(path, f"{part.kind}s", part, part.geoms, "GPKG", append=k > 0)
        return path.read_bytes() if path.exists() else b""


def to_csv(parts: list[Rows]) -> bytes:
    buf = io.StringIO()
    fields = list(dict.fromkeys(["kind", *(k for p in parts for k in p.columns), "wkt"]))
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for part in parts:
        wkts = shapely.to_wkt(part.geoms, rounding_precision=7, trim=True)
        for i in range(len(part)):
            row = {k: _json_value(v[i]) for k, v in part.columns.items()}
            writer.writerow({**row, "kind": part.kind, "wkt": wkts[i]})
    return buf.getvalue().encode()


def export(*, kinds: list[str], filters: FeatureFilters, fmt: str, stem: str,
           with_partner: bool) -> tuple[bytes, str, str]:
    """(body, content type, file name) of the export."""
    content_type, ext = FORMATS[fmt]
    if fmt == "geojson":
        body = geojson_document(kinds=kinds, filters=filters, with_partner=with_partner)
        return body, content_type, f"{stem}.{ext}"
    parts = rows(kinds=kinds, filters=filters, with_partner=with_partner)
    writer = {"gpx": to_gpx, "kml": to_kml, "gpkg": to_geopackage,
              "csv": to_csv}.get(fmt)
    body = to_shapefile_zip(parts, stem) if fmt == "shp" else writer(parts)
    return body, content_type, f"{stem}.{ext}"
