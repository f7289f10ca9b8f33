"""Controlled vocabularies of the exchange of good practices."""

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from planner.params import DEFAULT_RADIUS_KM


class Theme(models.TextChoices):
    """What a practice is about: a short, translated list, so that partners find each
    other's practices by the same words in any language."""

    CULTURAL_HERITAGE = "cultural_heritage", _("Cultural heritage")
    NATURE_OUTDOORS = "nature_outdoors", _("Nature and outdoors")
    WINE_GASTRONOMY = "wine_gastronomy", _("Wine and gastronomy")
    RURAL_AGRITOURISM = "rural_agritourism", _("Rural and agritourism")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    DIGITAL_TOOLS = "digital_tools", _("Digital tools")
    PROMOTION = "promotion", _("Promotion and campaigns")
    GOVERNANCE = "governance", _("Governance and cooperation")
    SKILLS = "skills", _("Skills and training")
    SUSTAINABILITY = "sustainability", _("Sustainability")
    EVENTS = "events", _("Events")
    PRODUCTS_CRAFTS = "products_crafts", _("Products and crafts")


class PracticeKind(models.TextChoices):
    PRACTICE = "practice", _("Good practice")
    # Failures teach too: a partner documents what did not work and why.
    LESSON = "lesson", _("Lesson from a failure")


class Origin(models.TextChoices):
    OWN = "own", _("The partner's own")
    EXTERNAL = "external", _("Found elsewhere in the EU")


class TextStatus(models.TextChoices):
    """How far a language's text of a practice can be trusted."""

    ORIGINAL = "original", _("Original")
    HUMAN = "human", _("Human translation")
    REVIEW = "review", _("Needs review")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    # A practice (bg практика, fr pratique) is feminine: not the routes' "Published".
    PUBLISHED = "published", pgettext_lazy("practice status", "Published")
    FEATURED = "featured", _("Featured")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.FEATURED)
"""A tourist sees these; every other state stays with the partners who work on it."""

EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
"""The author's partner writes a practice only before it is under review or after a
reviewer sent it back: what a reviewer approved is what is published."""

TRANSLATED_TEXTS = ("title", "summary", "problem", "actions", "stakeholders", "resources",
                    "evidence", "lessons", "transfer")
"""The practice's texts, each in bg / el / fr / en (django-modeltranslation)."""


class EndorsementKind(models.TextChoices):
    USEFUL = "useful", _("Useful")
    PLAN = "plan", _("We plan to apply it")
    APPLIED = "applied", _("We applied it")


class TransferStatus(models.TextChoices):
    """Where a partner's transfer of another partner's practice stands (URBACT's transfer
    networks: understood, adapted, piloted, re-used)."""

    EXPLORING = "exploring", _("Exploring")
    ADAPTING = "adapting", _("Adapting")
    PILOTING = "piloting", _("Piloting")
    TRANSFERRED = "transferred", _("Transferred")
    ABANDONED = "abandoned", _("Abandoned")


TRANSFER_FLOW = (TransferStatus.EXPLORING, TransferStatus.ADAPTING, TransferStatus.PILOTING,
                 TransferStatus.TRANSFERRED)
"""The way forward; a transfer may go back a step (a pilot that must be adapted again) and
may be abandoned from any open state."""

TRANSFER_ENDS = (TransferStatus.TRANSFERRED, TransferStatus.ABANDONED)


class StepKind(models.TextChoices):
    STEP = "step", _("Step")
    MILESTONE = "milestone", _("Milestone")


def _share_within_label() -> str:
    # The planner's snapshots answer only its standard question, so a row's share is
    # always within the default radius: the label names the number, not a letter.
    return gettext("Share of the territory within %(km)s km of an attraction") % {
        "km": f"{DEFAULT_RADIUS_KM:g}"}


class PlannerMeasure(models.TextChoices):
    """Indicators the planner measures itself: an evidence row naming one says that its
    values are the planner's, for the receiving partner's territory at the row's dates."""

    ATTRACTIONS_PER_100KM2 = "attractions_per_100km2", _("Attractions per 100 km²")
    SHARE_WITHIN = "share_within", lazy(_share_within_label, str)()
    TRAIL_KM = "trail_km", _("Trail kilometres")
    PUBLISHED_ROUTES = "published_routes", _("Published pilot routes")
