"""Explicit hooks that let higher apps react to the harvest without ``harvest`` knowing them.

``reports`` registers here (in its AppConfig) so that when a harvester redacts words, every
report version that may hold them stops being downloadable and a new one compiles.
Hooks run inside the change's transaction: they should only write rows and schedule work
with ``transaction.on_commit``.
"""

from collections.abc import Callable

from events.models import Event

WordsTakenBackHook = Callable[..., None]
_words_taken_back_hooks: list[WordsTakenBackHook] = []


def on_words_taken_back(hook: WordsTakenBackHook) -> WordsTakenBackHook:
    """Register ``hook(*, event, reason)``; usable as a decorator."""
    if hook not in _words_taken_back_hooks:
        _words_taken_back_hooks.append(hook)
    return hook


def run_words_taken_back_hooks(*, event: Event, reason: str) -> None:
    for hook in _words_taken_back_hooks:
        hook(event=event, reason=reason)
