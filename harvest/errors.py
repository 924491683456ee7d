"""The one error type the harvest app raises for a harvester's mistake."""

from django.core.exceptions import ValidationError


class HarvestError(ValidationError):
    """A curation rule was broken; the message says which and what to do instead."""
