"""What normalising hands on: the rows, column by column, and every issue found on the
way (a row rejected, a geometry repaired, a warning) with the place it was found."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop as _

from importers.messages import Message, severity_label


@dataclass
class Issue:
    file: str
    layer: str
    row: int | str  # a row number, or a short list of them for aggregated warnings
    field: str
    reason: Message
    severity: str = "error"  # error (row rejected) | repaired | warning

    def __post_init__(self) -> None:
        if not isinstance(self.row, str):
            self.row = int(self.row)  # numpy indices must not reach JSON

    def as_dict(self) -> dict:
        """As import runs keep it: the reason in English, and as a message to translate."""
        return {"file": self.file, "layer": self.layer, "row": self.row, "field": self.field,
                "reason": self.reason.english, "severity": self.severity,
                "message": self.reason.as_json()}

    def shown(self) -> dict:
        """For a reader (the API): the reason in the active language."""
        return {"file": self.file, "layer": self.layer, "row": self.row, "field": self.field,
                "reason": str(self.reason), "severity": self.severity}

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)

    @property
    def message(self) -> Message:
        """Where and what: file, layer, row (or rows), field and reason."""
        where = {"file": self.file, "layer": self.layer, "row": self.row,
                 "field": self.field, "reason": self.reason}
        if isinstance(self.row, str):
            return Message(_("%(file)s, layer %(layer)s, rows %(row)s, %(field)s: %(reason)s"),
                           **where)
        return Message(_("%(file)s, layer %(layer)s, row %(row)s, %(field)s: %(reason)s"),
                       **where)

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class Rows:
    """Normalised rows of one kind, column by column, ready to write."""

    kind: str
    label: str = ""
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    source_ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    geoms: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    fields: dict[str, np.ndarray] = field(default_factory=dict)  # model field -> values
    props: dict[str, np.ndarray] = field(default_factory=dict)  # unmapped column -> values
    # Original values of mapped columns that were not understood (None elsewhere):
    # they join the properties of their rows.
    unknown: dict[str, np.ndarray] = field(default_factory=dict)
    left_out: int = 0  # features read but of the other kind (points for trails…)
    # The platform's public id of each row (str or None), when the file carries them and
    # they are to match features (importers/pipeline/public_ids.py); and, once resolved
    # under the layer's lock, the stored feature (primary key) each row is matched to.
    public_ids: np.ndarray | None = None
    targets: np.ndarray | None = None
    # Where each row comes from, for messages: an index into ``sources`` (file, layer);
    # a KML's folders are several sources of one import.
    source_no: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    sources: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.source_ids)

    def values(self, i: int) -> dict[str, Any]:
        return {f: v[i] for f, v in self.fields.items()}

    def properties(self, i: int) -> dict[str, Any]:
        out = {c: v[i] for c, v in self.props.items()}
        out.update({c: v[i] for c, v in self.unknown.items() if v[i] is not None})
        return out
