"""Refused attempts: what someone tried and was not allowed (Trust D11).

The changes themselves are the event tables pghistory keeps beside each audited model
(layers/models.py, routes/models.py); this table keeps what was refused, which changes
nothing and so leaves no event.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Denial(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, verbose_name=_("who"),
                             related_name="+")
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    what = models.TextField(_("what was refused"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("refused attempt")
        verbose_name_plural = _("refused attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path}"
