"""Explicit hooks that let higher apps react to the harvest without ``harvest`` knowing them.

``reports`` registers here (in its AppConfig) so that when a harvester redacts words, every
report version that may hold them stops being downloadable and a new one compiles.
Hooks run inside the change's transaction: they should only write rows and schedule work
with ``transaction.on_commit``.

``openspace`` registers on ``series_agenda`` so that the series view can offer to put a
theme on the Create event's agenda, which the harvest knows nothing about.
"""

from dataclasses import dataclass, field

from events.models import Event, Series
from ops.hooks import Hook, HookFunction

# hook(*, event, reason), run inside the change's transaction.
words_taken_back = Hook("words taken back")


def on_words_taken_back(hook: HookFunction) -> HookFunction:
    """Register ``hook(*, event, reason)``; usable as a decorator."""
    return words_taken_back.register(hook)


def run_words_taken_back_hooks(*, event: Event, reason: str) -> None:
    words_taken_back.run(event=event, reason=reason)


@dataclass
class AgendaOffer:
    """What the series view offers for the series' Create agenda. The harvest does not keep
    that agenda: the app that does (``openspace``) fills this in on ``series_agenda``."""

    kept: bool = False  # some app keeps a Create agenda (else the page offers nothing)
    create_event: Event | None = None  # the series' Create event, if it has one
    can_add: bool = False  # the viewer may add themes to its agenda
    add_url: str = ""  # where "Add to the Create agenda" posts
    client_id: str = ""  # sent with the page's buttons, so a double submit adds once
    on_agenda: set[str] = field(default_factory=set)  # keys of the themes already on it


# hook(*, series, user, offer), run when the series view is shown; fills ``offer``.
series_agenda = Hook("series agenda")


def on_series_agenda(hook: HookFunction) -> HookFunction:
    """Register ``hook(*, series, user, offer)``; usable as a decorator."""
    return series_agenda.register(hook)


def agenda_offer(*, series: Series, user) -> AgendaOffer:
    offer = AgendaOffer()
    series_agenda.run(series=series, user=user, offer=offer)
    return offer
