"""What an import can end with other than success: the platform's error family
(geo/errors.py), with the import's ``Message`` (importers.messages): ``str(exc)`` is the
text in the active language, ``exc.message`` what an import run keeps.
"""

from django.utils.translation import gettext_noop as _

from geo import errors
from geo.errors import Refused
from importers.messages import Message

__all__ = ["Refused", "RowErrors"]


class RowErrors(errors.RowErrors):
    """Some rows are invalid; nothing was written (unless --skip-invalid)."""

    def __init__(self, issues: list):
        super().__init__(Message(_("invalid rows: %(count)s; nothing was written"),
                                 count=len(issues)), issues)
