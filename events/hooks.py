"""Explicit hooks that let higher apps react to an event's life without ``events``
importing them (``reports`` starts compiling when an Explore event closes; ``cafes`` takes
a withdrawn participant's words off every screen).

A higher app registers in its ``AppConfig.ready()``; ``events.services`` calls
``run_event_closed_hooks`` inside the closing transaction, so a hook should only schedule
work with ``transaction.on_commit``.
"""

from events.models import Event, Participant
from ops.hooks import Hook, HookFunction

# hook(*, event, closed_by), run inside the closing transaction.
event_closed = Hook("event closed")
# hook(*, participant), run inside the withdrawal's transaction.
participant_withdrawn = Hook("participant withdrawn")


def on_event_closed(hook: HookFunction) -> HookFunction:
    """Register ``hook(*, event, closed_by)``; usable as a decorator."""
    return event_closed.register(hook)


def run_event_closed_hooks(*, event: Event, closed_by) -> None:
    event_closed.run(event=event, closed_by=closed_by)


def on_participant_withdrawn(hook: HookFunction) -> HookFunction:
    """Register ``hook(*, participant)``, run inside the withdrawal's transaction."""
    return participant_withdrawn.register(hook)


def run_participant_withdrawn_hooks(*, participant: Participant) -> None:
    participant_withdrawn.run(participant=participant)
