"""The import pipeline: prepare → read → normalise → validate → write (one transaction)."""

from importers.pipeline.run import ImportRequest, ImportResult, run_import, undo_last_import

__all__ = ["ImportRequest", "ImportResult", "run_import", "undo_last_import"]
