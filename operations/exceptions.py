class OperationError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do.

    Raised before anything is changed, unless the message says otherwise.
    """
