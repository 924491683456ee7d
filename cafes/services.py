"""Every write to the live café: seating, rounds, notes, chat, priorities and answers.

Each service checks who is asking (``cafes.permissions``) and what they sent
(``cafes.checks``), writes in one transaction that first locks the event's ``Cafe`` row, logs
a ``LiveUpdate`` in that transaction and rings the channel layer after commit. A write that
carries a ``client_id`` already stored returns the stored row instead of making a second.
The websocket consumer, the pages, the CSV import and the tests all come through here.
"""

import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from cafes import news, ordering, rows, seating, selectors
from cafes.checks import (
    check_client_id,
    check_id,
    check_kind,
    check_minutes,
    check_reaction,
    check_tags,
    check_text,
)
from cafes.errors import CafeError
from cafes.models import (
    Cafe,
    CafePhase,
    ChatMessage,
    ChatReaction,
    ClosingAnswer,
    Note,
    NoteStatus,
    Presence,
    Priority,
    ReadBack,
    Round,
    RoundStatus,
    Seat,
    SeatHosting,
    Table,
    Vote,
)
from cafes.payloads import (
    chat_payload,
    note_payload,
    priority_payload,
    read_back_payload,
    round_payload,
)
from cafes.permissions import (
    Viewer,
    can_answer,
    can_chat,
    can_moderate,
    can_remove_priority,
    can_run,
    can_vote,
    can_write_at,
    chooses_own_table,
)
from events import services as event_services
from events.models import (
    AgendaSegment,
    ClosingQuestion,
    Event,
    EventStatus,
    Membership,
    Participant,
    ParticipantStatus,
    SegmentKind,
    StaffRole,
)

PRIORITIES_PER_TABLE = 3
BROADCAST_MAX_LENGTH = 280
OPEN_SPACE_PROMPTS = {
    "connect": "Talk about what matters to you here, and move whenever you like.",
    "create": "What should change, who should act, and what is the first step?",
}
OPEN_SPACE_MINUTES = 90
DEFAULT_ROUNDS = [
    ("What has helped or hindered your experience?", 30),
    ("What problems, strengths and possibilities do you hear across the stories?", 30),
    ("Which three solutions matter most to your table?", 25),
]


class SeatingStrategy:
    ROTATE = "rotate"  # hosts stay, everyone else moves to meet new people
    ORIGINAL = "original"  # back to the tables of round 1
    CHOICES = (ROTATE, ORIGINAL)


# --- helpers shared by the services ------------------------------------------------------


def _forbidden(message: str = "You cannot do that here.") -> CafeError:
    return CafeError("forbidden", message)


def _save(obj) -> None:
    # Foreign keys whose object the service already holds need no existence query each.
    loaded = [f.name for f in obj._meta.concrete_fields if f.is_relation and f.is_cached(obj)]
    try:
        obj.full_clean(exclude=loaded, validate_constraints=False)
    except ValidationError as error:
        messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise CafeError("invalid", messages) from None
    obj.save()


def _lock_cafe(event: Event) -> Cafe:
    """An event write: hold the café row for the rest of the transaction (``ordering``)."""
    return ordering.lock_event(event)


def _lock_my_table(viewer: Viewer, table_id=None) -> tuple[Round, Table]:
    """A table write (``ordering``): share the café row, then hold the row of the table the
    viewer writes at in the open round. Writes at other tables go on side by side."""
    round_ = ordering.share_event_round(viewer.event)
    if round_ is None:
        raise CafeError("not_started", ordering.NOT_STARTED)
    _check_open(round_)
    if viewer.participant is not None:
        table = ordering.lock_seat_table(round_, viewer.participant)
        if table is None:
            raise _forbidden("You do not have a seat at a table in this round.")
        if table_id is not None and table_id != table.pk:
            raise _forbidden("You can only write at your own table.")
        return round_, table
    table = _writable_table(viewer, round_, table_id)
    ordering.lock_table(table.pk)
    return round_, table


def _current_round(cafe: Cafe) -> Round:
    if cafe.current_round_id is None:
        raise CafeError("not_started", "The café has not started yet.")
    return cafe.current_round


def _open_round(cafe: Cafe) -> Round:
    return _check_open(_current_round(cafe))


def _check_open(round_: Round) -> Round:
    if round_.status != RoundStatus.OPEN:
        raise CafeError(
            "round_closed",
            f"Round {round_.number} is not open, so nothing can be added to the tables now.",
        )
    return round_


def _seated_table_id(participant: Participant | None, round_: Round) -> int | None:
    if participant is None:
        return None
    return (
        Seat.objects.filter(round=round_, participant=participant)
        .values_list("table_id", flat=True)
        .first()
    )


def _table_of_event(event: Event, table_id) -> Table:
    table = Table.objects.filter(event=event, pk=check_id(table_id, what="table")).first()
    if table is None:
        raise CafeError("not_found", "There is no such table at this event.")
    return table


def _writable_table(viewer: Viewer, round_: Round, table_id=None) -> Table:
    """The table this viewer writes to: a participant's seat, or the table staff named."""
    if viewer.participant is not None:
        seat = (
            Seat.objects.select_related("table")
            .filter(round=round_, participant=viewer.participant)
            .first()
        )
        if seat is None:
            raise _forbidden("You do not have a seat at a table in this round.")
        table = seat.table
        if table_id is not None and table_id != table.pk:
            raise _forbidden("You can only write at your own table.")
        return table
    if table_id is None:
        raise CafeError("invalid", "Say which table: the frame needs a table id.")
    table = _table_of_event(viewer.event, table_id)
    if not can_write_at(viewer, table, None):
        raise _forbidden("Only the table's host or a facilitator can write at this table.")
    return table


def _require_run(viewer: Viewer) -> None:
    if not can_run(viewer):
        raise _forbidden("Only a facilitator can do that.")


def _author_fields(viewer: Viewer) -> dict:
    if viewer.participant is not None:
        return {"participant": viewer.participant, "role_code": viewer.participant.role_code}
    return {"author_user": viewer.user, "role_code": ""}


def _is_author(viewer: Viewer, obj) -> bool:
    if viewer.participant is not None:
        return obj.participant_id == viewer.participant.pk
    return obj.participant_id is None and obj.author_user_id == getattr(viewer.user, "pk", None)


def _same_author_or_refuse(viewer: Viewer, existing):
    """A retry returns what the first attempt stored; another author's id is refused."""
    if not _is_author(viewer, existing):
        raise CafeError("duplicate_client_id", "This client_id was already used by someone else.")
    return existing


def _joined(event: Event):
    return Participant.objects.filter(event=event, status=ParticipantStatus.JOINED).order_by(
        "created_at", "pk"
    )


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


# --- starting and seating ------------------------------------------------------------------


def _table_hosts(event: Event) -> list:
    memberships = (
        Membership.objects.filter(role=StaffRole.TABLE_HOST)
        .filter(Q(event=event) | Q(series_id=event.series_id))
        .select_related("user")
        .order_by("pk")
    )
    users, seen = [], set()
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


def ensure_rounds(*, event: Event) -> list[Round]:
    """The event's rounds, created from its café-round agenda segments the first time."""
    existing = {r.number: r for r in Round.objects.filter(event=event)}
    if chooses_own_table(event):
        plan = [_open_space_round(event)]
    else:
        segments = AgendaSegment.objects.filter(event=event, kind=SegmentKind.CAFE_ROUND)
        plan = [(s.prompt or s.title, s.planned_minutes) for s in segments] or DEFAULT_ROUNDS
    for number, (prompt, minutes) in enumerate(plan, start=1):
        if number not in existing:
            existing[number] = Round.objects.create(
                event=event, number=number, prompt=prompt, planned_minutes=minutes
            )
    return [existing[n] for n in sorted(existing)]


def _open_space_round(event: Event) -> tuple[str, int]:
    """Open Space runs as one long round: its prompt and length come from the agenda's Open
    Space segments (their minutes added up), or sensible defaults."""
    segments = list(AgendaSegment.objects.filter(event=event, kind=SegmentKind.OPEN_SPACE))
    prompt = next((s.prompt for s in segments if s.prompt), "") or OPEN_SPACE_PROMPTS.get(
        event.stage, OPEN_SPACE_PROMPTS["connect"]
    )
    minutes = min(sum(s.planned_minutes for s in segments), 240) or OPEN_SPACE_MINUTES
    return prompt, minutes


def ensure_table(*, event: Event, number: int, name: str = "") -> Table:
    table, _ = Table.objects.get_or_create(event=event, number=number, defaults={"name": name})
    return table


@transaction.atomic
def start_cafe(*, viewer: Viewer, ask_if_off_day: bool = False) -> Cafe:
    """Open the café: tables of the event's size, rounds from its agenda, everyone seated for
    round 1 with role codes spread across tables, a host at each table. Starting twice is
    harmless: the second call returns the running café.

    With ``ask_if_off_day`` (a facilitator pressed the button and has not confirmed), a
    scheduled event whose date is not today is refused (``off_day``) and nothing is stored."""
    _require_run(viewer)
    event = Event.objects.select_for_update().get(pk=viewer.event.pk)
    cafe = Cafe.objects.filter(event=event).first()
    if cafe is not None:
        return cafe
    _go_live(event, viewer, ask_if_off_day=ask_if_off_day)
    rounds = ensure_rounds(event=event)
    if chooses_own_table(event):
        # Open Space: nobody is dealt a table; people choose one (``choose_table``).
        cafe = Cafe.objects.create(event=event, phase=CafePhase.SEATED, current_round=rounds[0])
        news.record(event=event, kind="cafe.started", payload={"round": 1})
        return cafe
    people = list(_joined(event))
    count = max(seating.table_count(len(people), event.table_size), event.tables.count())
    tables = [ensure_table(event=event, number=n) for n in range(1, count + 1)]
    hosts = _table_hosts(event)
    for table, host in zip(tables, hosts, strict=False):
        if table.host_id is None:
            table.host = host
            table.save(update_fields=["host"])
    plan = seating.first_seating([seating.Newcomer(p.pk, p.role_code) for p in people], len(tables))
    _create_seats(rounds[0], tables, plan, anchors=_first_anchors(tables, plan))
    cafe = Cafe.objects.create(event=event, phase=CafePhase.SEATED, current_round=rounds[0])
    news.record(event=event, kind="cafe.started", payload={"round": 1})
    return cafe


def start_cafe_on_request(
    *, viewer: Viewer, client_id: str | None = None, confirm_date: object = False
) -> Cafe:
    """The console's "Start the café": on a day that is not the event's own, it asks first
    (issue 17); the facilitator's confirmation comes back as ``confirm_date``."""
    return start_cafe(viewer=viewer, ask_if_off_day=confirm_date is not True)


def _go_live(event: Event, viewer: Viewer, *, ask_if_off_day: bool = False) -> None:
    """Starting the café is the moment the event goes live on the series overview."""
    if event.status == EventStatus.SCHEDULED:
        try:
            event_services.transition_event(
                event=event, to=EventStatus.LIVE, by=viewer.user, ask_if_off_day=ask_if_off_day
            )
        except event_services.StartDateNotToday as refusal:
            raise CafeError("off_day", f"{refusal.messages[0]} Start it now anyway?") from None
    elif event.status == EventStatus.DRAFT:
        raise CafeError(
            "not_scheduled",
            "This event is still a draft. Schedule it first, so that people can join.",
        )
    elif event.status != EventStatus.LIVE:
        raise CafeError("ended", "This event has closed, so its café cannot start again.")


def _first_anchors(tables: list[Table], plan: seating.Plan) -> set[int]:
    """At a table with no staff host, the first person seated keeps it on rotation."""
    return {
        people[0]
        for table, people in zip(tables, plan, strict=True)
        if people and not table.host_id
    }


def _create_seats(round_: Round, tables: list[Table], plan: seating.Plan, *, anchors) -> None:
    for table, people in zip(tables, plan, strict=True):
        for participant_id in people:
            seat = Seat.objects.create(round=round_, table=table, participant_id=participant_id)
            if participant_id in anchors:
                SeatHosting.objects.create(seat=seat)


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
    note of the event waited (``cafes/arrivals.py`` gathers them)."""
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
    cafe = Cafe.objects.select_for_update().filter(event=event).first()
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
    ordering.hold_event(table.event)  # an event write: who may read the table changes
    table = Table.objects.select_for_update().get(pk=table.pk)
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
    ordering.hold_event(table.event)  # an event write: who may read the table changes
    table = Table.objects.select_for_update().get(pk=table.pk)
    if not table.staff_free or table.shared_at is not None:
        return table
    table.shared_at = timezone.now()
    table.save(update_fields=["shared_at"])
    _table_privacy_news(table)
    return table


# --- rounds, timer, phases, broadcasts ---------------------------------------------------


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
    news.record(
        event=viewer.event,
        kind="round.opened",
        payload={"round": round_payload(round_), "phase": cafe.phase},
    )
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
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    cafe.phase = CafePhase.PLENARY
    cafe.save(update_fields=["phase"])
    news.record(
        event=viewer.event,
        kind="round",
        payload={"round": round_payload(round_), "phase": cafe.phase},
    )
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
    cafe = Cafe.objects.select_for_update().filter(event=event).first()
    if cafe is None or cafe.phase == CafePhase.ENDED:
        return
    for round_ in Round.objects.filter(event=event, status=RoundStatus.OPEN):
        round_.status = RoundStatus.CLOSED
        round_.closed_at = timezone.now()
        round_.save(update_fields=["status", "closed_at"])
        news.record(
            event=event,
            kind="round",
            payload={"round": round_payload(round_), "phase": CafePhase.ENDED},
        )
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


# --- notes -----------------------------------------------------------------------------


def _note_news(note: Note, action: str) -> None:
    payload = note_payload(note)
    if note.status != NoteStatus.VISIBLE:
        # Hidden, withdrawn or merged: its words leave the log (screens keep what they had).
        news.forget_words(event=note.event, key="note", ids=[note.pk])
        payload.update(text="", tags=[], redacted=True)
    news.record(
        event=note.event, table=note.table, kind="note", payload={"action": action, "note": payload}
    )


def _note_for(viewer: Viewer, note_id) -> Note:
    note = (
        Note.objects.select_related("round", "table", "participant")
        .filter(event=viewer.event, pk=check_id(note_id, what="note"))
        .first()
    )
    if note is None:
        raise CafeError("not_found", "That note does not exist.")
    return note


def _lock_note_table(viewer: Viewer, note: Note) -> Cafe:
    """A table write on an existing note: lock its table (``ordering``), then read the note
    again, since a host may have hidden or merged it in the meantime."""
    cafe = ordering.share_event(viewer.event)
    if cafe is None:
        raise CafeError("not_started", ordering.NOT_STARTED)
    ordering.lock_table(note.table_id)
    note.refresh_from_db(fields=["status", "text", "kind", "tags"])
    return cafe


@transaction.atomic
def post_note(
    *, viewer: Viewer, text: str, kind: str, client_id, table_id: int | None = None
) -> Note:
    """Post a note at the viewer's table in the open round; every seat sees it at once.

    A retry with the same ``client_id`` gets what the first attempt stored, even after the
    round closed; two attempts at once: the second waits on the table's lock and then finds
    the first. Plain-SQL insert (``cafes.rows``): this runs for every note."""
    client_id = check_client_id(client_id)
    text = check_text(text, what="note")
    kind = check_kind(kind)
    try:
        round_, table = _lock_my_table(viewer, table_id)
    except CafeError:
        stored = _note_by_client_id(viewer, client_id)
        if stored is None:
            raise
        return _same_author_or_refuse(viewer, stored)
    note = Note(
        event=viewer.event,
        round=round_,
        table=table,
        kind=kind,
        text=text,
        client_id=client_id,
        **_author_fields(viewer),
    )
    if not rows.insert(note, unless_exists=("event", "client_id")):
        return _same_author_or_refuse(viewer, _note_by_client_id(viewer, client_id))
    _note_news(note, "posted")
    return note


def _note_by_client_id(viewer: Viewer, client_id: uuid.UUID) -> Note | None:
    return Note.objects.filter(event=viewer.event, client_id=client_id).first()


@transaction.atomic
def edit_note(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    note_id: int,
    text: str,
    kind: str | None = None,
) -> Note:
    """The author rewrites their own note while the round is open."""
    text = check_text(text, what="note")
    kind = check_kind(kind) if kind is not None else None
    note = _note_for(viewer, note_id)
    if not _is_author(viewer, note):
        raise _forbidden("Only the person who wrote a note can change it.")
    cafe = _lock_note_table(viewer, note)
    if note.status != NoteStatus.VISIBLE:
        raise CafeError("note_gone", "This note has been withdrawn or hidden.")
    if note.round_id != _open_round(cafe).pk:
        raise CafeError("round_closed", "That round is over, so its notes cannot be changed.")
    if note.text == text and (kind is None or kind == note.kind):
        return note
    note.text = text
    note.kind = kind or note.kind
    note.edited_at = timezone.now()
    _save(note)
    _note_news(note, "edited")
    return note


@transaction.atomic
def withdraw_note(*, viewer: Viewer, client_id: str | None = None, note_id: int) -> Note:
    """The author takes their note back, at any time: it disappears from every screen and
    from the harvest."""
    note = _note_for(viewer, note_id)
    if not _is_author(viewer, note):
        raise _forbidden("Only the person who wrote a note can withdraw it.")
    _lock_note_table(viewer, note)
    if note.status == NoteStatus.WITHDRAWN:
        return note
    note.status = NoteStatus.WITHDRAWN
    note.save(update_fields=["status"])
    _note_news(note, "withdrawn")
    return note


def _hosting(viewer: Viewer, cafe: Cafe) -> int | None:
    """The table a participant keeps in the current round (``None`` for staff: no query)."""
    return selectors.hosted_table_id(viewer=viewer, round_id=cafe.current_round_id)


def _moderated_note(viewer: Viewer, note_id, hosting_table_id: int | None) -> Note:
    note = _note_for(viewer, note_id)
    if not can_moderate(viewer, note.table, hosting_table_id):
        raise _forbidden("Only the table's host or a facilitator can tidy notes.")
    if note.status in {NoteStatus.WITHDRAWN, NoteStatus.MERGED}:
        raise CafeError("note_gone", "This note has been withdrawn or merged.")
    return note


@transaction.atomic
def tag_note(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, tags: list[str]
) -> Note:
    """The host labels a note (e.g. "housing", "key point") to help the harvest."""
    tags = check_tags(tags)
    cafe = _lock_cafe(viewer.event)
    note = _moderated_note(viewer, note_id, _hosting(viewer, cafe))
    note.tags = tags
    note.save(update_fields=["tags"])
    _note_news(note, "tagged")
    return note


@transaction.atomic
def hide_note(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, hidden: bool = True
) -> Note:
    """The host hides a note (or shows it again); hidden notes stay out of the harvest."""
    cafe = _lock_cafe(viewer.event)
    note = _moderated_note(viewer, note_id, _hosting(viewer, cafe))
    note.status = NoteStatus.HIDDEN if hidden else NoteStatus.VISIBLE
    note.save(update_fields=["status"])
    _note_news(note, "hidden" if hidden else "shown")
    return note


@transaction.atomic
def merge_notes(
    *, viewer: Viewer, client_id: str | None = None, note_id: int, into_id: int
) -> Note:
    """The host folds a duplicate note into another note of the same table and round."""
    cafe = _lock_cafe(viewer.event)
    hosting = _hosting(viewer, cafe)
    note = _moderated_note(viewer, note_id, hosting)
    into = _moderated_note(viewer, into_id, hosting)
    if note.pk == into.pk or (note.table_id, note.round_id) != (into.table_id, into.round_id):
        raise CafeError("bad_merge", "A note can only be merged into another note of its table.")
    note.status = NoteStatus.MERGED
    note.merged_into = into
    note.save(update_fields=["status", "merged_into"])
    _note_news(note, "merged")
    return into


@transaction.atomic
def save_read_back(
    *, viewer: Viewer, client_id: str | None = None, table_id: int, text: str
) -> ReadBack:
    """The host's summary of the table's last round, shown to the newcomers of the next.

    Written by the table's staff host, a facilitator, or the participant who hosts the table
    this round; it is of the round the table's page shows (``selectors.read_back_round``):
    the round before the open one, or the one just closed while the plenary prepares the
    next. Writing it again replaces it."""
    text = check_text(text, what="read-back")
    cafe = _lock_cafe(viewer.event)
    table = _table_of_event(viewer.event, table_id)
    if not can_moderate(viewer, table, _hosting(viewer, cafe)):
        raise _forbidden("Only the table's host or a facilitator can write the read-back.")
    rounds = list(Round.objects.filter(event=viewer.event))
    summarised = selectors.read_back_round(cafe=cafe, rounds=rounds)
    if summarised is None:
        if cafe.phase in {CafePhase.CLOSING, CafePhase.ENDED} or any(
            r.status == RoundStatus.CLOSED for r in rounds
        ):
            raise CafeError(
                "too_late", "The last round is over: there are no newcomers to read back to."
            )
        raise CafeError("too_early", "The read-back is written once the first round is over.")
    read_back, _ = ReadBack.objects.update_or_create(
        table=table,
        round=summarised,
        defaults={"text": text, "author_user": viewer.user, "participant": viewer.participant},
    )
    news.record(
        event=viewer.event,
        table=table,
        kind="read_back",
        payload={"read_back": read_back_payload(read_back)},
    )
    return read_back


# --- event chat --------------------------------------------------------------------------


def _chat_news(message: ChatMessage) -> None:
    payload = chat_payload(message)
    if message.hidden:
        news.forget_words(event=message.event, key="message", ids=[message.pk])
        payload.update(text="", redacted=True)
    news.record(event=message.event, kind="chat", payload={"message": payload})


def take_back_words(*, participant: Participant) -> None:
    """Someone left the event: their notes, chat messages, priorities and read-backs leave
    every screen and the live log at once (the harvest and reports already leave out people
    who withdrew)."""
    event = participant.event
    if not Cafe.objects.filter(event=event).exists():
        return
    _lock_cafe(event)
    for note in Note.objects.filter(participant=participant).exclude(
        status__in=[NoteStatus.WITHDRAWN, NoteStatus.MERGED]
    ):
        note.status = NoteStatus.WITHDRAWN
        note.save(update_fields=["status"])
        _note_news(note, "withdrawn")
    for message in ChatMessage.objects.filter(participant=participant, hidden=False):
        message.hidden = True
        message.save(update_fields=["hidden"])
        _chat_news(message)
    # A read-back they wrote as a table's host leaves the table's screens.
    for read_back in ReadBack.objects.filter(participant=participant).select_related(
        "round", "table"
    ):
        news.forget_words(event=event, key="read_back", ids=[read_back.pk])
        payload = {**read_back_payload(read_back), "text": "", "removed": True}
        table = read_back.table
        read_back.delete()
        news.record(event=event, table=table, kind="read_back", payload={"read_back": payload})
    # A priority they typed, or took from one of their notes, goes with its votes: their
    # words leave the table's board; the table may type it again in its own words
    # (docs/security.md).
    for priority in Priority.objects.filter(
        Q(author=participant) | Q(source_note__participant=participant), round__event=event
    ).select_related("round", "table"):
        payload = {"action": "removed", "priority": {**priority_payload(priority), "text": ""}}
        news.forget_words(event=event, key="priority", ids=[priority.pk])
        table = priority.table
        priority.delete()
        news.record(event=event, table=table, kind="priority", payload=payload)


def _message_for(viewer: Viewer, message_id) -> ChatMessage:
    message = ChatMessage.objects.filter(
        event=viewer.event, pk=check_id(message_id, what="message")
    ).first()
    if message is None:
        raise CafeError("not_found", "That chat message does not exist.")
    return message


@transaction.atomic
def post_chat(*, viewer: Viewer, text: str, client_id) -> ChatMessage:
    """Post to the event chat, which everyone at the event sees (and which is harvested)."""
    client_id = check_client_id(client_id)
    text = check_text(text, what="message")
    if not can_chat(viewer):
        raise _forbidden("The review team watches the chat but does not post.")
    cafe = _lock_cafe(viewer.event)
    existing = ChatMessage.objects.filter(event=viewer.event, client_id=client_id).first()
    if existing is not None:
        return _same_author_or_refuse(viewer, existing)
    if cafe.phase == CafePhase.ENDED:
        raise CafeError("ended", "The event has ended, so the chat is closed.")
    message = ChatMessage(
        event=viewer.event,
        round_id=cafe.current_round_id,
        text=text,
        client_id=client_id,
        **_author_fields(viewer),
    )
    _save(message)
    _chat_news(message)
    return message


@transaction.atomic
def react_to_chat(
    *, viewer: Viewer, client_id: str | None = None, message_id: int, reaction: str, on: bool = True
) -> ChatMessage:
    """Add (or take back) a reaction such as "agree" to a chat message."""
    reaction = check_reaction(reaction)
    if not can_chat(viewer):
        raise _forbidden("The review team watches the chat but does not react.")
    _lock_cafe(viewer.event)
    message = _message_for(viewer, message_id)
    who = (
        {"participant": viewer.participant}
        if viewer.participant is not None
        else {"user": viewer.user}
    )
    existing = ChatReaction.objects.filter(message=message, reaction=reaction, **who)
    if on and not existing.exists():
        ChatReaction.objects.create(message=message, reaction=reaction, **who)
    elif not on and existing.exists():
        existing.delete()
    else:
        return message
    _chat_news(message)
    return message


@transaction.atomic
def moderate_chat(
    *,
    viewer: Viewer,
    client_id: str | None = None,
    message_id: int,
    pinned: bool | None = None,
    hidden: bool | None = None,
) -> ChatMessage:
    """The facilitator pins a message to the top of everyone's chat, or hides one."""
    _require_run(viewer)
    _lock_cafe(viewer.event)
    message = _message_for(viewer, message_id)
    if pinned is not None:
        message.pinned = bool(pinned)
    if hidden is not None:
        message.hidden = bool(hidden)
    message.save(update_fields=["pinned", "hidden"])
    _chat_news(message)
    return message


# --- priorities and votes ------------------------------------------------------------------


def _priorities_round(event: Event) -> int:
    """Priorities are chosen in the event's last round (round 3 of an Explore event)."""
    return Round.objects.filter(event=event).aggregate(last=Max("number"))["last"] or 0


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
        return existing
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
    priority = (
        Priority.objects.select_related("round", "table")
        .filter(round=round_, pk=check_id(priority_id, what="priority"))
        .first()
    )
    if priority is None:
        raise CafeError("not_found", "That priority does not exist in this round.")
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
    priority = Priority.objects.filter(
        round=round_, pk=check_id(priority_id, what="priority")
    ).first()
    if priority is None:
        raise CafeError("not_found", "That priority does not exist in this round.")
    if not can_vote(viewer, _seated_table_id(viewer.participant, round_), priority.table):
        raise _forbidden("Only the participants at this table can vote on its priorities.")
    existing = Vote.objects.filter(priority=priority, participant=viewer.participant)
    if on and not existing.exists():
        Vote.objects.create(priority=priority, participant=viewer.participant)
    elif not on and existing.exists():
        existing.delete()
    else:
        return priority
    _priority_news(priority, "voted")
    return priority


# --- closing answers -----------------------------------------------------------------------


@transaction.atomic
def answer_question(*, viewer: Viewer, question_id: int, text: str, client_id) -> ClosingAnswer:
    """A participant's own answer to a closing question; answering again replaces it.

    Works live or later from the post-event questionnaire, so it needs no running café.
    """
    participant = viewer.participant
    if participant is None:
        raise _forbidden("Only participants answer the closing questions.")
    client_id = check_client_id(client_id)
    text = check_text(text, what="answer")
    if participant.has_withdrawn or not can_answer(viewer):
        raise _forbidden("Only participants of this event can answer its questions.")
    Cafe.objects.select_for_update().filter(event=participant.event).first()
    question = ClosingQuestion.objects.filter(
        event=participant.event, pk=check_id(question_id, what="question")
    ).first()
    if question is None:
        raise CafeError("not_found", "That question is not one of this event's questions.")
    answer = ClosingAnswer.objects.filter(question=question, client_id=client_id).first()
    if answer is not None:
        _same_author_or_refuse(viewer, answer)
    else:
        answer = ClosingAnswer.objects.filter(question=question, participant=participant).first()
    if answer is not None and answer.text == text:
        return answer
    if answer is None:
        answer = ClosingAnswer(
            question=question,
            participant=participant,
            role_code=participant.role_code,
            client_id=client_id,
        )
    answer.text = text
    _save(answer)
    news.record(
        event=participant.event,
        kind="answers",
        payload={"question": question.pk, "answered": question.answers.count()},
    )
    return answer


# --- presence ----------------------------------------------------------------------------


def mark_present(*, viewer: Viewer, channel_name: str) -> None:
    """Record one open connection, or refresh it on a heartbeat: one upsert."""
    presence = Presence(
        channel_name=channel_name,
        event=viewer.event,
        participant=viewer.participant,
        user=None if viewer.participant else viewer.user,
        seen_at=timezone.now(),
    )
    rows.insert(presence, unless_exists=("channel_name",), refresh=("seen_at",))


def mark_absent(*, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()


def new_client_id() -> uuid.UUID:
    return uuid.uuid4()
