"""The one error type the openspace app raises when a user's action cannot be done."""

from cafes.errors import CafeError


class OpenSpaceError(CafeError):
    """An Open Space or Create rule was broken. ``code`` is for programs, ``message`` for
    people. A ``CafeError`` so the live socket and the pages report both the same way."""
