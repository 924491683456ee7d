"""Explicit hooks that let higher apps react to an event's life without ``events``
importing them (``reports`` starts compiling when an Explore event closes; ``cafes`` takes
a withdrawn participant's words off every screen).

A higher app registers in its ``AppConfig.ready()``; ``events.services`` calls
``run_event_closed_hooks`` inside the closing transaction, so a hook should only schedule
work with ``transaction.on_commit``.
"""

from collections.abc import Callable

from events.models import Event

EventClosedHook = Callable[..., None]
_event_closed_hooks: list[EventClosedHook] = []


def on_event_closed(hook: EventClosedHook) -> EventClosedHook:
    """Register ``hook(*, event, closed_by)``; usable as a decorator."""
    if hook not in _event_closed_hooks:
        _event_closed_hooks.append(hook)
    return hook


def run_event_closed_hooks(*, event: Event, closed_by) -> None:
    for hook in _event_closed_hooks:
        hook(event=event, closed_by=closed_by)


ParticipantWithdrawnHook = Callable[..., None]
_participant_withdrawn_hooks: list[ParticipantWithdrawnHook] = []


def on_participant_withdrawn(hook: ParticipantWithdrawnHook) -> ParticipantWithdrawnHook:
    """Register ``hook(*, participant)``, run inside the withdrawal's transaction."""
    if hook not in _participant_withdrawn_hooks:
        _participant_withdrawn_hooks.append(hook)
    return hook


def run_participant_withdrawn_hooks(*, participant) -> None:
    for hook in _participant_withdrawn_hooks:
        hook(participant=participant)
