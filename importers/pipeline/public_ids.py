"""The platform's own public ids in an imported file: recognised, and matched under the lock.

Every export of the platform carries each feature's public id (``uid``) in a column
named ``id`` (layers.vocabulary.PUBLIC_ID_COLUMN; GeoJSON: the Feature's ``id``, GPX:
``atlas:id``, which the GPX reader gives that name). Imported back, that column is
not an attribute of the features, and not their source id: it says which stored
feature each row is.

``recognise`` decides, per source, before anything is normalised. A column named
``id`` whose every value is a UUID is the platform's when the file also has a
``source_id`` column, as every export has, or when one of its values is the public
id of an attraction or trail on the platform. Otherwise it is the file's own column,
as before (a partner's own UUIDs: their ids). ``--id-field id`` says it is the file's
own too.

``resolve`` runs in the import's transaction, under the layer's lock. A row whose
public id is that of a feature of the layer being imported is matched to it,
whatever its source id says, and the feature keeps its source id (a feature drawn
on the platform has none: its export writes the public id as the source id). A
public id of a feature of another layer, or of no feature at all, is not used: the
row is matched by its source id in this layer like any other row, and a warning
names the rows. The upsert writes to this layer only, so a feature of another layer
is never moved or changed by a file that names it. Two rows that would update the
same feature are row errors.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from django.db import connection
from django.utils.translation import gettext_noop as _

from importers.formats.base import SourceData, object_array
from importers.messages import Message
from importers.pipeline.normalise import Issue, Rows, select
from importers.pipeline.normalise.attributes import SHOWN_ROWS
from layers.models import Layer
from layers.vocabulary import PUBLIC_ID_COLUMN

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
SOURCE_ID_COLUMN = "source_id"  # what every export names the source id
REGIONAL_COLUMNS = ("partner", "layer", "kind")
"""The columns the regional layer's export adds (layers.exports.rows)."""


def public_id(value: object) -> str | None:
    """The value as a public id (lower-case UUID text), or None when it is not one."""
    if value.__class__ is not str:
        return None
    text = value.strip()
    return text.lower() if UUID_RE.match(text) else None


def known(ids: list[str]) -> bool:
    """Whether any of ``ids`` is the public id of an attraction or trail."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT EXISTS (SELECT 1 FROM layers_attraction WHERE uid = ANY(%s::uuid[]))
                OR EXISTS (SELECT 1 FROM layers_trail WHERE uid = ANY(%s::uuid[]))""",
                    [ids, ids])
        return cur.fetchone()[0]


def recognise(source: SourceData, *, id_field: str | None) -> str | None:
    """Take the platform's public-id column out of ``source.columns`` into
    ``source.public_ids``; its name, or None when the file has no such column.

    ``id_field``: the column the user named for the source id (--id-field).
    """
    column = PUBLIC_ID_COLUMN
    if column not in source.columns or column == id_field:
        return None
    values = source.columns[column]
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)
    ids = object_array(None if v is None or v == "" else public_id(v) or False
                       for v in values)
    present = {v for v in ids.tolist() if v is not None}
    if not present or False in present:  # no value, or one that is not a UUID
        return None
    if SOURCE_ID_COLUMN not in source.columns and not known(sorted(present)):
        return None
    source.public_ids = ids
    del source.columns[column]
    # The regional layer's export also says whose each feature was and of which kind:
    # imported into one layer, those are the layer's own, not attributes of its features.
    if {"partner", "layer"} <= set(source.columns):
        for name in REGIONAL_COLUMNS:
            source.columns.pop(name, None)
    return column


def _rows(numbers: list[int]) -> int | str:
    """One row as its number; several as a short list (as normalise names them)."""
    if len(numbers) == 1:
        return numbers[0]
    shown = ", ".join(str(r) for r in numbers[:SHOWN_ROWS])
    return shown + (f" … (+{len(numbers) - SHOWN_ROWS})" if len(numbers) > SHOWN_ROWS else "")


def _stored(ids: list[str]) -> dict[str, tuple[int, int, str, str, str]]:
    """Public id -> (feature pk, layer pk, source id, layer slug, partner slug)."""
    found = {}
    with connection.cursor() as cur:
        for table in ("layers_attraction", "layers_trail"):
            cur.execute(f"""
                SELECT t.uid::text, t.id, t.layer_id, t.source_id, l.slug, p.slug
                FROM {table} t JOIN layers_layer l ON l.id = t.layer_id
                JOIN layers_partner p ON p.id = l.partner_id
                WHERE t.uid = ANY(%s::uuid[])""", [ids])
            found.update({r[0]: r[1:] for r in cur.fetchall()})
    return found


def resolve(rows: Rows, *, layer: Layer, column: str,
            id_field: str | None) -> tuple[list[Issue], int]:
    """Match ``rows`` to the layer's features by their public ids (``rows.targets``).

    ``column``: the public-id column's name; ``id_field``: the source id's (None: the
    source ids are hashes of the geometries).

    Returns the issues (warnings for ids not used, errors for rows two of which would
    update one feature; those rows are left out of ``rows``) and how many rows were
    matched by their public id.
    """
    n = len(rows)
    targets = np.full(n, None, dtype=object)
    rows.targets = targets
    ids = rows.public_ids
    if ids is None or not n:
        return [], 0
    at = [i for i, v in enumerate(ids.tolist()) if v]
    stored = _stored(sorted({ids[i] for i in at})) if at else {}
    issues: list[Issue] = []
    keep = np.ones(n, dtype=bool)

    def where(i: int) -> tuple[str, str]:
        return rows.sources[rows.source_no[i]]

    other: dict[tuple, list[int]] = defaultdict(list)  # (file, layer, slug, partner) -> rows
    unknown: dict[tuple, list[int]] = defaultdict(list)  # (file, layer) -> rows
    matched: dict[int, int] = {}  # feature pk -> the row matched to it
    taken: dict[str, int] = {}  # stored source id of a matched feature -> its row
    for i in at:
        hit = stored.get(ids[i])
        if hit is None:
            unknown[where(i)].append(int(rows.rows[i]))
            continue
        pk, layer_pk, source_id, slug, partner = hit
        if layer_pk != layer.pk:
            other[(*where(i), slug, partner)].append(int(rows.rows[i]))
            continue
        if pk in matched:
            first = matched[pk]
            issues.append(Issue(*where(i), rows.rows[i], column, Message(
                _("public id %(id)s is also on row %(row)s"), id=ids[i],
                row=str(rows.rows[first]))))
            keep[i] = False
            continue
        matched[pk] = i
        targets[i] = pk
        if source_id and source_id != rows.source_ids[i]:
            taken[source_id] = i
    # A row matched by its source id to a feature that another row is matched to by its
    # public id (the file gave that row another source id): one feature, two rows.
    if taken:
        for i in range(n):
            other_row = taken.get(rows.source_ids[i])
            if keep[i] and targets[i] is None and other_row is not None:
                issues.append(Issue(*where(i), rows.rows[i], id_field or "geometry", Message(
                    _("source id %(id)s is that of the feature that row %(row)s is matched "
                      "to by its public id"), id=repr(rows.source_ids[i]),
                    row=str(rows.rows[other_row]))))
                keep[i] = False
    for (label, source_layer, slug, partner), numbers in other.items():
        issues.append(Issue(label, source_layer, _rows(numbers), column, Message(
            _("the public id of a feature of layer %(other)s (partner %(partner)s), not of "
              "layer %(layer)s: not used, and that feature is not changed; matched by the "
              "source id in layer %(layer)s"), other=repr(slug), partner=repr(partner),
            layer=repr(layer.slug)), "warning"))
    for (label, source_layer), numbers in unknown.items():
        issues.append(Issue(label, source_layer, _rows(numbers), column, Message(
            _("not the public id of any attraction or trail of the platform (deleted since "
              "the export?): not used; matched by the source id")), "warning"))
    if not keep.all():
        select(rows, keep)
    return issues, len(matched)
