"""Where a feed is wrong: file, line and field, with the reason as a message that becomes
text in the reader's language when shown (``importers.messages.Message``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from importers.messages import Message

# A feed with a systematic fault (a stop_times.txt naming a missing stop on every line)
# would otherwise list a million issues; the count is still given whole.
MAX_LISTED = 200


@dataclass
class Issue:
    file: str
    row: int  # the line in the file, the header being line 1
    field: str
    reason: Message

    @property
    def message(self) -> Message:
        return Message(_("%(file)s, line %(row)s, %(field)s: %(reason)s"), file=self.file,
                       row=self.row, field=self.field, reason=self.reason)

    def shown(self) -> dict:
        """For a reader (the API): the reason in the active language."""
        return {"file": self.file, "row": self.row, "field": self.field,
                "reason": str(self.reason)}

    def __str__(self) -> str:
        return str(self.message)


class Issues:
    """The issues of one import, the first ``MAX_LISTED`` kept, all counted."""

    def __init__(self) -> None:
        self.listed: list[Issue] = []
        self.count = 0

    def add(self, file: str, row: int, field: str, reason: Message) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(Issue(file, row, field, reason))

    def __bool__(self) -> bool:
        return self.count > 0
