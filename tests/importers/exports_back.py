"""A layer's exports, downloaded through the API, edited as a GIS specialist would (QGIS
writes the same files) and imported back with the real pipeline: the helpers of
the public-id tests (test_public_ids*.py)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from django.db import connection
from lxml import etree

from importers.pipeline import ImportRequest, run_import
from layers.models import Attraction, Trail

FORMATS = {"geojson": "geojson", "shp": "zip", "kml": "kml", "gpx": "gpx"}
ATLAS = "https://atlas.example/gpx/1"
TABLES = {"attractions": ("layers_attraction", "location"), "trails": ("layers_trail", "geom")}


def export_layer(client, slug: str, fmt: str, folder: Path) -> Path:
    response = client.get(f"/api/layers/{slug}/export/", {"format": fmt})
    assert response.status_code == 200, response.getvalue()[:300]
    path = folder / f"{slug}.{FORMATS[fmt]}"
    path.write_bytes(response.getvalue())
    return path


def import_file(path: Path, partner, slug: str, kind: str = "attractions", **kw):
    return run_import(ImportRequest(path=path, partner=partner, layer_slug=slug, kind=kind,
                                    **kw))


def layer_rows(slug: str, kind: str = "attractions") -> list[dict]:
    """Every column of every feature of the layer, the geometry as EWKB: exactly as stored."""
    table, geom = TABLES[kind]
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT to_jsonb(t) || jsonb_build_object('{geom}', encode(ST_AsEWKB(t.{geom}), 'hex'))
            FROM {table} t JOIN layers_layer l ON l.id = t.layer_id
            WHERE l.slug = %s ORDER BY t.id""", [slug])
        return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in cur.fetchall()]


def model_of(kind: str):
    return Attraction if kind == "attractions" else Trail


def file_features(path: Path, fmt: str) -> dict[str, tuple[str, shapely.Geometry]]:
    """Public id -> (name_bg, geometry) of each feature in an exported file, read as a GIS
    reads it (GDAL; the XML for the KML's SimpleData and GPX's extensions)."""
    if fmt in ("geojson", "shp"):
        source = path
        if fmt == "shp":
            with zipfile.ZipFile(path) as zf:
                shp = next(n for n in zf.namelist() if n.endswith(".shp"))
            source = f"/vsizip/{path}/{shp}"
        _meta, _fids, wkb, fields = pyogrio.raw.read(source, columns=["id", "name_bg"])
        return {i: (n, g) for i, n, g in zip(fields[0].tolist(), fields[1].tolist(),
                                             shapely.from_wkb(wkb), strict=True)}
    doc = etree.parse(str(path))
    out = {}
    if fmt == "kml":
        for placemark in doc.iter("{*}Placemark"):
            data = {d.get("name"): d.text for d in placemark.iter("{*}SimpleData")}
            coords = [tuple(float(v) for v in c.split(","))
                      for c in " ".join(placemark.xpath(".//*[local-name()='coordinates']"
                                                        "/text()")).split()]
            out[placemark.get("id")] = (data.get("name_bg"),
                               shapely.Point(coords[0]) if len(coords) == 1
                               else shapely.LineString(coords))
        return out
    for el in doc.getroot().xpath("*[local-name()='wpt' or local-name()='trk']"):
        public = el.findtext(f".//{{{ATLAS}}}id")
        fields = {f.tag.split("}")[1]: f.text for f in el.iter(f"{{{ATLAS}}}*")}
        points = [(float(p.get("lon")), float(p.get("lat")))
                  for p in el.iter("{*}trkpt")] or [(float(el.get("lon")),
                                                     float(el.get("lat")))]
        out[public] = (fields.get("name_bg"), shapely.Point(points[0]) if len(points) == 1
                       else shapely.LineString(points))
    return out


def flat(geom: shapely.Geometry) -> shapely.Geometry:
    """2-D, a one-part line as a LineString: to compare coordinates only."""
    geom = shapely.force_2d(geom)
    return shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom


# --- export → import into the same layer: nothing changes ---------------------------



def edit_geojson(path: Path, uid: str, name: str) -> None:
    doc = json.loads(path.read_text())
    next(f for f in doc["features"] if f["id"] == uid)["properties"]["name_bg"] = name
    path.write_text(json.dumps(doc, ensure_ascii=False))


def edit_shp(path: Path, uid: str, name: str) -> None:
    """Rewrite the zipped shapefile with one name changed, as a GIS saves it."""
    folder = path.parent / "unzipped"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
    shp = next(folder.glob("*.shp"))
    meta, _fids, wkb, fields = pyogrio.raw.read(shp, encoding="UTF-8")
    names = list(meta["fields"])
    at = fields[names.index("id")].tolist().index(uid)
    fields[names.index("name_bg")][at] = name
    for member in folder.glob(f"{shp.stem}.*"):
        if member.suffix in (".shp", ".shx", ".dbf", ".cpg"):
            member.unlink()
    pyogrio.raw.write(shp, wkb, [np.asarray(f) for f in fields], fields=names,
                      geometry_type=meta["geometry_type"], crs="EPSG:4326",
                      driver="ESRI Shapefile", encoding="UTF-8")
    with zipfile.ZipFile(path, "w") as zf:
        for member in sorted(folder.iterdir()):
            zf.write(member, member.name)


def edit_kml(path: Path, uid: str, name: str) -> None:
    doc = etree.parse(str(path))
    for placemark in doc.iter("{*}Placemark"):
        data = {d.get("name"): d for d in placemark.iter("{*}SimpleData")}
        if placemark.get("id") == uid:
            data["name_bg"].text = name
            placemark.find("{*}name").text = name
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")


def edit_gpx(path: Path, uid: str, name: str) -> None:
    doc = etree.parse(str(path))
    for el in doc.getroot().xpath("*[local-name()='wpt' or local-name()='trk']"):
        if el.findtext(f".//{{{ATLAS}}}id") == uid:
            el.find(f".//{{{ATLAS}}}name_bg").text = name
            el.find("{*}name").text = name
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")


EDITORS = {"geojson": edit_geojson, "shp": edit_shp, "kml": edit_kml, "gpx": edit_gpx}
