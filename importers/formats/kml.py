"""KML and KMZ (zipped KML): every folder's placemarks."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_noop as _
from lxml import etree

from geo.crs import WGS84, identify
from importers.encoding import EncodingChoice, EncodingError, xml_encoding
from importers.exceptions import Refused
from importers.formats.base import ReadOptions, SourceData, gdal_error, object_array, read_with_gdal
from importers.messages import Message
from importers.safety import check_xml
from layers.vocabulary import PUBLIC_ID_COLUMN

# Fields GDAL's KML drivers add for KML's own elements; kept only when they say something.
HOUSEKEEPING = {"id": None, "timestamp": None, "begin": None, "end": None,
                "altitudeMode": None, "tessellate": -1, "extrude": 0, "visibility": -1,
                "drawOrder": None, "icon": None, "snippet": None}


def _without_kml_housekeeping(columns: dict) -> dict:
    out = {}
    for name, values in columns.items():
        default = HOUSEKEEPING.get(name, ...)
        if default is not ... and all(v is None or v == default for v in list(values)):
            continue
        out[name] = values
    # The platform's own exports carry name_* in ExtendedData: the <name> is a copy.
    if any(k.startswith("name_") for k in out):
        out.pop("Name", None)
        out.pop("description", None)
    return out


def _typed(text: str | None, kml_type: str | None) -> str | int | float | bool | None:
    """A <SimpleData> value as its <SimpleField> type says (text when it does not parse)."""
    if text is None:
        return None
    try:
        if kml_type in ("int", "uint", "short", "ushort"):
            return int(text)
        if kml_type in ("float", "double"):
            return float(text)
    except ValueError:
        return text
    if kml_type == "bool":
        return {"1": True, "true": True, "0": False, "false": False}.get(text.strip(), text)
    return text


def extended_data(data: bytes) -> dict[str | None, list[dict]]:
    """Each placemark's <ExtendedData>, by the name of the folder holding it, in order.

    GDAL's KML driver reads these as text and renames fields whose names are not
    plain ASCII; read here, names stay exact (Cyrillic, Greek…) and <SimpleData>
    keeps the type its <Schema> declares. ``data`` has passed ``check_xml``.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    schemas: dict[str, dict[str, str]] = {}
    for schema in root.iter("{*}Schema"):
        fields = {f.get("name"): f.get("type") for f in schema.iter("{*}SimpleField")}
        for key in (schema.get("id"), schema.get("name")):
            if key:
                schemas[key] = fields
    groups: dict[str | None, list[dict]] = {}
    for placemark in root.iter("{*}Placemark"):
        folder = next((a for a in placemark.iterancestors("{*}Folder")), None)
        name = folder.findtext("{*}name") if folder is not None else None
        values: dict = {}
        if placemark.get("id"):
            # The platform's exports give the public id as the Placemark's own id (GDAL's
            # LIBKML field ``id``); the pipeline keeps it only when it is one.
            values[PUBLIC_ID_COLUMN] = placemark.get("id")
        for extended in placemark.findall("{*}ExtendedData"):
            for item in extended.findall("{*}Data"):
                values[item.get("name")] = item.findtext("{*}value")
            for schema_data in extended.findall("{*}SchemaData"):
                types = schemas.get((schema_data.get("schemaUrl") or "").lstrip("#"), {})
                for item in schema_data.findall("{*}SimpleData"):
                    values[item.get("name")] = _typed(item.text, types.get(item.get("name")))
        groups.setdefault(name, []).append(values)
    return groups


def _exact_columns(columns: dict, placemarks: list[dict]) -> dict:
    """GDAL's KML's own fields, then each ExtendedData field with its exact name and type."""
    names = list(dict.fromkeys(k for p in placemarks for k in p if k))
    out = {k: v for k, v in columns.items() if k in HOUSEKEEPING or k in ("Name", "description")}
    for name in names:
        out[name] = object_array(p.get(name) for p in placemarks)
    return out


DECLARED_ENCODING = re.compile(r"""(<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
# What GDAL's KML parser (expat) reads itself; other encodings are rewritten in UTF-8.
EXPAT_ENCODINGS = {"utf-8", "ascii", "utf-16", "latin-1", "iso8859-1"}


def _in_utf8(path: Path, label: str) -> EncodingChoice:
    """The encoding the KML declares; the working copy rewritten in UTF-8 when expat
    cannot read that one (ISO-8859-7, windows-1251…). The XML checks read the rewrite."""
    try:
        encoding = xml_encoding(path, "KML")
    except EncodingError as exc:
        raise Refused(Message(_("%(file)s: %(problem)s"), file=label,
                              problem=exc.message)) from None
    if encoding.encoding in EXPAT_ENCODINGS:
        return encoding
    try:
        text = path.read_bytes().decode(encoding.encoding)
    except UnicodeDecodeError as exc:
        raise Refused(Message(_("%(file)s: the text is not %(codec)s (%(said)s): byte "
                                "0x%(byte)s cannot be read in it"), file=label,
                              codec=encoding.encoding, said=encoding.reason,
                              byte=exc.object[exc.start:exc.start + 1].hex().upper())) from None
    path.write_bytes(DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8"))
    return encoding


class KML:
    name = "KML"
    suffixes = frozenset({".kml", ".kmz"})
    members = frozenset({".kml"})

    def read(self, path: Path, options: ReadOptions, label: str | None = None) -> list[SourceData]:
        """``path`` is a .kml file (a KMZ has been unpacked by the pipeline)."""
        label = label or path.name
        encoding = _in_utf8(path, label)
        data = path.read_bytes()
        check_xml(data, label)
        import pyogrio  # loaded only by the formats that read through GDAL (see base)

        try:
            with warnings.catch_warnings():
                # The same warnings come again, and are reported, when the layers are read.
                warnings.simplefilter("ignore")
                layers = [name for name, _geom in pyogrio.list_layers(path)]
        except Exception as exc:  # noqa: BLE001 - GDAL's open errors
            raise Refused(Message(_("%(file)s: GDAL cannot read it as KML: %(error)s"),
                                  file=label, error=gdal_error(exc, path, label))) from None
        if options.source_layer:
            if options.source_layer not in layers:
                raise Refused(Message(_("%(file)s: no folder %(folder)s; it has %(folders)s"),
                                      file=label, folder=repr(options.source_layer),
                                      folders=", ".join(repr(n) for n in layers)))
            layers = [options.source_layer]
        groups = extended_data(data)
        sources = []
        for name in layers:
            notes: list[Message] = []
            _meta, geoms, columns = read_with_gdal(path, f"{label}/{name}", layer=name,
                                                   notes=notes)
            if len(geoms) == 0:
                continue
            # GDAL names a layer after its folder, or the document when there is none.
            placemarks = groups.get(name, groups.get(None) if len(groups) == 1 else None)
            if placemarks is not None and len(placemarks) == len(geoms) and any(placemarks):
                columns = _exact_columns(columns, placemarks)
            columns = _without_kml_housekeeping(columns)
            sources.append(SourceData(
                label=f"{label}/{name}", layer=name, geometries=np.asarray(geoms, dtype=object),
                columns=columns, crs=identify(f"EPSG:{WGS84}"),
                crs_reason=Message(_("KML coordinates are WGS 84 by definition")),
                encoding=encoding, notes=notes,
            ))
        return sources
