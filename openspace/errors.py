"""The one error type the openspace app raises when a user's action cannot be done."""

from cafes.errors import CafeError


class OpenSpaceError(CafeError):
    """An Open Space or Create rule was broken. ``code`` is for programs, ``message`` for
    people, ``field`` (when there is one) names the form field it is about. A
    ``CafeError`` so the live socket and the pages report both the same way."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(code, message)
        self.field = field
