"""The one error type the cafes app raises when a user's action cannot be done."""


class CafeError(Exception):
    """A café rule was broken. ``code`` is for programs, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"CafeError({self.code!r}, {self.message!r})"
