"""The last round's priorities: a table puts up to three forward, removes them, and its
participants dot-vote."""

from django.db import transaction
from django.db.models import Max, QuerySet

from cafes import news
from cafes.checks import check_client_id, check_found, check_text
from cafes.errors import CafeError
from cafes.models import NoteStatus, Priority, Round, Seat, Vote
from cafes.payloads import priority_payload
from cafes.permissions import Viewer, can_remove_priority, can_vote
from cafes.services._common import (
    _forbidden,
    _hosting,
    _open_round,
    _same_author_or_refuse,
    _save,
    _writable_table,
)
from cafes.services._locks import _lock_cafe
from cafes.services.notes import _note_for
from cafes.toggles import set_row
from events.models import Event, Participant

PRIORITIES_PER_TABLE = 3


def _seated_table_id(participant: Participant | None, round_: Round) -> int | None:
    if participant is None:
        return None
    return (
        Seat.objects.filter(round=round_, participant=participant)
        .values_list("table_id", flat=True)
        .first()
    )


def _is_priority_author(viewer: Viewer, priority: Priority) -> bool:
    """A priority keeps only a participant author: staff put theirs forward as nobody."""
    if viewer.participant is not None:
        return priority.author_id == viewer.participant.pk
    return priority.author_id is None


def _priorities_round(event: Event) -> int:
    """Priorities are chosen in the event's last round (round 3 of an Explore event)."""
    return Round.objects.filter(event=event).aggregate(last=Max("number"))["last"] or 0


def _priority_of(priorities: QuerySet[Priority], round_: Round, priority_id) -> Priority:
    missing = CafeError("not_found", "That priority does not exist in this round.")
    return check_found(
        priorities.filter(round=round_), priority_id, what="priority", missing=missing
    )


def _priority_news(priority: Priority, action: str) -> None:
    news.record(
        event=priority.round.event,
        table=priority.table,
        kind="priority",
        payload={"action": action, "priority": priority_payload(priority)},
    )


@transaction.atomic
def add_priority(
    *,
    viewer: Viewer,
    client_id,
    text: str | None = None,
    source_note_id: int | None = None,
    table_id: int | None = None,
) -> Priority:
    """Put one of the table's (up to three) priorities forward, new or from a note."""
    client_id = check_client_id(client_id)
    cafe = _lock_cafe(viewer.event)
    round_ = _open_round(cafe)
    existing = Priority.objects.filter(round=round_, client_id=client_id).first()
    if existing is not None:
        return _same_author_or_refuse(viewer, existing, is_author=_is_priority_author)
    if round_.number != _priorities_round(viewer.event):
        raise CafeError("not_priorities_round", "Priorities are chosen in the last round.")
    table = _writable_table(viewer, round_, table_id)
    source = None
    if source_note_id is not None:
        source = _note_for(viewer, source_note_id)
        if source.table_id != table.pk or source.status != NoteStatus.VISIBLE:
            raise CafeError("bad_note", "Choose a note that is on your table's board.")
    text = check_text(text if text else (source.text if source else ""), what="priority")
    if Priority.objects.filter(round=round_, table=table).count() >= PRIORITIES_PER_TABLE:
        raise CafeError(
            "too_many_priorities",
            "Your table already has three priorities. Remove one to add another.",
        )
    priority = Priority(
        round=round_,
        table=table,
        text=text,
        source_note=source,
        author=viewer.participant,
        client_id=client_id,
    )
    _save(priority)
    _priority_news(priority, "added")
    return priority


@transaction.atomic
def remove_priority(*, viewer: Viewer, client_id: str | None = None, priority_id: int) -> None:
    """Take a priority off the table's board (its votes go with it): the person who put it
    forward, or the table's host (staff, or the participant hosting it) or a facilitator."""
    cafe = _lock_cafe(viewer.event)
    round_ = _open_round(cafe)
    priority = _priority_of(Priority.objects.select_related("round", "table"), round_, priority_id)
    if not can_remove_priority(viewer, priority, _hosting(viewer, cafe)):
        raise _forbidden("Only whoever put a priority forward, or the table's host, can remove it.")
    payload = {"action": "removed", "priority": priority_payload(priority)}
    table = priority.table
    priority.delete()
    news.record(event=viewer.event, table=table, kind="priority", payload=payload)


@transaction.atomic
def vote(
    *, viewer: Viewer, client_id: str | None = None, priority_id: int, on: bool = True
) -> Priority:
    """A participant's dot vote for one of their table's priorities (one dot each)."""
    cafe = _lock_cafe(viewer.event)
    round_ = _open_round(cafe)
    priority = _priority_of(Priority.objects.all(), round_, priority_id)
    if not can_vote(viewer, _seated_table_id(viewer.participant, round_), priority.table):
        raise _forbidden("Only the participants at this table can vote on its priorities.")
    if not set_row(Vote, on=on, priority=priority, participant=viewer.participant):
        return priority
    _priority_news(priority, "voted")
    return priority
