"""What a listing is, and the states it goes through."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Shared with attractions' prices; named here too, where the listings' code reads it.
from layers.vocabulary import Currency as Currency


class ListingType(models.TextChoices):
    # Aligned with schema.org's types (actors/jsonld.py) and DATAtourisme's classes.
    ACCOMMODATION = "accommodation", _("Accommodation")
    FOOD = "food_drink", _("Food and drink")
    GUIDE = "guide", _("Guide or activity provider")
    EXPERIENCE = "experience", _("Experience or package")
    PRODUCT = "local_product", _("Local product")
    RENTAL = "rental_transport", _("Rental and transport")
    INFORMATION = "information", _("Information centre")
    EVENT = "event", _("Event")


class ListingStatus(models.TextChoices):
    # Actors' drafts and moderation add states here; partners' editors publish directly.
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


MONTHS = [(m, m) for m in range(1, 13)]


class ActorKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    GUIDE = "guide", _("Guide")
    NGO = "ngo", _("Non-governmental organisation")
    MUSEUM = "museum", _("Museum")


class SubmissionKind(models.TextChoices):
    NEW = "new", _("New listing")
    CHANGE = "change", _("Change to a listing")
    CLAIM = "claim", _("Claim")
    WITHDRAW = "withdraw", _("Withdrawal")


class SubmissionState(models.TextChoices):
    # draft and changes_requested: the actor's to edit; pending: the moderators'.
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for moderation")
    CHANGES = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DecisionAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    CHANGES = "changes", _("Changes requested")
    REJECT = "reject", _("Rejected")
