"""Explicit hooks that let a higher app shape the café without ``cafes`` importing it.

``openspace`` runs a Connect or Create event (people choose their own table) as one long
round, with its own prompt and length: it registers the plan of that round in its
``AppConfig.ready()``, and ``cafes.services.ensure_rounds`` asks for it.
"""

from collections.abc import Callable

from events.models import Event

# ``hook(event) -> (prompt, minutes)`` of the one round of an event whose people choose
# their own table.
OwnTableRoundHook = Callable[[Event], tuple[str, int]]
_own_table_round_hooks: list[OwnTableRoundHook] = []


def on_own_table_round(hook: OwnTableRoundHook) -> OwnTableRoundHook:
    """Register ``hook(event)``; usable as a decorator. The first one registered answers."""
    if hook not in _own_table_round_hooks:
        _own_table_round_hooks.append(hook)
    return hook


def own_table_round(event: Event) -> tuple[str, int] | None:
    """The prompt and minutes of an own-table event's round (``None``: no app says)."""
    return _own_table_round_hooks[0](event) if _own_table_round_hooks else None
