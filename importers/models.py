"""Import runs: what was imported, how, by whom, and what it changed (for undo)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from importers.messages import severity_label, shown
from layers.models import Layer, Partner


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        UNDONE = "undone", _("Undone")
        # Its undo waits for the background worker or is being run by it; a refused undo
        # puts it back to succeeded, with the reason (``messages["undo_refused"]``).
        UNDOING = "undoing", _("Being undone")

    # A run waiting for the background worker or being run by it (importers.jobs).
    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    # What a layer's latest import is: the one an undo takes back, and no earlier one
    # while it is being undone.
    STANDING = (Status.SUCCEEDED, Status.UNDOING)

    layer = models.ForeignKey(Layer, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="import_runs")
    # The run's owner, by id: who may read and undo it. Never the layer's slug, which
    # another partner can take once the layer is renamed.
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="import_runs")
    layer_slug = models.SlugField(help_text=_("Kept when a failed import created no layer."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL)
    status = models.CharField(max_length=12, choices=Status.choices)
    started_at = models.DateTimeField()
    duration_s = models.FloatField(null=True)
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    file_size = models.BigIntegerField()
    format = models.CharField(max_length=40, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    encoding_reason = models.TextField(blank=True)
    crs = models.CharField(max_length=200, blank=True)
    crs_reason = models.TextField(blank=True)
    options = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=dict, blank=True,
                               help_text=_("Model field -> source column used."))
    counts = models.JSONField(default=dict, blank=True,
                              help_text=_("read, created, updated, unchanged, skipped, retired"))
    issues = models.JSONField(default=list, blank=True,
                              help_text=_("Per-row report: file, layer, row, field, reason."))
    notes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    messages = models.JSONField(
        default=dict, blank=True,
        help_text=_("encoding_reason, crs_reason, error and notes as message ids with their "
                    "values, to show them in the reader's language (the text fields keep them "
                    "in English)."))
    layer_settings_before = models.JSONField(default=dict, blank=True)
    # Who asked for its undo (importers.undos): the worker undoes it in their name, and
    # the audit's events of the undo say so.
    undo_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    # Where a background run is (importers.jobs): "reading", "normalising", "writing",
    # with the number of features of the last two.
    stage = models.CharField(max_length=20, blank=True)
    stage_count = models.IntegerField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    # The upload a queued run imports (importers.services.pending_dir), deleted after.
    upload_token = models.CharField(max_length=32, blank=True)
    created_ids = ArrayField(models.BigIntegerField(), default=list, blank=True,
                             help_text=_("Features this run created (undo deletes them)."))

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["layer", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.layer_slug} ({self.status})"

    def translated(self) -> dict:
        """The run's reasons, error, notes and issues in the active language.

        Runs from before messages were kept show their English text.
        """
        kept = self.messages or {}
        notes = kept.get("notes") or []
        return {
            "encoding_reason": shown(kept.get("encoding_reason"), self.encoding_reason),
            "crs_reason": shown(kept.get("crs_reason"), self.crs_reason),
            "error": shown(kept.get("error"), self.error) if self.error else "",
            "undo_refused": shown(kept.get("undo_refused"), ""),
            "notes": [shown(notes[i] if i < len(notes) else None, note)
                      for i, note in enumerate(self.notes)],
            "issues": [{**issue, "reason": shown(issue.get("message"), issue.get("reason", "")),
                        "severity_label": severity_label(issue.get("severity", ""))}
                       for issue in self.issues],
        }


class RunChange(models.Model):
    """One feature an import updated or retired, with its row as it was before."""

    class Action(models.TextChoices):
        UPDATED = "updated"
        RETIRED = "retired"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=20)  # "attraction" / "trail"
    feature_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(null=True, help_text=_("The row before the run (to_jsonb)."))

    class Meta:
        indexes = [models.Index(fields=["run", "action"])]

    def __str__(self) -> str:
        return f"{self.action} {self.model} {self.feature_id}"


class ImportPreview(models.Model):
    """A dry run of an upload, run by the background worker (importers/previews.py): what
    the import would do, kept for the page and the API that wait for it.

    Not an import run: it writes nothing, so it is in no layer's history. It belongs to its
    upload (``token``, under importers.services.pending_dir) and to whoever uploaded it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    token = models.CharField(max_length=32, unique=True)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    layer_slug = models.SlugField()
    file_name = models.CharField(max_length=500)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    stage_count = models.IntegerField(null=True, blank=True)
    # What the import would do (importers.previews.report_of): its messages kept as ids
    # and values, shown in the reader's language.
    report = models.JSONField(default=dict, blank=True)
    # Why the file cannot be imported: {"message": …, "issues": [Issue.as_dict() …]}.
    error = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} → {self.layer_slug} (preview, {self.status})"

    def translated(self) -> dict:
        """The report's and the error's messages in the active language."""
        kept = self.report or {}
        return {
            "encoding_reason": shown(kept.get("encoding_reason"), ""),
            "crs_reason": shown(kept.get("crs_reason"), ""),
            "notes": [shown(note, "") for note in kept.get("notes", [])],
            "issues": [{**issue, "reason": shown(issue.get("message"), issue.get("reason", "")),
                        "text": shown(issue.get("text"), ""),
                        "severity_label": severity_label(issue.get("severity", ""))}
                       for issue in kept.get("issues", [])],
            "error": shown(self.error.get("message"), "") if self.error else "",
            "error_issues": [{**issue, "reason": shown(issue.get("message"),
                                                       issue.get("reason", ""))}
                             for issue in (self.error or {}).get("issues", [])],
        }
