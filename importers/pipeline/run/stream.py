"""A shapefile or a GeoJSON of more features than a batch (``ATLAS_IMPORT_BATCH_ROWS``), read,
normalised and staged a batch at a time inside the import's one transaction (decisions
0019, 0027; how each format is read in batches: ``run/sources.py``).

Every batch is normalised as a small file is, with the file's row numbers, and copied into
the staging table; what looks across rows then runs in SQL over that table, after the
last batch and before the upsert: ids given twice, the features beyond the partner's
territory and those in territories that have not welcomed the partner. A refusal or a
row error rolls the transaction back: nothing is written, as with a small file.

Before the transaction, as for a small file: the layer's owner and kind, the DBF's
encoding (a first pass over a sample of its text), the CRS (from a sample of features
spread over the file; a GeoJSON's from its crs member, checked on that sample), the
field mapping and the id column (a pass over the candidate columns alone, which must hold
a value on every row, each once).

A file that carries the platform's public ids is read whole (``open_stream`` says None):
matching them is not done in SQL yet; so is a file whose features cannot be read by their
ids (a .dbf of more records than the .shp has shapes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext_noop as _

from geo.crs import SUGGEST_SAMPLE
from importers import mapping as m
from importers.exceptions import Refused, RowErrors
from importers.messages import Message
from importers.pipeline import public_ids, writer
from importers.pipeline.normalise import ID_CANDIDATES, Issue, Rows, normalise, select
from importers.pipeline.run.merged import merge_issues, merge_notes
from importers.pipeline.run.read import (
    OUTSIDE_KEPT,
    OpenedFile,
    beyond_territory,
    check_declared_crs,
    check_outside,
    concat_rows,
    field_map_for,
    nothing_importable,
    read_options,
    resolve_crs,
)
from importers.pipeline.run.request import ImportRequest, ImportResult
from importers.pipeline.run.sources import BatchSource, open_source
from importers.pipeline.writer.staging import (
    Staging,
    carried,
    expressions,
    properties_sql,
    quote_name,
)
from layers.models import BORDER_SLACK_DEG, Layer, Partner
from layers.vocabulary import PUBLIC_ID_COLUMN, LayerKind

PREVIEW_ROWS = 500  # the first rows kept for the preview (importers.previews shows 500)
NUMBERS = {"bigint", "double precision"}


def batch_rows() -> int:
    return int(settings.ATLAS_IMPORT_BATCH_ROWS)


def open_stream(request: ImportRequest, opened: OpenedFile) -> Stream | None:
    """The file as a stream of batches, its CRS, mapping and id column checked; None when
    it is to be read whole (another format, no more features than a batch, public ids)."""
    size = batch_rows()
    source = open_source(opened, read_options(request), size)
    if source is None:
        return None
    try:
        stream = Stream(request, opened, source, size)
        if stream.prepare():
            return stream
    except BaseException:
        source.close()
        raise
    source.close()
    return None


def _hashed(values: list[str]) -> np.ndarray:
    return np.fromiter((hash(v) for v in values), dtype=np.int64, count=len(values))


@dataclass
class Stream:
    request: ImportRequest
    opened: OpenedFile
    source: BatchSource
    size: int
    count: int = 0
    columns: list[str] = field(default_factory=list)
    field_map: dict[str, str] = field(default_factory=dict)
    id_field: str | None = None
    # The staging table: its columns' types; property columns whose type no batch has
    # said yet (every value empty so far); names of the property columns.
    types: dict[str, str] = field(default_factory=dict)
    untyped: set[str] = field(default_factory=set)
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    kept_cut: int = 0
    staged: int = 0
    created: bool = False
    crs: Any = None  # Identified, once prepared
    crs_reason: Any = None  # Message, once prepared

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.source.close()

    def batches(self, **kwargs: Any) -> Any:
        yield from self.source.batches(self.size, **kwargs)

    # Before the transaction -------------------------------------------------------------

    def prepare(self) -> bool:
        """Check what a small file's reading checks; False when the file carries the
        platform's public ids (it is then read whole)."""
        request, source = self.request, self.source
        self.count = source.count()
        fids = sorted({int(i) for i in np.linspace(0, self.count - 1, SUGGEST_SAMPLE)})
        try:
            sample = source.sample(fids, self.size)
        except Refused:
            # A feature GDAL counts but cannot read by its id (a .dbf of more records
            # than the .shp has shapes), a file GDAL cannot read to its end: read whole,
            # as before, whatever that finds.
            return False
        resolve_crs(sample, request.partner)
        if request.srs is None:
            check_declared_crs(sample, request.partner)
        self.crs, self.crs_reason = sample.crs, sample.crs_reason
        self.columns = source.columns()
        if PUBLIC_ID_COLUMN in self.columns and request.id_field != PUBLIC_ID_COLUMN \
                and self._public_ids():
            return False
        existing = self.opened.existing
        saved = existing.import_settings if existing else {}
        kind = LayerKind(request.kind)
        self.field_map = field_map_for(request, saved, self.columns, kind,
                                    request.partner.main_language, self.opened.label)
        self.id_field = request.id_field or saved.get("id_field") or self._unique_column()
        if self.id_field and self.id_field not in self.columns:
            raise Refused(Message(_("%(file)s: no column %(column)s for the id; it has "
                                    "%(columns)s"), file=self.opened.label,
                                  column=repr(self.id_field),
                                  columns=", ".join(repr(c) for c in self.columns)))
        return True

    def _public_ids(self) -> bool:
        """Whether the ``id`` column holds the platform's public ids (as
        ``public_ids.recognise`` decides for a file read whole)."""
        present = False
        known = public_ids.SOURCE_ID_COLUMN in self.columns
        for data in self.batches(columns=[PUBLIC_ID_COLUMN], geometry=False):
            values = data.columns[PUBLIC_ID_COLUMN]
            ids = [None if v is None or v == "" else public_ids.public_id(v) or False
                   for v in values.tolist()]
            if False in ids:
                return False
            found = sorted({v for v in ids if isinstance(v, str)})
            present = present or bool(found)
            if found and not known:
                known = public_ids.known(found)
        return present and known

    def _unique_column(self) -> str | None:
        """``choose_id_field`` over the whole file, a column at a time."""
        ranked = sorted((c for c in self.columns if m.fold(c) in ID_CANDIDATES),
                        key=lambda c: ID_CANDIDATES.index(m.fold(c)))
        for col in ranked:
            if self._unique(col):
                return col
        return None

    def _unique(self, col: str) -> bool:
        """Whether ``col`` holds a value on every row, each once. Integers are compared
        whole, texts by their hashes, then by the texts where two hashes are equal: one
        array of 8 bytes a row, sorted in place (np.unique would copy it three times)."""
        keys = np.empty(self.count, dtype=np.int64)
        filled = 0
        texts = False
        for data in self.batches(columns=[col], geometry=False):
            values = np.asarray(data.columns[col])
            if values.dtype.kind in "iu" and not texts:
                keys[filled:filled + len(values)] = values
            else:
                strings = [str(v) for v in values.tolist() if v not in (None, "")]
                if len(strings) < len(values):
                    return False
                if not texts and filled:  # integers so far: as texts, as a whole read would
                    keys[:filled] = _hashed([str(v) for v in keys[:filled].tolist()])
                texts = True
                keys[filled:filled + len(values)] = _hashed(strings)
            filled += len(values)
        keys = keys[:filled]
        keys.sort()
        equal = keys[1:] == keys[:-1]
        if not equal.any():
            return True
        if not texts:
            return False
        # Equal hashes: the texts themselves, for those hashes only.
        doubtful = set(keys[1:][equal].tolist())
        del keys, equal
        seen: set[str] = set()
        for data in self.batches(columns=[col], geometry=False):
            for v in data.columns[col].tolist():
                text = str(v)
                if hash(text) in doubtful:
                    if text in seen:
                        return False
                    seen.add(text)
        return True

    # Inside the transaction -------------------------------------------------------------

    def stage(self, layer: Layer) -> ImportResult:
        """Read, normalise and stage every batch, then check across rows in SQL: the
        result as ``read_and_check`` gives it for a small file."""
        request, label = self.request, self.opened.label
        kind = LayerKind(request.kind)
        model = writer.MODELS[kind]
        partner = request.partner
        others = list(Partner.objects.exclude(pk=partner.pk).exclude(welcomes=partner)
                      .order_by("slug"))
        territories = []
        for other in others:
            territory = shapely.geometry.shape(json.loads(other.boundary.geojson)).buffer(
                -BORDER_SLACK_DEG)
            shapely.prepare(territory)
            territories.append(territory)
        issues: list[Issue] = []
        read_notes: dict[str, Message] = {}
        notes: list[Message] = []
        head: Rows | None = None
        head_seq = 0
        read = left_out = 0
        text_limit = None
        with connection.cursor() as cur:
            for data in self.batches():
                data.crs, data.crs_reason = self.crs, self.crs_reason
                text_limit = data.text_limit
                for note in data.notes:
                    read_notes.setdefault(note.english, note)
                read += len(data)
                batch_notes: list[Message] = []
                rows = normalise(data, kind=kind, field_map=self.field_map,
                                 id_field=self.id_field, issues=issues, notes=batch_notes,
                                 dedupe=False)
                merge_notes(notes, batch_notes)
                left_out += rows.left_out
                del data
                if not len(rows):
                    continue
                beyond = beyond_territory(rows, partner)
                inside = np.full(len(rows), None, dtype=object)
                if beyond.any() and territories:
                    points = shapely.point_on_surface(rows.geoms[beyond])
                    found = [shapely.contains(t, points) for t in territories]
                    for j, i in enumerate(np.flatnonzero(beyond)):
                        inside[i] = [k for k in range(len(found)) if found[k][j]] or None
                if text_limit and self.source.encoding:
                    self.kept_cut += writer.restore_cut_texts(
                        rows, model, layer.pk, text_limit, self.source.encoding.encoding)
                staging = Staging(rows, model, self.names)
                staging.add("seq", "bigint", np.arange(self.staged, self.staged + len(rows)))
                staging.add("beyond", "boolean", beyond)
                staging.add("inside", "smallint[]", inside)
                self._copy(cur, staging)
                self.fields |= set(rows.fields)
                need = PREVIEW_ROWS - (0 if head is None else len(head))
                if need > 0:  # (the batch is staged: its rows may be cut)
                    part = select(rows, np.arange(len(rows)) < need)
                    if head is None:
                        head_seq, head = self.staged, part
                    else:
                        head = concat_rows(head, part)
                self.staged += len(rows)
                del rows, staging
            if not self.types:  # no row could be normalised: the table, empty
                self._create_empty(cur, model)
            issues = merge_issues(issues)
            self._dedupe(cur, issues, label)
            total, outside, outside_rows = self._outside(cur)
            all_notes = [*read_notes.values(), *notes]
            check_outside(request, label, outside, total, outside_rows, all_notes)
            uninvited = self._uninvited(cur, others) if outside and others else {}
            errors = [i for i in issues if i.severity == "error"]
            if errors and not request.skip_invalid:
                raise RowErrors(errors)
            if total == 0:
                raise nothing_importable(label, kind, all_notes)
            head = self._head(cur, head, head_seq)
        self.staged = total
        encoding = self.source.encoding
        return ImportResult(
            format=self.opened.fmt.name, label=label,
            encoding=encoding.encoding if encoding else "",
            encoding_reason=encoding.reason if encoding else None,
            crs=self.crs.label, crs_reason=self.crs_reason, mapping=self.field_map,
            id_field=self.id_field,
            counts={"read": read, "skipped": len({(i.file, i.row) for i in errors}),
                    "left_out": left_out},
            issues=issues, notes=all_notes, preview=[], rows=head, text_limit=text_limit,
            public_id_column=None, uninvited=uninvited, outside=outside_rows,
            outside_count=outside, stored=total)

    def _copy(self, cur: CursorWrapper, staging: Staging) -> None:
        """COPY a batch into the staging table, made by the first batch; a column a later
        batch brings is added, one whose values change type is widened as a small file's
        column would be typed (numbers: double precision; else JSON values)."""
        columns = []
        for name, sql_type, values in staging.columns:
            empty = values.dtype == object and not any(v is not None for v in values.tolist())
            if name not in self.types:
                if self.created:
                    cur.execute(f"ALTER TABLE import_staging ADD COLUMN {quote_name(name)} "
                                f"{sql_type}")
                self.types[name] = sql_type
                if empty:
                    self.untyped.add(name)
            elif not empty and self.types[name] != sql_type:
                if name in self.untyped:
                    self._retype(cur, name, sql_type, "NULL")
                elif {self.types[name], sql_type} == NUMBERS:
                    if self.types[name] == "bigint":
                        self._retype(cur, name, "double precision", quote_name(name))
                elif self.types[name] != "jsonb":
                    self._retype(cur, name, "jsonb", f"to_jsonb({quote_name(name)})")
            if not empty:
                self.untyped.discard(name)
            if self.types[name] == "jsonb" and sql_type != "jsonb" and not empty:
                values = np.array([None if v is None else
                                   json.dumps(v, ensure_ascii=False, default=str)
                                   for v in values.tolist()], dtype=object)
            columns.append((name, self.types[name], values))
        staging.columns = columns
        if not self.created:
            staging.create(cur)
            self.created = True
        staging.copy(cur)

    def _retype(self, cur: CursorWrapper, name: str, sql_type: str, using: str) -> None:
        cur.execute(f"ALTER TABLE import_staging ALTER COLUMN {quote_name(name)} "
                    f"TYPE {sql_type} USING {using}")
        self.types[name] = sql_type

    def _create_empty(self, cur: CursorWrapper, model: Any) -> None:
        empty = Staging(Rows(kind=self.request.kind), model, self.names)
        empty.add("seq", "bigint", np.empty(0, dtype=np.int64))
        empty.add("beyond", "boolean", np.empty(0, dtype=bool))
        empty.add("inside", "smallint[]", np.empty(0, dtype=object))
        empty.create(cur)
        self.types = {n: t for n, t, _v in empty.columns}

    def _dedupe(self, cur: CursorWrapper, issues: list[Issue], label: str) -> None:
        """Ids given to more than one row: with an id column, every row after the first is
        an error (left out); hashes of equal geometries are numbered in file order."""
        dups = ("SELECT source_id FROM import_staging GROUP BY source_id "
                "HAVING count(*) > 1")
        if self.id_field is None:
            cur.execute(f"""
                UPDATE import_staging s SET source_id = s.source_id || '~' || d.k
                FROM (SELECT seq, row_number() OVER (PARTITION BY source_id ORDER BY seq) AS k
                      FROM import_staging WHERE source_id IN ({dups})) d
                WHERE s.seq = d.seq AND d.k > 1""")
            return
        cur.execute(f"""
            SELECT seq, rn, source_id, first_rn FROM (
                SELECT seq, rn, source_id,
                       first_value(rn) OVER (PARTITION BY source_id ORDER BY seq) AS first_rn,
                       row_number() OVER (PARTITION BY source_id ORDER BY seq) AS k
                FROM import_staging WHERE source_id IN ({dups})) d
            WHERE k > 1 ORDER BY source_id COLLATE "C", seq""")
        found = cur.fetchall()
        layer = self.source.layer
        for _seq, rn, sid, first_rn in found:
            issues.append(Issue(label, layer, rn, self.id_field, Message(
                _("id %(id)s is also on row %(row)s"), id=repr(sid), row=str(first_rn))))
        if found:
            cur.execute("DELETE FROM import_staging WHERE seq = ANY(%s)",
                        [[r[0] for r in found]])

    def _outside(self, cur: CursorWrapper) -> tuple[int, int, list[dict[str, object]]]:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE beyond) FROM import_staging")
        total, outside = cur.fetchone()
        if not outside:
            return total, 0, []
        names = [f"NULLIF(s.{quote_name(f'name_{c}')}, '')" for c in ("bg", "el", "fr", "en")
                 if f"name_{c}" in self.types]
        name = "COALESCE(" + ", ".join([*names, "''"]) + ")"
        cur.execute(f"SELECT s.rn, {name} FROM import_staging s WHERE s.beyond "
                    f"ORDER BY s.seq LIMIT {OUTSIDE_KEPT}")
        return total, outside, [{"row": rn, "name": text} for rn, text in cur.fetchall()]

    def _uninvited(self, cur: CursorWrapper, others: list[Partner]) -> dict[str, int]:
        cur.execute("SELECT k, count(*) FROM import_staging, unnest(inside) k "
                    "WHERE beyond GROUP BY k ORDER BY k")
        return {(others[k].name or others[k].slug): n for k, n in cur.fetchall()}

    def _head(self, cur: CursorWrapper, head: Rows | None, seq: int) -> Rows:
        """The first rows (staged from ``seq`` on) as staged: ids numbered, rows given
        twice left out."""
        if head is None:
            return Rows(kind=self.request.kind)
        cur.execute("SELECT seq - %s, source_id FROM import_staging "
                    "WHERE seq >= %s AND seq < %s", [seq, seq, seq + len(head)])
        kept = dict(cur.fetchall())
        keep = np.array([i in kept for i in range(len(head))], dtype=bool)
        for i in np.flatnonzero(keep):
            head.source_ids[i] = kept[int(i)]
        return select(head, keep)

    def upsert(self, *, layer_id: int, run_id: int, sync: bool) -> writer.Outcome:
        model = writer.MODELS[LayerKind(self.request.kind)]
        return writer.upsert(model=model, exprs=expressions(model, set(self.types)),
                             update_cols=carried(model, self.fields),
                             properties_sql=properties_sql(self.names), by_key=False,
                             count=self.staged, layer_id=layer_id, run_id=run_id, sync=sync,
                             kept_cut=self.kept_cut)


__all__ = ["Stream", "batch_rows", "open_stream"]
