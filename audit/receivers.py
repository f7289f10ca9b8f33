"""What the audit listens to in the apps below it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from audit.services import denial_record
from importers.pipeline.run import import_refused


@receiver(import_refused)
def import_refused_record(sender: Any, *, user: Any, partner: Any, layer_slug: str,
                          reason: str, **kwargs: Any) -> None:
    denial_record(user=user, what=f"import as partner {partner.slug} into layer "
                                  f"{layer_slug!r} of another partner: {reason}")
