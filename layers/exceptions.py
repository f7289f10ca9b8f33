class BadParameter(ValueError):
    """A request parameter a client got wrong; the message names it and says why."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
