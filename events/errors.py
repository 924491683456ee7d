"""The one error type the events app raises for a user's mistake."""

from django.core.exceptions import ValidationError


class EventsError(ValidationError):
    """A rule about series, events or participants was broken; the message says which."""
