"""The café's clock and phases: opening, extending and closing rounds, the plenary, closing
and the end (also when the event is closed from its overview), and broadcasts."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cafes import news
from cafes.checks import check_id, check_minutes, check_text
from cafes.errors import CafeError
from cafes.models import Cafe, CafePhase, Round, RoundStatus
from cafes.payloads import round_payload
from cafes.permissions import Viewer, chooses_own_table
from cafes.services._common import _open_round, _require_run
from cafes.services._locks import _hold_cafe, _lock_cafe
from cafes.services.seats import SeatingStrategy, _seat_round
from events import services as event_services
from events.models import Event, EventStatus

BROADCAST_MAX_LENGTH = 280


def _close(round_: Round) -> None:
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])


def _round_news(event: Event, round_: Round, phase: str, *, kind: str = "round") -> None:
    """Every screen hears of the round's new state and the café's phase."""
    news.record(event=event, kind=kind, payload={"round": round_payload(round_), "phase": phase})


@transaction.atomic
def open_round(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    number: int,
    minutes: int | None = None,
    strategy: str = SeatingStrategy.ROTATE,
) -> Round:
    """Open a round: everyone sees its prompt and a countdown ending at ``ends_at``. A round
    not yet seated is seated first (``strategy``: rotate or back to the original tables)."""
    _require_run(viewer)
    minutes = check_minutes(minutes, allow_none=True)
    number = check_id(number, what="round number")
    cafe = _lock_cafe(viewer.event)
    round_ = Round.objects.filter(event=viewer.event, number=number).first()
    if round_ is None:
        raise CafeError("not_found", f"There is no round {number}.")
    if round_.status != RoundStatus.PENDING:
        raise CafeError("round_started", f"Round {number} has already been opened.")
    still_open = Round.objects.filter(event=viewer.event, status=RoundStatus.OPEN).first()
    if still_open:
        raise CafeError(
            "round_open", f"Close round {still_open.number} before opening round {number}."
        )
    if not round_.seats.exists() and not chooses_own_table(viewer.event):
        _seat_round(viewer.event, round_, strategy)
    now = timezone.now()
    round_.status = RoundStatus.OPEN
    round_.opened_at = now
    round_.ends_at = now + timedelta(minutes=minutes or round_.planned_minutes)
    round_.save(update_fields=["status", "opened_at", "ends_at"])
    cafe.current_round = round_
    cafe.phase = CafePhase.ROUND
    cafe.save(update_fields=["current_round", "phase"])
    _round_news(viewer.event, round_, cafe.phase, kind="round.opened")
    return round_


@transaction.atomic
def extend_round(*, viewer: Viewer, client_id: str | None = None, minutes: int) -> Round:
    """Add minutes to the open round's countdown (from now, if it had already run out)."""
    _require_run(viewer)
    minutes = check_minutes(minutes)
    round_ = _open_round(_lock_cafe(viewer.event))
    round_.ends_at = max(round_.ends_at or timezone.now(), timezone.now()) + timedelta(
        minutes=minutes
    )
    round_.save(update_fields=["ends_at"])
    news.record(event=viewer.event, kind="round", payload={"round": round_payload(round_)})
    return round_


@transaction.atomic
def close_round(*, viewer: Viewer, client_id: str | None = None) -> Round:
    """Close the open round; the café moves to its plenary, where everyone chats."""
    _require_run(viewer)
    cafe = _lock_cafe(viewer.event)
    round_ = _open_round(cafe)
    _close(round_)
    cafe.phase = CafePhase.PLENARY
    cafe.save(update_fields=["phase"])
    _round_news(viewer.event, round_, cafe.phase)
    return round_


@transaction.atomic
def set_phase(*, viewer: Viewer, client_id: str | None = None, phase: str) -> Cafe:
    """Move the whole café to the plenary, the closing questions or the end."""
    _require_run(viewer)
    allowed = {CafePhase.PLENARY, CafePhase.CLOSING, CafePhase.ENDED}
    if not isinstance(phase, str) or phase not in allowed:
        raise CafeError("bad_phase", "The phase must be plenary, closing or ended.")
    cafe = _lock_cafe(viewer.event)
    if Round.objects.filter(event=viewer.event, status=RoundStatus.OPEN).exists():
        raise CafeError("round_open", "Close the open round first.")
    cafe.phase = phase
    cafe.save(update_fields=["phase"])
    if phase == CafePhase.ENDED:
        # Read the status afresh: a console's viewer holds the event as it was when the page
        # opened, perhaps before another facilitator put it live (issue 17).
        viewer.event.refresh_from_db(fields=["status"])
        if viewer.event.status == EventStatus.LIVE:
            # Closing runs the event's closed hooks: draft themes and report v1 on commit.
            event_services.transition_event(
                event=viewer.event, to=EventStatus.CLOSED, by=viewer.user
            )
    news.record(event=viewer.event, kind="cafe", payload={"phase": phase})
    return cafe


def end_cafe_on_close(*, event: Event, closed_by) -> None:
    """The event-closed hook: closing an event from its overview ends its café too, as
    "End the event" in the console does, so every screen says the same (issue 17)."""
    cafe = _hold_cafe(event)
    if cafe is None or cafe.phase == CafePhase.ENDED:
        return
    for round_ in Round.objects.filter(event=event, status=RoundStatus.OPEN):
        _close(round_)
        _round_news(event, round_, CafePhase.ENDED)
    cafe.phase = CafePhase.ENDED
    cafe.save(update_fields=["phase"])
    news.record(event=event, kind="cafe", payload={"phase": CafePhase.ENDED})


@transaction.atomic
def broadcast(*, viewer: Viewer, client_id: str | None = None, text: str) -> Cafe:
    """A message every table sees at once, e.g. "Two minutes left"."""
    _require_run(viewer)
    text = check_text(text, what="message", max_length=BROADCAST_MAX_LENGTH)
    cafe = _lock_cafe(viewer.event)
    cafe.broadcast = text
    cafe.broadcast_at = timezone.now()
    cafe.save(update_fields=["broadcast", "broadcast_at"])
    news.record(
        event=viewer.event,
        kind="broadcast",
        payload={"text": text, "at": cafe.broadcast_at.isoformat()},
    )
    return cafe
