"""A DBF cuts text at its field's length: a layer exported as a shapefile and imported
back brings its long texts back cut, which is not an edit."""

from __future__ import annotations

import numpy as np
from django.db import connection

from importers.pipeline.normalise import Rows
from importers.pipeline.writer.staging import FeatureModel, quote_name


def _cut(text: str, limit: int, encoding: str) -> str:
    """``text`` as a DBF field of ``limit`` bytes in ``encoding`` holds it, read back."""
    # Writers cut at a byte; a character left incomplete is dropped when read.
    raw = text.encode(encoding, errors="replace")[:limit]
    return raw.decode(encoding, errors="ignore").strip()


def restore_cut_texts(rows: Rows, model: FeatureModel, layer_id: int, limit: int,
                      encoding: str) -> int:
    """Put back the stored text where the incoming one is exactly that text cut at ``limit``.

    A layer exported as a shapefile and imported back would otherwise replace every
    description longer than a DBF field with its first 254 bytes. One query for the
    candidate rows (texts about as long as the limit), not one per row.
    """
    text_fields = {f.column for f in model._meta.concrete_fields
                   if f.get_internal_type() in ("CharField", "TextField")}
    columns = {("field", c): v for c, v in rows.fields.items() if c in text_fields}
    columns.update({("prop", c): v for c, v in rows.props.items() if v.dtype == object})
    # A character takes at most 4 bytes: shorter texts cannot fill the field.
    shortest = limit // 4
    candidates: dict[tuple[str, str], list[int]] = {}
    for key, values in columns.items():
        at = [i for i, v in enumerate(values.tolist())
              if v.__class__ is str and len(v) >= shortest
              and limit - 16 < len(v.encode(encoding, errors="replace")) <= limit]
        if at:
            candidates[key] = at
    if not candidates:
        return 0
    keys = list(candidates)
    # A row matched by public id is its feature's, whatever source id it has.
    targets = rows.targets if rows.targets is not None else np.full(len(rows), None)
    at = sorted({i for found in candidates.values() for i in found})
    ids = sorted({rows.source_ids[i] for i in at if targets[i] is None})
    pks = sorted({int(targets[i]) for i in at if targets[i] is not None})
    select = ", ".join(f"t.{quote_name(c)}" if kind == "field" else "t.properties ->> %s"
                       for kind, c in keys)
    params = [c for kind, c in keys if kind == "prop"]
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT t.id, t.source_id, {select} FROM {table} t WHERE t.layer_id = %s "
                    "AND (t.source_id = ANY(%s) OR t.id = ANY(%s))",
                    [*params, layer_id, ids, pks])
        found_rows = cur.fetchall()
    by_source = {r[1]: r[2:] for r in found_rows}
    by_key = {r[0]: r[2:] for r in found_rows}
    kept = 0
    for k, key in enumerate(keys):
        values = columns[key]
        for i in candidates[key]:
            stored = (by_source.get(rows.source_ids[i]) if targets[i] is None
                      else by_key.get(targets[i]))
            before = (stored or (None,) * len(keys))[k]
            incoming = values[i]
            if (isinstance(before, str) and before.strip() != incoming.strip()
                    and _cut(before, limit, encoding) == incoming.strip()):
                values[i] = before
                kept += 1
    return kept
