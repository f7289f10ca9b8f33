"""Good practices: what a partner did (or found elsewhere in the EU), tied to places, and
the record of every step of its review.

A practice's ``geom`` is the one geometry the regional layer (lists, tiles, exports, the
explorer) draws: a point for each of its places, kept by ``exchange.services`` whenever
the places change. The places themselves (an attraction, a trail, a route or a drawn
shape) are drawn whole on the practice's own page.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.vocabulary import (
    EndorsementKind,
    Origin,
    PlannerMeasure,
    PracticeKind,
    Status,
    StepKind,
    Theme,
    TransferStatus,
)
from geo.crs import WGS84
from layers.models import Attraction, Partner, Trail
from layers.vocabulary import Category
from routes.models import PilotRoute

TITLE_MAX = 100
SUMMARY_MAX = 600


class GoodPractice(models.Model):
    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="practices",
                                verbose_name=_("partner"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="practices", verbose_name=_("author"))
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    problem = models.TextField(_("problem it addressed"), blank=True)
    actions = models.TextField(_("what was done"), blank=True)
    stakeholders = models.TextField(_("who took part"), blank=True)
    resources = models.TextField(_("resources (budget, people, duration)"), blank=True)
    evidence = models.TextField(_("evidence of success"), blank=True)
    lessons = models.TextField(_("difficulties and lessons"), blank=True)
    transfer = models.TextField(_("what it takes to transfer it"), blank=True)
    # Language code -> TextStatus value, for the languages that have a text.
    text_status = models.JSONField(_("status of each language's text"), default=dict,
                                   blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PracticeKind.choices,
                            default=PracticeKind.PRACTICE)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    themes = ArrayField(models.CharField(max_length=32, choices=Theme.choices),
                        verbose_name=_("themes"), default=list, blank=True)
    categories = ArrayField(models.CharField(max_length=32, choices=Category.choices),
                            verbose_name=_("attraction categories"), default=list, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices,
                              default=Origin.OWN)
    source_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    source_country = models.CharField(_("country (ISO code)"), max_length=2, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_licence = models.CharField(_("licence of the text"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    demo = models.BooleanField(_("demo content"), default=False,
                               help_text=_("Written by the project to show the platform."))
    geom = models.MultiPointField(_("places (points)"), srid=WGS84, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(period_start__isnull=True) | models.Q(period_end__isnull=True)
                           | models.Q(period_end__gte=models.F("period_start"))),
                name="practice_period_in_order"),
        ]

    def __str__(self) -> str:
        return self.title or str(self.uid)

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.FEATURED)


# A practice's or a visit's place is exactly one thing: an attraction, a trail, a route or
# a drawn shape.
ONE_PLACE = models.Q(
    models.Q(attraction__isnull=False, trail__isnull=True, route__isnull=True,
             drawn__isnull=True)
    | models.Q(attraction__isnull=True, trail__isnull=False, route__isnull=True,
               drawn__isnull=True)
    | models.Q(attraction__isnull=True, trail__isnull=True, route__isnull=False,
               drawn__isnull=True)
    | models.Q(attraction__isnull=True, trail__isnull=True, route__isnull=True,
               drawn__isnull=False))


class PracticePlace(models.Model):
    """One place a practice concerns: exactly one of an attraction (a sub-area is one too:
    the planner's sub-areas are attractions of a reference layer), a trail, a route, or a
    shape drawn on the map."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="places")
    order = models.PositiveSmallIntegerField(default=0)
    attraction = models.ForeignKey(Attraction, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="practice_places")
    trail = models.ForeignKey(Trail, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="practice_places")
    route = models.ForeignKey(PilotRoute, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="practice_places")
    drawn = models.GeometryField(srid=WGS84, null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["practice", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_PLACE,
                name="place_is_one_thing"),
        ]


class Indicator(models.Model):
    """A row of evidence: one measure before and after the practice."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE,
                                 related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=200)
    # One of the planner's measures: the values are then the planner's, for the
    # practice's partner at the row's dates (exchange.evidence).
    measure = models.CharField(_("planner indicator"), max_length=32, blank=True,
                               choices=PlannerMeasure.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value_before = models.FloatField(_("value before"), null=True, blank=True)
    value_after = models.FloatField(_("value after"), null=True, blank=True)
    date_before = models.DateField(_("measured before on"), null=True, blank=True)
    date_after = models.DateField(_("measured after on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["practice", "order", "id"]


class PracticeEvent(models.Model):
    """One change of a practice's state: who, in which partner's name, when, and what they
    said (a reviewer's questions and requested changes are kept here, for the author)."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+")
    # Kept as text too: the record outlives a deleted account.
    actor_name = models.CharField(max_length=150, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["practice", "at", "id"]


QUESTION_MAX = 5000


class Hideable(models.Model):
    """What a moderator may take out of sight without deleting it (Decidim's hide): who
    hid it, when and why, kept for the moderators, who may show it again."""

    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    hidden_by_name = models.CharField(max_length=150, blank=True)
    hidden_reason = models.TextField(_("why it was hidden"), max_length=1000, blank=True)

    class Meta:
        abstract = True

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class Question(Hideable):
    """A question on a practice, or an answer to one (``parent``): a thread between the
    partners, each message in the name of the writer's partner."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE,
                                 related_name="questions")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    author_name = models.CharField(max_length=150, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("text"), max_length=QUESTION_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "created_at", "id"]


class Endorsement(Hideable):
    """A partner says a practice is useful, that it plans to apply it, or that it did."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE,
                                 related_name="endorsements")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EndorsementKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "kind", "partner"]
        constraints = [models.UniqueConstraint(fields=["practice", "partner", "kind"],
                                               name="one_endorsement_per_partner_and_kind")]


class Transfer(models.Model):
    """Partner B (``partner``) re-uses partner A's practice: its plan (``steps``), where it
    stands, the evidence measured in B's territory (``indicators``) and every change of
    state (``events``). At most one open transfer per practice and receiving partner."""

    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE,
                                 related_name="transfers", verbose_name=_("practice"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transfers_in",
                                verbose_name=_("receiving partner"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=TransferStatus.choices,
                              default=TransferStatus.EXPLORING)
    plan = models.TextField(_("plan"), max_length=10_000, blank=True)
    reason = models.TextField(_("reason it was abandoned"), max_length=5000, blank=True)
    demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "partner"], name="one_open_transfer_per_partner",
                condition=~models.Q(status__in=["transferred", "abandoned"])),
            models.CheckConstraint(
                condition=~models.Q(status="abandoned") | ~models.Q(reason=""),
                name="abandoned_transfer_says_why"),
        ]

    def __str__(self) -> str:
        return f"{self.practice} → {self.partner}"


class TransferStep(models.Model):
    """A step or a milestone of a transfer's plan: when, who, and whether it is done."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices,
                            default=StepKind.STEP)
    title = models.CharField(_("step"), max_length=200)
    due = models.DateField(_("due on"), null=True, blank=True)
    done = models.DateField(_("done on"), null=True, blank=True)
    people = models.CharField(_("people"), max_length=300, blank=True)

    class Meta:
        ordering = ["transfer", "order", "id"]


class TransferIndicator(models.Model):
    """Evidence of a transfer: one measure before and after, in one partner's territory.
    Only rows measured in the receiving partner's territory, with both values and dates,
    let a transfer count as transferred (CHARTS: measurable impact in the recipient
    region)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    territory = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("measured in"))
    name = models.CharField(_("indicator"), max_length=200)
    measure = models.CharField(_("planner indicator"), max_length=32, blank=True,
                               choices=PlannerMeasure.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    value_before = models.FloatField(_("value before"), null=True, blank=True)
    value_after = models.FloatField(_("value after"), null=True, blank=True)
    date_before = models.DateField(_("measured before on"), null=True, blank=True)
    date_after = models.DateField(_("measured after on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["transfer", "order", "id"]


class TransferEvent(models.Model):
    """One change of a transfer's state: who, in which partner's name, when, and why."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TransferStatus.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["transfer", "at", "id"]


class StudyVisit(models.Model):
    """Partners visit a host partner: the places they saw, the practices shown there, the
    notes and (through media) the report and photos."""

    uid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    host = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="visits_hosted",
                             verbose_name=_("host partner"))
    visitors = models.ManyToManyField(Partner, related_name="visits_made",
                                      verbose_name=_("visiting partners"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    practices = models.ManyToManyField(GoodPractice, related_name="visits", blank=True,
                                       verbose_name=_("practices seen"))
    notes = models.TextField(_("notes"), max_length=20_000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                              name="visit_dates_in_order")]

    def __str__(self) -> str:
        return self.title


class VisitPlace(models.Model):
    """A place seen on a visit: an attraction, a trail, a route or a drawn shape (as a
    practice's places)."""

    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="places")
    order = models.PositiveSmallIntegerField(default=0)
    attraction = models.ForeignKey(Attraction, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    trail = models.ForeignKey(Trail, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    route = models.ForeignKey(PilotRoute, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    drawn = models.GeometryField(srid=WGS84, null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["visit", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_PLACE,
                name="visit_place_is_one_thing"),
        ]
