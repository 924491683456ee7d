"""Explicit hooks that let higher apps react to the harvest without ``harvest`` knowing them.

``reports`` registers here (in its AppConfig) so that when a harvester redacts words, every
report version that may hold them stops being downloadable and a new one compiles.
Hooks run inside the change's transaction: they should only write rows and schedule work
with ``transaction.on_commit``.
"""

from events.models import Event
from ops.hooks import Hook, HookFunction

# hook(*, event, reason), run inside the change's transaction.
words_taken_back = Hook("words taken back")


def on_words_taken_back(hook: HookFunction) -> HookFunction:
    """Register ``hook(*, event, reason)``; usable as a decorator."""
    return words_taken_back.register(hook)


def run_words_taken_back_hooks(*, event: Event, reason: str) -> None:
    words_taken_back.run(event=event, reason=reason)
