"""Listings from a partner's own file: a CSV with longitude and latitude columns, a
GeoJSON of points, or DATAtourisme's JSON-LD (``actors.datatourisme``: its points of
interest, named by their identifier) (docs/users/listings.md, "Importing listings").

Columns are matched by name as the layer importers match them (``importers.mapping``:
case and accents folded, the four languages, ``name_bg``/``nom:fr``), plus the listing's
own fields. Each row is then checked by the same form as an actor's or the admin's
listing (``actors.forms.ListingForm``): a name in one language, a point in a partner's
territory, a type, dates in order… A row's partner is the one whose territory holds its
point, and the importing user must edit it.

All or nothing: any row refused, and nothing is written; the report names the file, the
row and the field of each, in the reader's language. Opening hours that are not in
OpenStreetMap's syntax do not refuse the row: they are kept as given, flagged
(``hours_as_given``) for an editor to rewrite, and the listing has no hours meanwhile.
A row with an identifier (``id``, ``ref``…) updates the partner's listing of that
identifier on the next import, and creates it otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import Point
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from actors import datatourisme
from actors.forms import FIELDS, ListingForm, as_text, field_title
from actors.import_columns import LANGS, TRANSLATED, column_mapping, type_value
from actors.models import Listing, territory_partner
from geo.crs import WGS84
from importers.mapping import wheelchair_value
from layers.permissions import editable_partners

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
SHOWN_PROBLEMS = 50  # a report names at most this many rows' problems

class ImportRefused(Exception):
    """The file as a whole cannot be read (its kind, its size, its columns)."""


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it (the header is row 1), or a GeoJSON feature's
    field: str  # the field's name in the reader's language
    message: str
    object: str = ""  # a JSON-LD object's identifier, which names it instead of its row

    def line(self, file: str) -> str:
        if self.object:
            return _("%(file)s, object %(object)s, %(field)s: %(message)s") % {
                "file": file, "object": self.object, "field": self.field,
                "message": self.message}
        return _("%(file)s, row %(row)s, %(field)s: %(message)s") % {
            "file": file, "row": self.row, "field": self.field, "message": self.message}


@dataclass
class Report:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    flagged: list[Problem] = field(default_factory=list)  # hours kept as given
    written: bool = False

    def lines(self) -> list[str]:
        """The report as lines of text, in the active language."""
        out = []
        for p in self.problems[:SHOWN_PROBLEMS]:
            out.append(p.line(self.file))
        if len(self.problems) > SHOWN_PROBLEMS:
            out.append(_("… and %(n)s more problems.") % {
                "n": len(self.problems) - SHOWN_PROBLEMS})
        for p in self.flagged:
            out.append(p.line(self.file))
        return out


def _read_csv(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("%(file)s is not in UTF-8 (byte %(at)s): save it as CSV "
                              "UTF-8 and import it again.") % {"file": name,
                                                               "at": exc.start}) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = list(reader.fieldnames or [])
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(_("%(file)s has more than %(n)s rows: split it.") % {
                "file": name, "n": MAX_ROWS})
        if any((v or "").strip() for k, v in row.items() if k is not None):
            rows.append((number, {k: (v or "").strip() for k, v in row.items()
                                  if k is not None}))
    return columns, rows


def _read_json(name: str, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A GeoJSON FeatureCollection, or DATAtourisme's JSON-LD (its columns are the form's
    fields, named as the form names them)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(_("%(file)s is not GeoJSON: %(error)s") % {
            "file": name, "error": exc}) from None
    if name.lower().endswith(".jsonld") or datatourisme.is_json_ld(document):
        try:
            rows = datatourisme.rows(document)
        except datatourisme.NotDatatourisme as exc:
            raise ImportRefused(_("%(file)s: %(error)s") % {"file": name,
                                                            "error": exc}) from None
        if len(rows) > MAX_ROWS:
            raise ImportRefused(_("%(file)s has more than %(n)s rows: split it.") % {
                "file": name, "n": MAX_ROWS})
        return [k for k in rows[0][1] if not k.startswith("\0")], rows
    return _read_geojson(name, document)


def _read_geojson(name: str, document: Any) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ImportRefused(_("%(file)s is not a GeoJSON FeatureCollection.") % {"file": name})
    if len(features) > MAX_ROWS:
        raise ImportRefused(_("%(file)s has more than %(n)s rows: split it.") % {
            "file": name, "n": MAX_ROWS})
    columns: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        row = {str(k): as_text(v) for k, v in (props or {}).items()
               if not isinstance(v, dict | list)}
        for key in row:
            if key not in columns:
                columns.append(key)
        if isinstance(geometry, dict) and geometry.get("type") == "Point" \
                and isinstance(geometry.get("coordinates"), list) \
                and len(geometry["coordinates"]) >= 2:
            row["\0lon"], row["\0lat"] = (as_text(c) for c in geometry["coordinates"][:2])
        else:
            row["\0geometry"] = str((geometry or {}).get("type", "")) if isinstance(
                geometry, dict) else ""
        rows.append((number, row))
    return [*columns, "\0lon", "\0lat"], rows


def read(name: str, data: bytes) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """The file's rows (number, cells) and its column mapping."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(_("%(file)s is larger than %(mb)s MB.") % {
            "file": name, "mb": MAX_BYTES // (1024 * 1024)})
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "csv":
        columns, rows = _read_csv(name, data)
        mapping = column_mapping(columns)
    elif suffix in ("geojson", "json", "jsonld"):
        columns, rows = _read_json(name, data)
        if rows and "\0object" in rows[0][1]:  # DATAtourisme: the form's own fields
            mapping = {c: c for c in columns}
        else:
            mapping = column_mapping([c for c in columns if not c.startswith("\0")])
            mapping.update({"lon": "\0lon", "lat": "\0lat"})
    else:
        raise ImportRefused(_("%(file)s: listings are imported from a CSV (with longitude "
                              "and latitude columns), a GeoJSON of points or DATAtourisme's "
                              "JSON-LD.") % {"file": name})
    missing = [f for f in ("lon", "lat", "type") if f not in mapping]
    if missing:
        raise ImportRefused(_("%(file)s has no column for %(fields)s (found: %(columns)s).") % {
            "file": name, "fields": ", ".join(missing),
            "columns": ", ".join(c for c in columns if not c.startswith("\0")) or "—"})
    if not any(f == "name" or f.startswith("name_") for f in mapping):
        raise ImportRefused(_("%(file)s has no name column (name, name_bg, nom, ονομα…).")
                            % {"file": name})
    return mapping, rows


def _label(name: str) -> str:
    if name in ("lon", "lat"):
        return str(ListingForm.base_fields[name].label)
    if name == "geometry":
        return _("geometry")
    if name == "__all__":
        return _("the row")
    base, _sep, code = name.rpartition("_")
    if code in LANGS and base in ("name", "description", "accessibility"):
        return f"{field_title(Listing, base)} ({code})"
    try:
        return field_title(Listing, name)
    except FieldDoesNotExist:  # a form-only field
        return name


def _values(row: dict[str, str], mapping: dict[str, str], main_language: str) -> dict[str, str]:
    """The row as the listing form's text. A name or description column that names no
    language holds the partner's main content language (as the layer importers read it)."""
    values = {f: "" for f in FIELDS}
    values["currency"] = "EUR"
    for name, col in mapping.items():
        if name in values:
            values[name] = row.get(col, "")
    for base in TRANSLATED:
        if base in mapping and not values[f"{base}_{main_language}"]:
            values[f"{base}_{main_language}"] = row.get(mapping[base], "")
    if values["type"]:
        values["type"] = type_value(values["type"])
    if values["wheelchair"]:
        values["wheelchair"] = wheelchair_value(values["wheelchair"]) or values["wheelchair"]
    values["currency"] = values["currency"].upper() or "EUR"
    return values


def _as_given(hours: str) -> str:
    """Hours as the listing keeps them (at most its field's 255 characters)."""
    size = Listing._meta.get_field("hours_as_given").max_length or 255
    return hours if len(hours) <= size else hours[:size - 1] + "…"


def import_listings(*, name: str, data: bytes,
                    user: User | AnonymousUser, dry_run: bool = False) -> Report:
    """Check every row of the file, then write them all, or nothing if any is refused
    (or when ``dry_run``). Messages are in the active language."""
    mapping, rows = read(name, data)
    report = Report(file=name, rows=len(rows))
    editable = set(editable_partners(user).values_list("pk", flat=True))
    checked: list[tuple[ListingForm, str]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in rows:
        where = row.get("\0object", "")
        if "\0geometry" in row:
            report.problems.append(Problem(number, _label("geometry"), _(
                "a listing is a point; this feature's geometry is %(type)s.") % {
                "type": row["\0geometry"] or "—"}))
            continue
        source_id = row.get(mapping["source_id"], "") if "source_id" in mapping else ""
        instance = Listing(source_id=source_id)
        try:
            point = Point(float(row.get(mapping["lon"], "")),
                          float(row.get(mapping["lat"], "")), srid=WGS84)
        except ValueError:
            point = None
        partner = territory_partner(point) if point is not None else None
        languages = list(partner.languages or []) if partner is not None else []
        values = _values(row, mapping, languages[0] if languages else "en")
        if partner is not None:
            if partner.pk not in editable:
                report.problems.append(Problem(number, _label("lon"), _(
                    "this place lies in the territory of %(partner)s: only its editors "
                    "list places there.") % {"partner": partner}, where))
                continue
            if source_id:
                if (partner.pk, source_id) in seen:
                    report.problems.append(Problem(
                        number, _label("source_id"),
                        _("the identifier %(id)s is also on row %(row)s.") % {
                            "id": source_id, "row": seen[(partner.pk, source_id)]}, where))
                    continue
                seen[(partner.pk, source_id)] = number
                instance = Listing.objects.filter(partner=partner,
                                                  source_id=source_id).first() or instance
        hours = values["opening_hours"]
        form = ListingForm(data=values, instance=instance)
        if not form.is_valid() and "opening_hours" in form.errors:
            # Hours a person wrote for people: kept, flagged, not a reason to refuse.
            reason = " ".join(str(m) for m in form.errors["opening_hours"])
            values["opening_hours"] = ""
            hours = _as_given(hours)
            report.flagged.append(Problem(number, _label("opening_hours"), _(
                "kept as given (%(hours)s) for an editor to rewrite in OpenStreetMap's "
                "syntax: %(reason)s") % {"hours": hours, "reason": reason}, where))
            form = ListingForm(data=values, instance=instance)
            form.is_valid()
        elif row.get("\0hours_text"):
            # Hours the file gave in its own structure that OpenStreetMap's syntax cannot
            # say exactly: kept as text and flagged, like hours a person wrote.
            hours = _as_given(row["\0hours_text"])
            report.flagged.append(Problem(number, _label("opening_hours"), _(
                "kept as given (%(hours)s) for an editor to rewrite in OpenStreetMap's "
                "syntax: %(reason)s") % {"hours": hours, "reason": row["\0hours_reason"]},
                where))
        else:
            hours = ""
        if form.errors:
            for fname, messages in form.errors.items():
                for message in messages:
                    report.problems.append(Problem(number, _label(fname), str(message),
                                                   where))
            continue
        checked.append((form, hours))
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        for form, hours in checked:
            listing = form.save(commit=False)
            listing.hours_as_given = hours
            if listing.pk:
                report.updated += 1
            else:
                report.created += 1
            listing.save()
    report.written = True
    return report
