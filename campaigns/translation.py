"""Which announcement fields are translated into bg / el / fr / en (modeltranslation),
and what the audit records (docs/architecture.md, "Audit")."""

from modeltranslation.translator import TranslationOptions, register

from campaigns.models import Announcement, AnnouncementLink, FeaturedRoute
from layers.audit_tracking import audit_track


@register(Announcement)
class AnnouncementTranslation(TranslationOptions):
    fields = ("title", "text")


audit_track(Announcement)
audit_track(AnnouncementLink)
audit_track(FeaturedRoute)
