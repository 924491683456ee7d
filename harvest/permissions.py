"""Who may curate an event's harvest (build and edit its themes, redact, write conclusions),
decided from the staff roles ``events.permissions`` reads. Views, consumers and the staff home
page ask here."""

from events.models import Event, Stage
from events.permissions import User, can_manage_event


def can_curate_harvest(user: User, event: Event) -> bool:
    return can_manage_event(user, event)


def has_harvest_door(user: User, event: Event) -> bool:
    """The staff home page links to the harvest workspace: an Explore event's curators."""
    return event.stage == Stage.EXPLORE and can_curate_harvest(user, event)
