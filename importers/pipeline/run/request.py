"""What an import is asked to do, and what it gives back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from geo.crs import Identified
from importers.messages import Message
from importers.models import ImportRun
from importers.pipeline.normalise import Issue, Rows
from layers.models import Partner

Progress = Callable[[str], None]
"""Told each stage as it starts: reading, normalising N features, writing N features."""
STAGES = ("reading", "normalising", "writing")


@dataclass
class ImportRequest:
    path: Path
    partner: Partner
    layer_slug: str
    kind: str
    file_name: str | None = None  # the name the user gave the file (uploads)
    encoding: str | None = None
    srs: Identified | None = None
    field_map: dict[str, str] = field(default_factory=dict)  # explicit field -> column
    id_field: str | None = None
    source_layer: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    sync: bool = False
    keep_duplicate_routes: bool = False
    user: User | None = None
    # Features beyond the partner's territory stop an import unless the user confirmed
    # them (the preview's checkbox, --allow-outside, the API's allow_outside).
    allow_outside: bool = False
    # A layer the import creates starts public (the command line, the demo) or visible to
    # partners only until a moderator publishes it (uploads: layers.services.layer_publish).
    new_layer_public: bool = True


@dataclass
class ImportResult:
    format: str
    label: str
    encoding: str
    encoding_reason: Message | None
    crs: str
    crs_reason: Message
    mapping: dict[str, str]
    id_field: str | None
    counts: dict[str, int]
    issues: list[Issue]
    notes: list[Message]
    preview: list[dict[str, Any]]
    rows: Rows = field(repr=False)
    run: ImportRun | None = None  # None for a dry run
    # A DBF cuts text at this many bytes (in ``encoding``): what looks cut is not an edit.
    text_limit: int | None = None
    # The column of the platform's public ids when the file has one (an export of the
    # platform, see public_ids.py): the layer's remembered settings are not the file's.
    public_id_column: str | None = None
    # Features inside the territories of partners that have not welcomed the importing
    # partner's public features there: their names and how many (Trust D14).
    uninvited: dict[str, int] = field(default_factory=dict)
    # The features beyond the partner's territory (and its border's slack), as
    # {"row": n, "name": text}: a dry run lists them for the user to confirm.
    outside: list[dict[str, Any]] = field(default_factory=list)
    outside_count: int = 0
    # The rows to write, when ``rows`` holds only the first of them (a file read in
    # batches keeps its first rows for the preview: run/stream.py).
    stored: int | None = None

    @property
    def feature_count(self) -> int:
        """How many features the import writes (created, updated or unchanged)."""
        return len(self.rows) if self.stored is None else self.stored

    @property
    def skipped(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]
