class DomainError(Exception):
    """A service refused a change; ``message`` tells the person why, in their language."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
