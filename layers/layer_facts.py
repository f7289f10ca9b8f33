"""A layer's own records beside its features: its metadata record's hand-written part and
the statistics its features' triggers keep (``layers.models`` re-exports both)."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from layers.vocabulary import UpdateFrequency


class LayerMetadata(models.Model):
    """What a layer's metadata record says that the platform cannot know: its keywords,
    how often it is updated and whom to ask about it. The rest of the record (title,
    abstract, licence, source, lineage, extent, CRS, count, last change) is read from the
    layer, its features and its import history each time (layers/metadata), never kept
    twice but for the count, extent and dates, which ``LayerStatistics`` keeps. Its
    partner's editors and moderators edit it in the admin."""

    layer = models.OneToOneField("layers.Layer", on_delete=models.CASCADE, primary_key=True,
                                 related_name="metadata", verbose_name=_("layer"))
    keywords = models.TextField(
        _("keywords"), blank=True,
        help_text=_("Words a catalogue finds the layer by, separated by commas."))
    update_frequency = models.CharField(
        _("update frequency"), max_length=12, choices=UpdateFrequency.choices,
        default=UpdateFrequency.UNKNOWN)
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True,
        help_text=_("Who answers questions about this layer at the partner."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metadata record")
        verbose_name_plural = _("metadata records")

    def __str__(self) -> str:
        return str(self.layer)


class LayerStatistics(models.Model):
    """What a layer's current (not retired) features of one kind come to: how many, their
    extent and their first and last dates. The layer list, the OGC collections and the
    metadata records read these instead of counting and measuring the features at each
    request, which took 25 s at 11 million points.

    Kept by statement triggers on the features' tables (migration 0028), in the writing
    transaction, so every writer keeps them true (imports, the admin, the API, undo,
    restore); nothing else writes them. A bulk writer that turns the triggers off calls
    ``atlas_layer_statistics_refresh(kind, layer_ids)`` after."""

    layer = models.ForeignKey("layers.Layer", on_delete=models.CASCADE, related_name="statistics")
    kind = models.CharField(max_length=20)  # the registry's kind: "attraction", "trail"
    feature_count = models.BigIntegerField(default=0)
    # The features' extent, degrees (EPSG:4326), as ST_Extent gives it; null when none.
    west = models.FloatField(null=True)
    south = models.FloatField(null=True)
    east = models.FloatField(null=True)
    north = models.FloatField(null=True)
    first_created = models.DateTimeField(null=True)  # the oldest feature's created_at
    last_updated = models.DateTimeField(null=True)  # the latest updated_at of one

    class Meta:
        constraints = [models.UniqueConstraint(fields=["layer", "kind"],
                                               name="layer_statistics_kind")]

    def __str__(self) -> str:
        return f"{self.layer_id} {self.kind}: {self.feature_count}"
