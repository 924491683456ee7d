"""Reads of the café: who is looking, what they may see, and the event's words for the harvest.

Other apps (harvest, reports) read notes, chat, priorities and answers only through the
``*_for_event`` functions at the bottom, which leave out withdrawn participants' words and
hidden, merged or withdrawn notes.
"""

from collections.abc import Collection
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from cafes import ordering, sql
from cafes.models import (
    Cafe,
    CafePhase,
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
from events.models import Event, Participant, ParticipantStatus
from events.permissions import staff_roles
from events.selectors import active_participants, closing_questions, event_by_slug, round_prompts

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


def viewer_for_socket(*, slug: str, session, user) -> Viewer | None:
    """Who opened a live socket to the event ``slug`` (``None``: no such event, or a stranger)."""
    event = event_by_slug(slug)
    if event is None:
        return None
    return viewer_for(event=event, session=session, user=user)


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
    """The participant's seat in the current round, with its table and whether they keep it
    (``_hosted_table_id``), in one query."""
    if participant is None or cafe is None or cafe.current_round_id is None:
        return None
    return (
        Seat.objects.select_related("table", "hosting")
        .filter(round_id=cafe.current_round_id, participant=participant)
        .first()
    )


def _hosted_table_id(seat: Seat | None) -> int | None:
    """The table this seat keeps (a participant hosting a table with no staff host)."""
    # ``hosting`` came with the seat (select_related): no query either way.
    return seat.table_id if seat is not None and hasattr(seat, "hosting") else None


def hosted_table_id(*, viewer: Viewer, round_id: int | None) -> int | None:
    """The table a participant hosts in this round (their seat there has a ``SeatHosting``),
    or ``None``: staff, someone seated without hosting, or no round. One query; what
    ``permissions.can_moderate`` needs to let a participant host tidy their own table."""
    if viewer.participant is None or round_id is None:
        return None
    return (
        Seat.objects.filter(
            round_id=round_id, participant=viewer.participant, hosting__isnull=False
        )
        .values_list("table_id", flat=True)
        .first()
    )


def updates_after(*, viewer: Viewer, after: int, table_id: int | None, limit: int = 200):
    """The live updates this socket may see with an id above ``after``, oldest first.

    Every socket follows the event's own news and at most one table (``table_id``): a
    participant's seat, or the table a host or facilitator has open. Both kinds commit in id
    order (``cafes.ordering``), so this reads past the cursor without any lock. Staff read a
    staff-free table's news only once its group has shared it; that who may read the table
    changed (``table.privacy``, which carries no words) they are always told.
    """
    updates = LiveUpdate.objects.filter(event=viewer.event, pk__gt=after)
    if table_id is None:
        updates = updates.filter(table__isnull=True)
    else:
        at_table = Q(table_id=table_id)
        if can_watch(viewer):
            at_table &= SHARED_WITH_STAFF | Q(kind="table.privacy")
        updates = updates.filter(Q(table__isnull=True) | at_table)
    return list(updates.order_by("pk")[:limit])


def update_frame(update: LiveUpdate) -> dict:
    return frame_of(update)


def _seated(round_id: int, table_ids: Collection[int] | None = None) -> dict[int, list[dict]]:
    """The people seated in a round, by table (only at ``table_ids`` when given): one query.
    Plain SQL (``cafes.sql.seated``), as it runs whenever someone connects or leaves and its
    ORM form cost more to build than to run (docs/benchmarks.md)."""
    params: list = [timezone.now() - PRESENCE_TIMEOUT, round_id]
    if table_ids is not None:
        if not table_ids:
            return {}
        params.extend(int(pk) for pk in table_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql.seated(None if table_ids is None else len(table_ids)), params)
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
    seated = _seated(round_id, [table.pk]).get(table.pk, []) if round_id is not None else []
    return _people(table, seated, _hosts_present([table]))


def presence_frames(*, event: Event, table_ids: Collection[int]) -> list[dict]:
    """Who is at each of these tables right now (sent when people connect or leave), in the
    same four queries for one table or many."""
    tables = list(Table.objects.select_related("host").filter(event=event, pk__in=table_ids))
    if not tables:
        return []
    round_id = Cafe.objects.filter(event=event).values_list("current_round_id", flat=True).first()
    seated = _seated(round_id, [t.pk for t in tables]) if round_id is not None else {}
    hosts_present = _hosts_present(tables)
    return [
        {
            "type": "presence",
            "table": table.pk,
            "people": _people(table, seated.get(table.pk, []), hosts_present),
        }
        for table in tables
    ]


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


def read_back_round(*, cafe: Cafe | None, rounds: list[Round]) -> Round | None:
    """The round whose read-back a table shows now, and the one its host writes.

    While a round is on (or about to open), the round before it: read back to the newcomers.
    Once a round has closed, that round: its host prepares the read-back in the plenary for
    the newcomers of the next. None in round 1 (nothing earlier), after the last round, in
    the closing questions and after the end (nobody new is left to hear it).
    ``rounds``: the event's rounds, already read.
    """
    if cafe is None or cafe.phase in {CafePhase.CLOSING, CafePhase.ENDED}:
        return None
    current = next((r for r in rounds if r.pk == cafe.current_round_id), None)
    if current is None:
        return None
    if current.status == RoundStatus.CLOSED:
        later = any(r.number > current.number for r in rounds)
        return current if later else None
    return max(
        (r for r in rounds if r.number < current.number), key=lambda r: r.number, default=None
    )


def _read_back(table: Table, cafe: Cafe | None, rounds: list[Round]) -> dict | None:
    """The table's read-back (``read_back_round``): the host's summary and the round's
    notes; ``for_round`` is the round whose newcomers hear it."""
    summarised = read_back_round(cafe=cafe, rounds=rounds)
    if summarised is None:
        return None
    summary = ReadBack.objects.filter(table=table, round=summarised).select_related("round").first()
    return {
        "round": summarised.number,
        "for_round": summarised.number + 1,
        "summary": read_back_payload(summary),
        "notes": _notes_at(table, summarised, moderator=False),
    }


def _priorities_in(round_: Round) -> QuerySet[Priority]:
    return _priorities_in_round(round_.pk)


def _priorities_in_round(round_id: int) -> QuerySet[Priority]:
    """The round's priorities with what their payloads need (votes in one more query)."""
    return (
        Priority.objects.filter(round_id=round_id).select_related("round").prefetch_related("votes")
    )


def _priorities(table: Table, round_: Round) -> list[dict]:
    return [priority_payload(p) for p in _priorities_in(round_).filter(table=table)]


def _hosts(viewer: Viewer, table: Table, hosting_table_id: int | None) -> bool:
    """Whether the viewer keeps this table: its staff host, or the participant hosting it."""
    if viewer.participant is not None:
        return hosting_table_id == table.pk
    return table.host_id is not None and table.host_id == viewer.user.pk


def _me(viewer: Viewer, table: Table | None, hosting_table_id: int | None) -> dict:
    return {
        "participant": viewer.participant.pk if viewer.participant else None,
        "user": None if viewer.participant else viewer.user.pk,
        "key": viewer.key,
        "name": viewer.name,
        "role_code": viewer.participant.role_code if viewer.participant else "",
        "can_run": can_run(viewer),
        "can_watch": can_watch(viewer),
        "can_chat": can_chat(viewer),
        "can_moderate": bool(table) and can_moderate(viewer, table, hosting_table_id),
        "hosts_table": bool(table) and _hosts(viewer, table, hosting_table_id),
    }


def _questions(viewer: Viewer) -> list[dict]:
    questions = list(closing_questions(viewer.event))
    answers = {}
    if questions and viewer.participant is not None:
        answers = dict(
            ClosingAnswer.objects.filter(participant=viewer.participant).values_list(
                "question_id", "text"
            )
        )
    return [{"id": q.pk, "text": q.text, "answer": answers.get(q.pk, "")} for q in questions]


def _console_tables(
    event: Event, round_id: int | None, table_ids: Collection[int] | None = None
) -> list[dict]:
    """Tables as the facilitator console shows them (all, or only ``table_ids``): who sits
    there, how many notes of each kind this round, the newest, and the priorities. Read in
    the same handful of queries whatever the number of tables (a 1,000-person event has
    250); the notes themselves are read only by a screen that opens the table."""
    tables = Table.objects.filter(event=event).select_related("host").order_by("number", "pk")
    if table_ids is not None:
        tables = tables.filter(pk__in=list(table_ids))
    tables = list(tables)
    seated = _seated(round_id, [t.pk for t in tables]) if round_id is not None else {}
    hosts_present = _hosts_present(tables)
    counts: dict[int, dict] = {}
    priorities: dict[int, list[dict]] = {}
    readable = [t.pk for t in tables if not t.closed_to_staff]
    if round_id is not None and readable:
        visible = Note.objects.filter(
            round_id=round_id, table_id__in=readable, status=NoteStatus.VISIBLE
        )
        for row in (
            visible.order_by()
            .values("table_id", "kind")
            .annotate(count=Count("id"), last=Max("created_at"), last_id=Max("id"))
        ):
            table = counts.setdefault(
                row["table_id"], {"count": 0, "last": None, "last_id": None, "kinds": {}}
            )
            table["count"] += row["count"]
            table["kinds"][row["kind"]] = row["count"]
            if table["last_id"] is None or row["last_id"] > table["last_id"]:
                table["last"], table["last_id"] = row["last"], row["last_id"]
        in_round = _priorities_in_round(round_id).filter(table_id__in=readable)
        for priority in in_round:
            priorities.setdefault(priority.table_id, []).append(priority_payload(priority))
    return [
        {
            **table_summary(table, counts.get(table.pk)),
            "people": _people(table, seated.get(table.pk, []), hosts_present),
            "priorities": priorities.get(table.pk, []),
            "staff_free": table.closed_to_staff,
        }
        for table in tables
    ]


def table_readable(*, viewer: Viewer, table_id: int) -> bool | None:
    """Whether this viewer may read the table's notes (``None``: no such table at the
    viewer's event): a staff screen asking to follow a table."""
    table = Table.objects.filter(event=viewer.event, pk=table_id).first()
    return None if table is None else can_read_table(viewer, table)


def newest_update_id(*, event: Event) -> int:
    """The newest live update of the event (one index lookup): has anything been written?"""
    last = LiveUpdate.objects.filter(event=event).order_by("-pk").values_list("pk").first()
    return last[0] if last else 0


def console_overview(*, event: Event, table_ids: Collection[int] | None = None) -> dict:
    """The ``overview`` frame: the console's view of the tables that changed (all of them
    when ``table_ids`` is ``None``), with ``upto``, the newest update id when it was read. A
    screen whose state is newer than ``upto`` leaves it out (the state already shows more)."""
    upto = newest_update_id(event=event)
    round_id = Cafe.objects.filter(event=event).values_list("current_round_id", flat=True).first()
    return {
        "type": "overview",
        "upto": upto,
        "tables": _console_tables(event, round_id, table_ids),
    }


def live_state(*, viewer: Viewer, table_id: int | None = None) -> dict:
    """Everything one viewer's page shows, with the cursor it is true at.

    Read under the locks of ``cafes.ordering``, so no update this viewer may see can commit
    between reading the cursor and reading the rows: replaying from the cursor neither
    misses nor repeats anything. Everyone shares the café row (so the event's writers wait)
    and the row of the one table they follow: a participant's seat, or the table a host or
    facilitator opened (``table_id``). Many read at once, and only that table's writers
    wait. The console's overview of every table is a snapshot that its ``overview`` frames
    keep fresh; it has no cursor of its own.
    """
    with transaction.atomic():
        seat = None
        cafe = ordering.share_event(viewer.event)
        if viewer.participant is not None:
            seat = _seat_in(cafe, viewer.participant)
            if seat is not None:
                ordering.share_table(seat.table_id)
        elif table_id is not None:
            ordering.share_table(table_id)
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
    hosting = _hosted_table_id(seat)
    if viewer.participant is not None and round_ is not None:
        table = seat.table if seat else None
    elif table_id is not None and can_watch(viewer):
        table = Table.objects.filter(event=event, pk=table_id).first()
        if table is not None and not can_read_table(viewer, table):
            table = None
    moderator = bool(table) and can_moderate(viewer, table, hosting)
    state = {
        "type": "state",
        "cursor": cursor,
        "server_time": timezone.now().isoformat(),
        "event": {"slug": event.slug, "title": event.title},
        "me": _me(viewer, table, hosting),
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
        state["read_back"] = _read_back(table, cafe, rounds)
        state["priorities"] = _priorities(table, round_)
    if can_watch(viewer) and table_id is None:
        state["tables"] = _console_tables(event, round_.pk if round_ else None)
        state["planned_minutes"] = planned_minutes(event=event, rounds=rounds)
        state["participants"] = [
            {"id": p.pk, "name": p.pseudonym, "role_code": p.role_code}
            for p in active_participants(event)
        ]
    return state


def planned_minutes(*, event: Event, rounds: list[Round]) -> dict[int, int]:
    """How long each round is planned to run, by number, for the console's "Minutes" box: the
    agenda's Nth café-round segment as it stands now (the agenda may change while the event
    is live), else what the round was given when the café started (``ensure_rounds``)."""
    if chooses_own_table(event):  # one Open Space round, made from other segments
        return {r.number: r.planned_minutes for r in rounds}
    agenda = list(round_prompts(event).values_list("planned_minutes", flat=True))
    return {
        r.number: agenda[r.number - 1] if r.number <= len(agenda) else r.planned_minutes
        for r in rounds
    }


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
