"""The import pipeline: prepare → read → normalise → validate → write (one transaction)."""

from importers.pipeline.run import (
    ImportRequest,
    ImportResult,
    import_check,
    run_import,
    undo_last_import,
)

__all__ = ["ImportRequest", "ImportResult", "import_check", "run_import", "undo_last_import"]
