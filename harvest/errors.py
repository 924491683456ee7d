"""The one error type the harvest app raises for a harvester's mistake, and the checks
that raise it."""

from django.core.exceptions import ValidationError


class HarvestError(ValidationError):
    """A curation rule was broken; the message says which and what to do instead."""


def check_length(text: str, *, limit: int, error: str) -> str:
    """``text``, or ``HarvestError(error)`` when it is longer than ``limit`` characters."""
    if len(text) > limit:
        raise HarvestError(error)
    return text
