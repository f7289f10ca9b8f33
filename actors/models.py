"""Tourism actors' listings: accommodation, food, guides, products, events … (feature kind
``service`` on the regional layer, actors/feature_kind.py).

A listing belongs to the partner whose territory holds its point: it is computed from
the location, never chosen, and a place outside every territory is refused.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from actors.vocabulary import (
    ActorKind,
    Currency,
    DecisionAction,
    ListingStatus,
    ListingType,
    SubmissionKind,
    SubmissionState,
)
from geo.crs import WGS84
from geo.opening_hours import validate_opening_hours
from layers.models import CONTENT_LANGUAGES, Attraction, Partner
from layers.validation import practical_problems
from layers.vocabulary import Wheelchair
from media.models import MediaItem

if TYPE_CHECKING:
    import modeltranslation.manager  # noqa: F401


def territory_partner(location: object) -> Partner | None:
    """The partner whose territory holds ``location`` (a point in EPSG:4326), if any."""
    return Partner.objects.filter(boundary__intersects=location).order_by("slug").first()


class Actor(models.Model):
    """A tourism business, guide, NGO or museum that signed up on the site: one account
    (``user``, whose address is verified before it may submit anything) and its profile."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="actor")
    organisation = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20,
                            choices=ActorKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    languages = ArrayField(models.CharField(max_length=2), verbose_name=_("languages spoken"),
                           blank=True, default=list,
                           help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))
    description = models.TextField(_("description"), blank=True)
    verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    # Attractions whose claim was approved: the actor speaks for them.
    attractions = models.ManyToManyField(Attraction, blank=True, related_name="actors",
                                         verbose_name=_("claimed attractions"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "id"]
        verbose_name = _("tourism actor")
        verbose_name_plural = _("tourism actors")

    def __str__(self) -> str:
        return self.organisation

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Listing(models.Model):
    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=ListingType.choices)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices,
                              default=ListingStatus.PUBLISHED)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="listings",
                                editable=False)
    source_id = models.CharField(
        _("source id"), max_length=255, blank=True,
        help_text=_("Identifier in the partner's or actor's own data; re-imports match on it."))
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    location = models.PointField(_("location"), srid=WGS84)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=255, blank=True, validators=[validate_opening_hours],
        help_text=_("OpenStreetMap syntax, e.g. Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off"))
    # Hours an import gave that are not in OpenStreetMap's syntax: kept for an editor to
    # rewrite (actors/imports.py), shown as given meanwhile; gone once the hours are set.
    hours_as_given = models.CharField(
        _("opening hours as given"), max_length=255, blank=True,
        help_text=_("Hours from an imported file that are not in OpenStreetMap's syntax: "
                    "rewrite them as opening hours above, and this empties itself."))
    season_months = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1),
                                                     MaxValueValidator(12)]),
        verbose_name=_("season (months)"), blank=True, default=list,
        help_text=_("Months open, 1 to 12, comma-separated; empty when open all year."))
    price_from = models.DecimalField(_("price from"), max_digits=9, decimal_places=2,
                                     null=True, blank=True)
    price_to = models.DecimalField(_("price to"), max_digits=9, decimal_places=2,
                                   null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices,
                                default=Currency.EUR)
    wheelchair = models.CharField(_("wheelchair access"), max_length=10, blank=True,
                                  choices=Wheelchair.choices)
    accessibility = models.TextField(_("accessibility details"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    booking_url = models.URLField(_("booking link"), max_length=500, blank=True)
    languages = ArrayField(models.CharField(max_length=2), verbose_name=_("languages spoken"),
                           blank=True, default=list,
                           help_text=_("Two-letter codes, comma-separated, e.g. bg,en,de."))
    labels = ArrayField(models.CharField(max_length=100),
                        verbose_name=_("labels and certifications"), blank=True, default=list)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Beds, seats or places, where it applies."))
    # Events: the dates they run (inclusive); a yearly event comes back on the same dates.
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    yearly = models.BooleanField(_("every year"), default=False)
    photos = GenericRelation(MediaItem, content_type_field="owner_type",
                             object_id_field="owner_id")
    # The actor whose listing it is: they submitted it, or their claim was approved. Only
    # they submit changes to it (moderated); the partner's editors change it directly.
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="listings", verbose_name=_("tourism actor"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner", "id"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [models.Index(fields=["type"]), models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(fields=["partner", "source_id"], name="listing_source_id",
                                    condition=~models.Q(source_id="")),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="listing_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.uid)

    def clean(self) -> None:
        super().clean()
        problems: dict[str, list[object]] = {}
        if not any(getattr(self, f"name_{code}", "") for code, _label in CONTENT_LANGUAGES):
            problems["name_en"] = [_("Give a name in at least one language.")]
        if self.location is not None:
            partner = territory_partner(self.location)
            if partner is None:
                names = ", ".join(str(p) for p in Partner.objects.all())
                problems["location"] = [_(
                    "This place lies outside every partner's territory (%(partners)s): "
                    "listings are only for places inside them.") % {"partners": names}]
            else:
                self.partner = partner
        if self.opening_hours:
            self.hours_as_given = ""
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            problems["ends_on"] = [_("An event cannot end before it starts.")]
        problems |= practical_problems(self)
        if problems:
            raise ValidationError(problems)


class Submission(models.Model):
    """What an actor asks the moderators of a partner for: a new listing, a change to one
    (``values``: only the fields that change, as the form's text, with ``before``, their
    text when it was approved), a claim of a listing or an attraction, or a withdrawal.

    ``partner`` is the one whose territory holds the place: its moderators decide.
    Photos uploaded with it belong to it (media's generic relation) until it is approved,
    and move to the listing then."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=10, choices=SubmissionKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices,
                             default=SubmissionState.DRAFT)
    partner = models.ForeignKey(Partner, null=True, on_delete=models.PROTECT,
                                related_name="submissions")
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="submissions")
    attraction = models.ForeignKey(Attraction, null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="submissions")
    values = models.JSONField(default=dict, blank=True)
    before = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note to the moderators"), blank=True)
    photos = GenericRelation(MediaItem, content_type_field="owner_type",
                             object_id_field="owner_id")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["partner", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def editable(self) -> bool:
        return self.state in (SubmissionState.DRAFT, SubmissionState.CHANGES)


class Decision(models.Model):
    """One step of a submission (sent, approved, changes requested, rejected): who, when,
    why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE,
                                   related_name="decisions")
    action = models.CharField(_("action"), max_length=10, choices=DecisionAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
