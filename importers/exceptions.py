"""What an import can end with other than success."""


class Refused(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


class RowErrors(ValueError):
    """Some rows are invalid; nothing was written (unless --skip-invalid)."""

    def __init__(self, issues: list):
        self.issues = issues
        super().__init__(f"{len(issues)} invalid row(s); nothing was written")
