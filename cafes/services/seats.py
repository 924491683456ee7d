"""Who sits where: seating a round, seating latecomers, the facilitator's moves, the law of
two feet at Open Space events, and a table's staff-free privacy."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cafes import news, seating
from cafes.checks import check_id
from cafes.errors import CafeError
from cafes.models import Cafe, Round, RoundStatus, Seat, SeatHosting, Table
from cafes.permissions import Viewer, chooses_own_table
from cafes.services._common import (
    _current_round,
    _forbidden,
    _joined,
    _require_run,
    _table_of_event,
)
from cafes.services._locks import _hold_cafe, _lock_cafe, _lock_table_privacy
from cafes.services.starting import _create_seats, _first_anchors, ensure_table
from events.models import Event, Participant, ParticipantStatus


def _round_plan(round_: Round, tables: list[Table]) -> seating.Plan:
    index = {table.pk: i for i, table in enumerate(tables)}
    plan: seating.Plan = [[] for _ in tables]
    for seat in round_.seats.order_by("pk"):
        plan[index[seat.table_id]].append(seat.participant_id)
    return plan


def _record_seating(event: Event, round_: Round, tables=None) -> None:
    payload = {"round": round_.number}
    if tables is None:
        news.record(event=event, kind="seating", payload=payload)
    for table in tables or ():
        news.record(event=event, table=table, kind="seating", payload=payload)


class SeatingStrategy:
    ROTATE = "rotate"  # hosts stay, everyone else moves to meet new people
    ORIGINAL = "original"  # back to the tables of round 1
    CHOICES = (ROTATE, ORIGINAL)


def _seat_round(event: Event, round_: Round, strategy: str) -> None:
    """Seat a round that has not opened yet, from the seats of the round before it."""
    if strategy not in SeatingStrategy.CHOICES:
        raise CafeError("bad_strategy", "Seating must be 'rotate' or 'original'.")
    tables = list(Table.objects.filter(event=event))
    earlier = list(Round.objects.filter(event=event, number__lt=round_.number).order_by("number"))
    present = set(_joined(event).values_list("pk", flat=True))
    round_.seats.all().delete()
    if not earlier:
        people = _joined(event)
        plan = seating.first_seating(
            [seating.Newcomer(p.pk, p.role_code) for p in people], len(tables)
        )
        _create_seats(round_, tables, plan, anchors=_first_anchors(tables, plan))
        return
    plans = [_round_plan(r, tables) for r in earlier]
    previous = [[p for p in table if p in present] for table in plans[-1]]
    anchors = set(
        SeatHosting.objects.filter(seat__round=earlier[-1]).values_list(
            "seat__participant_id", flat=True
        )
    )
    if strategy == SeatingStrategy.ORIGINAL:
        plan = [[p for p in table if p in present] for table in plans[0]]
    else:
        plan = seating.rotate(
            previous, anchors=anchors, met=seating.pairs_met(plans), seed=round_.number
        )
    seated = {p for table in plan for p in table}
    for participant_id in sorted(present - seated):
        sizes = [len(t) for t in plan]
        index = seating.place_newcomer(sizes, event.table_size)
        if index is None:
            tables.append(ensure_table(event=event, number=len(tables) + 1))
            plan.append([])
            index = len(plan) - 1
        plan[index].append(participant_id)
    _create_seats(round_, tables, plan, anchors=anchors & seated)


@transaction.atomic
def seat_round(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    number: int,
    strategy: str = SeatingStrategy.ROTATE,
) -> Round:
    """Seat a round before it opens (the facilitator may then move people by hand)."""
    _require_run(viewer)
    number = check_id(number, what="round number")
    _lock_cafe(viewer.event)
    round_ = Round.objects.filter(event=viewer.event, number=number).first()
    if round_ is None:
        raise CafeError("not_found", f"There is no round {number}.")
    if round_.status != RoundStatus.PENDING:
        raise CafeError(
            "round_started", f"Round {number} has already started; move people instead."
        )
    _seat_round(viewer.event, round_, strategy)
    _record_seating(viewer.event, round_)
    return round_


def seat_newcomer(*, participant: Participant) -> Seat | None:
    """Give a participant who arrives after the start a seat at the emptiest table (their
    seat in the current round, if they have one; ``None`` if there is no round to sit in)."""
    event = participant.event
    if seat_newcomers(event=event, participants=[participant])[participant.pk] is None:
        return None
    current = Cafe.objects.filter(event=event).values("current_round_id")
    return Seat.objects.filter(round_id__in=current, participant=participant).first()


@transaction.atomic
def seat_newcomers(*, event: Event, participants: Sequence[Participant]) -> dict[int, int | None]:
    """Seat everyone of ``participants`` who has no seat in the current round yet at the
    emptiest tables, all in one go, and say where each sits (by participant id: their table
    id, or ``None`` before a round, at an Open Space event, or if they are not joined).

    Late arrivals come in bursts (a room of 2,000 connecting at once): one lock of the café
    for a burst, and one count of the tables, instead of one of each per person while every
    note of the event waited (``cafes/live/arrivals.py`` gathers them)."""
    current = Cafe.objects.filter(event=event).values("current_round_id")
    where = dict(
        Seat.objects.filter(round_id__in=current, participant__in=participants).values_list(
            "participant_id", "table_id"
        )
    )
    waiting = [p for p in participants if p.pk not in where]
    if waiting:
        # Not yet seated (seldom: every reconnect is answered above without the lock).
        where.update(_seat_arrivals(event, waiting))
    return {p.pk: where.get(p.pk) for p in participants}


def _seat_arrivals(event: Event, arrivals: list[Participant]) -> dict[int, int]:
    cafe = _hold_cafe(event)
    if cafe is None or cafe.current_round_id is None or chooses_own_table(event):
        return {}
    round_ = Round.objects.get(pk=cafe.current_round_id)
    joined = set(
        Participant.objects.filter(
            pk__in=[p.pk for p in arrivals], status=ParticipantStatus.JOINED
        ).values_list("pk", flat=True)
    )
    where = dict(
        Seat.objects.filter(round=round_, participant_id__in=joined).values_list(
            "participant_id", "table_id"
        )
    )
    tables = list(Table.objects.filter(event=event))
    # How many sit at each table, counted by the database (not every seat of the round
    # read for each arrival, as before).
    seated = dict(
        Seat.objects.filter(round=round_)
        .order_by()
        .values("table_id")
        .annotate(n=Count("id"))
        .values_list("table_id", "n")
    )
    sizes = [seated.get(t.pk, 0) for t in tables]
    seats, touched = [], {}
    for participant in arrivals:
        if participant.pk not in joined or participant.pk in where:
            continue
        index = seating.place_newcomer(sizes, event.table_size)
        if index is None:
            number = max((t.number for t in tables), default=0) + 1
            tables.append(ensure_table(event=event, number=number))
            sizes.append(0)
            index = len(tables) - 1
        table = tables[index]
        sizes[index] += 1
        seats.append(Seat(round=round_, table=table, participant_id=participant.pk))
        touched[table.pk] = table
        where[participant.pk] = table.pk
    Seat.objects.bulk_create(seats)
    if touched:
        _record_seating(event, round_, list(touched.values()))
    return where


@transaction.atomic
def move_participant(
    *, viewer: Viewer, client_id: str | None = None, participant_id: int, table_id: int
) -> Seat:
    """Move someone to another table in the current round (the facilitator's hand)."""
    _require_run(viewer)
    cafe = _lock_cafe(viewer.event)
    round_ = _current_round(cafe)
    participant = _joined(viewer.event).filter(pk=check_id(participant_id, what="participant"))
    participant = participant.first()
    if participant is None:
        raise CafeError("not_found", "That participant is not at this event.")
    table = _table_of_event(viewer.event, table_id)
    seat = Seat.objects.filter(round=round_, participant=participant).first()
    old_table = seat.table if seat else None
    if seat is None:
        seat = Seat.objects.create(round=round_, table=table, participant=participant)
    elif seat.table_id != table.pk:
        SeatHosting.objects.filter(seat=seat).delete()
        seat.table = table
        seat.save(update_fields=["table"])
    _record_seating(viewer.event, round_, [t for t in (old_table, table) if t])
    return seat


@transaction.atomic
def choose_table(*, viewer: Viewer, client_id: str | None = None, table_id: int) -> Seat:
    """The law of two feet: at a Connect or Create event a participant goes to another
    table whenever they like; the people at both tables see them leave and arrive."""
    if viewer.participant is None:
        raise _forbidden("Only participants choose a table; staff watch from the console.")
    if not chooses_own_table(viewer.event):
        raise _forbidden("At this event the facilitator seats people at the tables.")
    cafe = _lock_cafe(viewer.event)
    round_ = _current_round(cafe)
    table = _table_of_event(viewer.event, table_id)
    seat = Seat.objects.filter(round=round_, participant=viewer.participant).first()
    if seat is not None and seat.table_id == table.pk:
        return seat
    old_table = seat.table if seat else None
    if seat is None:
        seat = Seat.objects.create(round=round_, table=table, participant=viewer.participant)
    else:
        seat.table = table
        seat.save(update_fields=["table"])
    _record_seating(viewer.event, round_, [t for t in (old_table, table) if t])
    return seat


def _table_privacy_news(table: Table) -> None:
    news.record(
        event=table.event,
        table=table,
        kind="table.privacy",
        payload={"staff_free": table.staff_free, "shared": table.shared_at is not None},
    )


@transaction.atomic
def set_staff_free(*, table: Table, staff_free: bool) -> Table:
    """Make a table a staff-free space, where staff cannot read the notes until the group
    shares them. It can be made ordinary again only while nothing has been written there,
    so nobody's words are shown to staff without the group choosing to share them."""
    table = _lock_table_privacy(table)
    if table.staff_free == staff_free:
        return table
    if not staff_free and table.notes.exists():
        raise CafeError(
            "staff_free_has_notes",
            "Notes have been written here, so the space stays staff-free; share them instead.",
        )
    table.staff_free = staff_free
    table.shared_at = None
    table.save(update_fields=["staff_free", "shared_at"])
    _table_privacy_news(table)
    return table


@transaction.atomic
def share_table(*, table: Table) -> Table:
    """A staff-free group chooses to share its notes: from now on staff, the harvest and
    reports can read them. Sharing cannot be undone."""
    table = _lock_table_privacy(table)
    if not table.staff_free or table.shared_at is not None:
        return table
    table.shared_at = timezone.now()
    table.save(update_fields=["shared_at"])
    _table_privacy_news(table)
    return table
