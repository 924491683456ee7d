"""Reads of the café: who is looking, what they may see, and the event's words for the harvest.

Other apps (harvest, reports) read notes, chat, priorities and answers only through the
``*_for_event`` functions at the bottom, which leave out withdrawn participants' words and
hidden, merged or withdrawn notes.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from cafes import ordering
from cafes.models import (
    Cafe,
    ChatMessage,
    ChatReaction,
    ClosingAnswer,
    LiveUpdate,
    Note,
    NoteStatus,
    Presence,
    Priority,
    ReadBack,
    Round,
    RoundStatus,
    Seat,
    Table,
)
from cafes.news import frame_of
from cafes.payloads import (
    chat_payload,
    note_payload,
    priority_payload,
    read_back_payload,
    round_payload,
    table_summary,
)
from cafes.permissions import (
    Viewer,
    can_chat,
    can_moderate,
    can_read_table,
    can_run,
    can_watch,
    chooses_own_table,
)
from events.identity import participant_for
from events.models import ClosingQuestion, Event, Participant, ParticipantStatus
from events.permissions import staff_roles

# A connection whose last heartbeat is older than this no longer counts as present (the
# heartbeat watchdog clears a silent socket's presence sooner; this catches a crashed server).
PRESENCE_TIMEOUT = timedelta(seconds=120)
CHAT_IN_STATE = 200
# Notes staff (and so the harvest, reports and exports) may read: not those of a staff-free
# table whose group has not chosen to share them.
SHARED_WITH_STAFF = Q(table__staff_free=False) | Q(table__shared_at__isnull=False)


def viewer_for(*, event: Event, session, user) -> Viewer | None:
    """Who this browser is at the event: staff (by login) first, else the session's joined
    participant; ``None`` for a stranger."""
    roles = frozenset(staff_roles(user, event)) if user is not None else frozenset()
    if roles:
        return Viewer(event=event, user=user, roles=roles)
    participant = participant_for(session, event) if session is not None else None
    # Waitlisted people are not at the tables (yet); withdrawn ones never come back in.
    if participant is not None and participant.status == ParticipantStatus.JOINED:
        return Viewer(event=event, participant=participant)
    return None


def viewer_for_key(*, key: str) -> Viewer | None:
    """The participant behind a post-event questionnaire link."""
    participant = (
        Participant.objects.select_related("event")
        .filter(key=key)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .first()
    )
    return Viewer(event=participant.event, participant=participant) if participant else None


def cafe_for(event: Event) -> Cafe | None:
    return Cafe.objects.select_related("current_round").filter(event=event).first()


def seat_for(*, viewer: Viewer) -> Seat | None:
    """The participant's seat in the café's current round."""
    return _seat_in(cafe_for(viewer.event), viewer.participant)


def _seat_in(cafe: Cafe | None, participant: Participant | None) -> Seat | None:
    if participant is None or cafe is None or cafe.current_round_id is None:
        return None
    return (
        Seat.objects.select_related("table")
        .filter(round_id=cafe.current_round_id, participant=participant)
        .first()
    )


def updates_after(*, viewer: Viewer, after: int, table_id: int | None, limit: int = 200):
    """The live updates this viewer may see with an id above ``after``, oldest first.

    Staff see every update of the event; a participant sees the event's own news and that
    of the table they sit at (``table_id``). Staff, who see every table, read only up to
    the id below which every write has committed (``cafes.ordering``).
    """
    updates = LiveUpdate.objects.filter(event=viewer.event, pk__gt=after)
    if not can_watch(viewer):
        updates = updates.filter(Q(table__isnull=True) | Q(table_id=table_id))
    else:
        updates = updates.filter(Q(table__isnull=True) | SHARED_WITH_STAFF)
        updates = updates.filter(pk__lte=ordering.settled_upto(viewer.event))
    return list(updates.order_by("pk")[:limit])


def update_frame(update: LiveUpdate) -> dict:
    return frame_of(update)


# The people seated in a round (at one table, or at all), with whether each keeps the table
# and has a live connection: one query. Plain SQL, as it runs whenever someone connects or
# leaves and its ORM form cost more to build than to run (docs/benchmarks.md).
SEATED_SQL = """
SELECT s.table_id, s.participant_id, p.pseudonym, p.role_code,
  EXISTS (SELECT 1 FROM cafes_seathosting h WHERE h.seat_id = s.id),
  EXISTS (SELECT 1 FROM cafes_presence pr
    WHERE pr.participant_id = s.participant_id AND pr.seen_at >= %s)
FROM cafes_seat s JOIN events_participant p ON p.id = s.participant_id
WHERE s.round_id = %s {at_table}
ORDER BY s.id
"""


def _seated(round_id: int, table_id: int | None = None) -> dict[int, list[dict]]:
    """The people seated in a round, by table (only ``table_id``'s when given)."""
    params: list = [timezone.now() - PRESENCE_TIMEOUT, round_id]
    at_table = ""
    if table_id is not None:
        at_table = "AND s.table_id = %s"
        params.append(table_id)
    with connection.cursor() as cursor:
        cursor.execute(SEATED_SQL.format(at_table=at_table), params)
        rows = cursor.fetchall()
    seated: dict[int, list[dict]] = {}
    for table, participant_id, pseudonym, role_code, hosting, present in rows:
        seated.setdefault(table, []).append(
            {
                "participant": participant_id,
                "name": pseudonym,
                "role_code": role_code,
                "host": bool(hosting),
                "present": bool(present),
            }
        )
    return seated


def _hosts_present(tables: list[Table]) -> set[int]:
    """Which of these tables' staff hosts have a live connection (one query)."""
    hosts = {table.host_id for table in tables if table.host_id}
    if not hosts:
        return set()
    fresh = timezone.now() - PRESENCE_TIMEOUT
    present = Presence.objects.filter(user_id__in=hosts, seen_at__gte=fresh)
    return set(present.filter(event_id=tables[0].event_id).values_list("user_id", flat=True))


def _people(table: Table, seated: list[dict], hosts_present: set[int]) -> list[dict]:
    """The people at a table, its staff host first."""
    if not table.host_id:
        return seated
    host = {
        "participant": None,
        "name": table.host.get_username(),
        "role_code": "",
        "host": True,
        "present": table.host_id in hosts_present,
    }
    return [host, *seated]


def table_people(*, table: Table, round_id: int | None) -> list[dict]:
    """The people at a table in a round, hosts first, with whether they are connected."""
    seated = _seated(round_id, table.pk).get(table.pk, []) if round_id is not None else []
    return _people(table, seated, _hosts_present([table]))


def presence_frame(*, event: Event, table_id: int) -> dict | None:
    """Who is at one table right now (sent when someone connects or leaves)."""
    table = Table.objects.select_related("host").filter(event=event, pk=table_id).first()
    if table is None:
        return None
    round_id = Cafe.objects.filter(event=event).values_list("current_round_id", flat=True).first()
    people = table_people(table=table, round_id=round_id)
    return {"type": "presence", "table": table_id, "people": people}


def _notes_in(round_: Round, *, moderator: bool) -> QuerySet[Note]:
    """The round's notes a screen shows (a moderator also sees hidden ones), for payloads."""
    shown = {NoteStatus.VISIBLE, NoteStatus.HIDDEN} if moderator else {NoteStatus.VISIBLE}
    notes = Note.objects.filter(round=round_, status__in=shown)
    return notes.select_related("round", "participant")


def _notes_at(table: Table, round_: Round, *, moderator: bool) -> list[dict]:
    return [note_payload(n) for n in _notes_in(round_, moderator=moderator).filter(table=table)]


def _chat(event: Event, *, moderator: bool) -> list[dict]:
    # Nobody, not even a moderator who sees hidden messages, gets a withdrawn person's words.
    messages = (
        ChatMessage.objects.filter(event=event)
        .filter(_not_withdrawn())
        .select_related("round", "participant")
    )
    if not moderator:
        messages = messages.filter(hidden=False)
    messages = messages.prefetch_related(Prefetch("reactions", ChatReaction.objects.all()))
    latest = list(messages.order_by("-pk")[:CHAT_IN_STATE])
    return [chat_payload(m) for m in reversed(latest)]


def _read_back(table: Table, round_: Round, rounds: list[Round]) -> dict | None:
    """In round 2 and after: the table's notes from the round before, and the host's summary
    (``rounds``: the event's rounds, already read for the state)."""
    earlier = max(
        (r for r in rounds if r.number < round_.number), key=lambda r: r.number, default=None
    )
    if earlier is None:
        return None
    summary = ReadBack.objects.filter(table=table, round=earlier).select_related("round").first()
    return {
        "round": earlier.number,
        "summary": read_back_payload(summary),
        "notes": _notes_at(table, earlier, moderator=False),
    }


def _priorities_in(round_: Round) -> QuerySet[Priority]:
    """The round's priorities with what their payloads need (votes in one more query)."""
    return Priority.objects.filter(round=round_).select_related("round").prefetch_related("votes")


def _priorities(table: Table, round_: Round) -> list[dict]:
    return [priority_payload(p) for p in _priorities_in(round_).filter(table=table)]


def _me(viewer: Viewer, table: Table | None) -> dict:
    return {
        "participant": viewer.participant.pk if viewer.participant else None,
        "user": None if viewer.participant else viewer.user.pk,
        "key": viewer.key,
        "name": viewer.name,
        "role_code": viewer.participant.role_code if viewer.participant else "",
        "can_run": can_run(viewer),
        "can_watch": can_watch(viewer),
        "can_chat": can_chat(viewer),
        "can_moderate": bool(table) and can_moderate(viewer, table),
    }


def _questions(viewer: Viewer) -> list[dict]:
    questions = list(ClosingQuestion.objects.filter(event=viewer.event))
    answers = {}
    if questions and viewer.participant is not None:
        answers = dict(
            ClosingAnswer.objects.filter(participant=viewer.participant).values_list(
                "question_id", "text"
            )
        )
    return [{"id": q.pk, "text": q.text, "answer": answers.get(q.pk, "")} for q in questions]


def _console_tables(event: Event, round_: Round | None) -> list[dict]:
    """Every table as the facilitator console shows it, read in a handful of queries
    whatever the number of tables (a 1,000-person event has 250)."""
    tables = list(Table.objects.filter(event=event).select_related("host"))
    seated = _seated(round_.pk) if round_ is not None else {}
    hosts_present = _hosts_present(tables)
    counts, notes, priorities = {}, {}, {}
    if round_ is not None:
        readable = [t.pk for t in tables if not t.closed_to_staff]
        in_round = Note.objects.filter(round=round_, table_id__in=readable)
        counts = {
            row["table_id"]: row
            for row in in_round.order_by()
            .values("table_id")
            .annotate(count=Count("id"), last=Max("created_at"))
        }
        for note in _notes_in(round_, moderator=True).filter(table_id__in=readable):
            notes.setdefault(note.table_id, []).append(note_payload(note))
        for priority in _priorities_in(round_).filter(table_id__in=readable):
            priorities.setdefault(priority.table_id, []).append(priority_payload(priority))
    return [
        {
            **table_summary(table, counts.get(table.pk)),
            "people": _people(table, seated.get(table.pk, []), hosts_present),
            "priorities": priorities.get(table.pk, []),
            "notes": notes.get(table.pk, []),
            "staff_free": table.closed_to_staff,
        }
        for table in tables
    ]


def live_state(*, viewer: Viewer, table_id: int | None = None) -> dict:
    """Everything one viewer's page shows, with the cursor it is true at.

    Read under the locks of ``cafes.ordering``, so no update this viewer may see can commit
    between reading the cursor and reading the rows: replaying from the cursor neither
    misses nor repeats anything. A participant shares the café row and their table's row
    (many read at once; only their table's and the event's writers wait); staff, who see
    every table, hold the café row for the read, which waits out every table write.
    """
    with transaction.atomic():
        seat = None
        if can_watch(viewer):
            cafe = ordering.hold_event(viewer.event)
        else:
            cafe = ordering.share_event(viewer.event)
            seat = _seat_in(cafe, viewer.participant)
            if seat is not None:
                ordering.share_table(seat.table_id)
        cursor = (
            LiveUpdate.objects.filter(event=viewer.event).aggregate(last=Max("pk"))["last"] or 0
        )
        return _state(viewer, cafe, cursor, table_id, seat)


def _state(
    viewer: Viewer, cafe: Cafe | None, cursor: int, table_id: int | None, seat: Seat | None
) -> dict:
    event = viewer.event
    rounds = list(Round.objects.filter(event=event))
    round_ = next((r for r in rounds if cafe and r.pk == cafe.current_round_id), None)
    table = None
    if viewer.participant is not None and round_ is not None:
        table = seat.table if seat else None
    elif table_id is not None and can_watch(viewer):
        table = Table.objects.filter(event=event, pk=table_id).first()
        if table is not None and not can_read_table(viewer, table):
            table = None
    moderator = bool(table) and can_moderate(viewer, table)
    state = {
        "type": "state",
        "cursor": cursor,
        "server_time": timezone.now().isoformat(),
        "event": {"slug": event.slug, "title": event.title},
        "me": _me(viewer, table),
        "cafe": (
            {
                "phase": cafe.phase,
                "broadcast": cafe.broadcast,
                "broadcast_at": cafe.broadcast_at.isoformat() if cafe.broadcast_at else None,
            }
            if cafe
            else None
        ),
        "rounds": [round_payload(r) for r in rounds],
        "current_round": round_.number if round_ else None,
        "priorities_round": max((r.number for r in rounds), default=None),
        "free_seating": chooses_own_table(event),
        "table": None,
        "notes": [],
        "read_back": None,
        "priorities": [],
        "chat": _chat(event, moderator=can_run(viewer)),
        "questions": _questions(viewer),
    }
    if table is not None and round_ is not None:
        state["table"] = {
            "id": table.pk,
            "label": table.label,
            "people": table_people(table=table, round_id=round_.pk),
        }
        state["notes"] = _notes_at(table, round_, moderator=moderator)
        state["read_back"] = _read_back(table, round_, rounds)
        state["priorities"] = _priorities(table, round_)
    if can_watch(viewer):
        state["tables"] = _console_tables(event, round_)
        state["participants"] = [
            {"id": p.pk, "name": p.pseudonym, "role_code": p.role_code}
            for p in Participant.objects.filter(event=event, status=ParticipantStatus.JOINED)
        ]
    return state


def round_is_open(event: Event) -> bool:
    return Round.objects.filter(event=event, status=RoundStatus.OPEN).exists()


# --- the event's words, for the harvest and reports ------------------------------------------


def _not_withdrawn(prefix: str = "participant") -> Q:
    return Q(**{f"{prefix}__isnull": True}) | ~Q(
        **{f"{prefix}__status": ParticipantStatus.WITHDRAWN}
    )


def notes_for_event(*, event: Event) -> QuerySet[Note]:
    """Visible notes of the event, round by round and table by table (withdrawn people's
    notes, hidden, merged or withdrawn notes, and unshared staff-free tables left out)."""
    return (
        Note.objects.filter(event=event, status=NoteStatus.VISIBLE)
        .filter(_not_withdrawn())
        .filter(SHARED_WITH_STAFF)
        .select_related("round", "table")
        .order_by("round__number", "table__number", "created_at", "pk")
    )


def chat_for_event(*, event: Event) -> QuerySet[ChatMessage]:
    """The event chat, oldest first, without hidden messages or withdrawn people's words."""
    return (
        ChatMessage.objects.filter(event=event, hidden=False)
        .filter(_not_withdrawn())
        .select_related("round")
        .order_by("created_at", "pk")
    )


def priorities_for_event(*, event: Event) -> QuerySet[Priority]:
    """Every table's priorities with ``vote_count`` (withdrawn people's votes not counted,
    votes recorded outside Bridgework added), most votes first within each table; not those
    of a staff-free table that has not shared its notes."""
    return (
        Priority.objects.filter(round__event=event)
        .filter(SHARED_WITH_STAFF)
        .annotate(
            vote_count=Count(
                "votes", filter=~Q(votes__participant__status=ParticipantStatus.WITHDRAWN)
            )
            + F("recorded_votes")
        )
        .select_related("round", "table", "source_note")
        .order_by("round__number", "table__number", "-vote_count", "created_at", "pk")
    )


def answers_for_event(*, event: Event) -> QuerySet[ClosingAnswer]:
    """Answers to the closing questions, grouped by question (withdrawn people left out)."""
    return (
        ClosingAnswer.objects.filter(question__event=event)
        .filter(_not_withdrawn())
        .select_related("question")
        .order_by("question__position", "question_id", "created_at", "pk")
    )


def rounds_for_event(*, event: Event) -> QuerySet[Round]:
    """The event's café rounds in order, with their prompts."""
    return Round.objects.filter(event=event).order_by("number")


def tables_for_event(*, event: Event) -> QuerySet[Table]:
    """The event's café tables in order (``host`` is a staff user; never put it in a report)."""
    return Table.objects.filter(event=event).order_by("number")
