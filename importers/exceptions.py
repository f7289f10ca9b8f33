"""What an import can end with other than success.

Both carry a ``Message`` (importers.messages): ``str(exc)`` is the text in the
active language, ``exc.message`` what an import run keeps.
"""

from django.utils.translation import gettext_noop as _

from importers.messages import Message


class Refused(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


class RowErrors(ValueError):
    """Some rows are invalid; nothing was written (unless --skip-invalid)."""

    def __init__(self, issues: list):
        self.issues = issues
        self.message = Message(_("invalid rows: %(count)s; nothing was written"),
                               count=len(issues))
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)
