"""The live café socket end to end, through the real ASGI application (origin check,
session and auth middleware), the channel layer and the database.

On CI these run on PostgreSQL and Redis; ``transaction=True`` so ``on_commit`` really fires.
"""

import asyncio
import json
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from cafes import services
from cafes.models import ChatMessage, LiveUpdate, Note, ReadBack, Seat, Table
from config.asgi import application
from events.identity import remember_participant
from events.models import StaffRole
from tests.cafes.conftest import cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")


def participant_cookie(participant) -> bytes:
    session = SessionStore()
    remember_participant(session, participant)
    session.save()
    return f"sessionid={session.session_key}".encode()


def staff_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


class Room:
    """An event with eight participants at two tables, round 1 open, and staff."""

    def __init__(self):
        self.event = make_event()
        self.facilitator = staff_viewer(self.event)
        self.people = [ParticipantFactory(event=self.event, role_code=r) for r in ["BP", "BF"] * 4]
        services.start_cafe(viewer=self.facilitator)
        services.open_round(viewer=self.facilitator, number=1)
        self.tables = list(Table.objects.filter(event=self.event))

        self.seated = [
            [s.participant for s in Seat.objects.filter(round__number=1, table=table)]
            for table in self.tables
        ]

    def at(self, table_index: int):
        """The people at a table in round 1."""
        return self.seated[table_index]


@pytest.fixture
def room():
    return Room()


async def connect(cookie: bytes, slug: str, *, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [origin, (b"cookie", cookie)] if origin else [(b"cookie", cookie)]
    communicator = WebsocketCommunicator(application, f"/ws/events/{slug}/live/", headers=headers)
    connected, code = await communicator.connect()
    assert connected, code
    return communicator


async def frames_until(communicator, wanted: str, *, timeout: float = 5) -> list[dict]:
    """Every frame up to and including the first of type ``wanted`` (presence skipped)."""
    frames = []
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == "presence":
            continue
        frames.append(frame)
        if frame["type"] == wanted:
            return frames


async def hello(communicator, last=None, **extra) -> list[dict]:
    await communicator.send_json_to({"type": "hello", "last_update_id": last, **extra})
    return await frames_until(communicator, "synced")


async def quiet(communicator, timeout: float = 0.4) -> list[dict]:
    """Frames that arrive within ``timeout``, other than presence."""
    frames = []
    while not await communicator.receive_nothing(timeout=timeout):
        frame = await communicator.receive_json_from()
        if frame["type"] != "presence":
            frames.append(frame)
    return frames


async def join(room: Room, participant) -> WebsocketCommunicator:
    cookie = await database_sync_to_async(participant_cookie)(participant)
    communicator = await connect(cookie, room.event.slug)
    await hello(communicator)
    return communicator


def note_frame(text="We were not listened to", kind="story", **extra) -> dict:
    return {
        "type": "note.post",
        "client_id": str(uuid.uuid4()),
        "text": text,
        "kind": kind,
        **extra,
    }


count = database_sync_to_async(lambda model, **kw: model.objects.filter(**kw).count())


async def test_strangers_and_foreign_origins_are_turned_away(room):
    stranger = WebsocketCommunicator(
        application, f"/ws/events/{room.event.slug}/live/", headers=[ORIGIN]
    )
    connected, code = await stranger.connect()
    assert not connected
    assert code == 4403

    cookie = await database_sync_to_async(participant_cookie)(room.people[0])
    foreign = WebsocketCommunicator(
        application,
        f"/ws/events/{room.event.slug}/live/",
        headers=[(b"origin", b"https://evil.example"), (b"cookie", cookie)],
    )
    connected, _ = await foreign.connect()
    assert not connected


async def test_hello_sends_the_participants_table_and_round(room):
    person = room.at(0)[0]
    communicator = await join(room, person)
    await communicator.send_json_to({"type": "hello", "last_update_id": None})
    state = (await frames_until(communicator, "state"))[-1]
    assert state["me"]["name"] == person.pseudonym
    assert state["table"]["id"] == room.tables[0].pk
    assert {p["name"] for p in state["table"]["people"]} == {p.pseudonym for p in room.at(0)}
    assert state["current_round"] == 1
    assert state["rounds"][0]["status"] == "open"
    assert state["rounds"][0]["ends_at"]
    assert "tables" not in state  # only staff see every table
    await communicator.disconnect()


async def test_a_note_is_acked_after_commit_and_reaches_only_its_table(room):
    author, mate = room.at(0)[:2]
    elsewhere = room.at(1)[0]
    a, b, c = [await join(room, p) for p in (author, mate, elsewhere)]

    frame = note_frame()
    await a.send_json_to(frame)
    frames = await frames_until(a, "ack")
    ack = frames[-1]
    assert ack["client_id"] == frame["client_id"]
    assert await count(Note, pk=ack["id"], text="We were not listened to") == 1

    update = (await frames_until(b, "update"))[-1]
    assert update["kind"] == "note"
    assert update["payload"]["note"]["text"] == "We were not listened to"
    assert update["payload"]["note"]["author"] == author.pseudonym
    assert update["payload"]["note"]["id"] == ack["id"]
    assert await quiet(c) == []  # the other table hears nothing
    for communicator in (a, b, c):
        await communicator.disconnect()


async def test_a_retried_write_is_stored_once_and_acked_with_the_same_id(room):
    author, mate = room.at(0)[:2]
    a, b = await join(room, author), await join(room, mate)
    frame = note_frame()
    await a.send_json_to(frame)
    first = (await frames_until(a, "ack"))[-1]
    await a.send_json_to(frame)
    second = (await frames_until(a, "ack"))[-1]
    assert first["id"] == second["id"]
    assert await count(Note) == 1
    updates = [f for f in await quiet(b) if f["type"] == "update"]
    assert len(updates) == 1
    await a.disconnect()
    await b.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_exactly_once_in_order(room):
    me, mate = room.at(0)[:2]
    other = room.at(1)[0]
    mine = await join(room, me)
    await mine.send_json_to(note_frame("before I left"))
    frames = await frames_until(mine, "ack")
    frames += await quiet(mine)
    last_seen = max(f["id"] for f in frames if f["type"] == "update")
    await mine.disconnect()

    theirs, elsewhere = await join(room, mate), await join(room, other)
    for n in range(3):
        await theirs.send_json_to(note_frame(f"missed {n}"))
        await frames_until(theirs, "ack")
    await elsewhere.send_json_to(note_frame("other table"))
    await frames_until(elsewhere, "ack")

    back = await database_sync_to_async(participant_cookie)(me)
    mine = await connect(back, room.event.slug)
    replay = await hello(mine, last=last_seen)
    updates = [f for f in replay if f["type"] == "update"]
    assert [u["payload"]["note"]["text"] for u in updates] == ["missed 0", "missed 1", "missed 2"]
    assert [u["id"] for u in updates] == sorted(u["id"] for u in updates)
    assert replay[-1] == {"type": "synced", "last_update_id": updates[-1]["id"]}

    await theirs.send_json_to(note_frame("live again"))
    live = [f for f in await quiet(mine, 0.8) if f["type"] == "update"]
    assert [u["payload"]["note"]["text"] for u in live] == ["live again"]
    for communicator in (mine, theirs, elsewhere):
        await communicator.disconnect()


async def test_news_racing_a_replay_is_not_sent_twice(room):
    me, mate = room.at(0)[:2]
    theirs = await join(room, mate)
    cookie = await database_sync_to_async(participant_cookie)(me)
    mine = await connect(cookie, room.event.slug)
    # The mate posts while my hello is being answered: whichever path carries it, once.
    await asyncio.gather(
        mine.send_json_to({"type": "hello", "last_update_id": 0}),
        theirs.send_json_to(note_frame("racing")),
    )
    frames = await frames_until(mine, "synced")
    frames += await quiet(mine, 0.8)
    racing = [
        f for f in frames if f["type"] == "update" and f["payload"]["note"]["text"] == "racing"
    ]
    states = [f for f in frames if f["type"] == "state"]
    in_state = any(n["text"] == "racing" for s in states for n in s["notes"])
    assert len(racing) + in_state == 1
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_lost_doorbell_reaches_the_table_on_its_next_ping(room, monkeypatch):
    author, mate = room.at(0)[:2]
    theirs = await join(room, mate)
    # The channel layer loses the note's doorbell (as channels-redis does past its capacity).
    monkeypatch.setattr("cafes.news.send_event_on_commit", lambda group, message: None)
    stored = await database_sync_to_async(
        lambda: services.post_note(
            viewer=participant_viewer(author), text="Nobody rang", kind="story", client_id=cid()
        )
    )()
    assert await quiet(theirs) == []

    await theirs.send_json_to({"type": "ping"})
    frames = await frames_until(theirs, "update")
    assert frames[-1]["payload"]["note"]["id"] == stored.pk
    await theirs.send_json_to({"type": "ping"})
    assert [f["type"] for f in await quiet(theirs)] == ["pong"]  # once, not again
    await theirs.disconnect()


BAD_FRAMES = [
    ("x" * 9000, "too_large"),
    ("{not json", "malformed"),
    ("[1, 2]", "malformed"),
    (json.dumps({"kind": "note.post"}), "malformed"),
    (json.dumps({"type": "shout", "client_id": "c1"}), "unknown_type"),
    (json.dumps({"type": "note.post", "text": "no id", "kind": "story"}), "bad_client_id"),
    (json.dumps(note_frame(text="<script>alert(1)</script>")), "html_not_allowed"),
    (json.dumps(note_frame(text="x" * 2001)), "too_long"),
    (json.dumps(note_frame(kind="gossip")), "bad_kind"),
    (json.dumps({"type": "note.post", "client_id": str(uuid.uuid4())}), "malformed"),
    (json.dumps({"type": "round.close", "client_id": str(uuid.uuid4())}), "forbidden"),
    (json.dumps({"type": "broadcast", "client_id": str(uuid.uuid4()), "text": "hi"}), "forbidden"),
    (json.dumps({"type": "hello", "last_update_id": "yesterday"}), "malformed"),
    (json.dumps({"type": "hello", "last_update_id": 0, "table_id": 1}), "forbidden"),
]


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES)
async def test_bad_frames_get_an_error_and_the_socket_stays_usable(room, raw, code):
    communicator = await join(room, room.at(0)[0])
    await communicator.send_to(text_data=raw)
    error = (await frames_until(communicator, "error"))[-1]
    assert error["code"] == code
    assert error["message"]
    await communicator.send_json_to({"type": "ping"})
    assert (await frames_until(communicator, "pong"))[-1]["type"] == "pong"
    assert await count(Note) == 0
    await communicator.disconnect()


async def test_binary_frames_are_refused(room):
    communicator = await join(room, room.at(0)[0])
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await frames_until(communicator, "error"))[-1]["code"] == "malformed"
    await communicator.disconnect()


async def test_no_writes_to_another_table_or_a_closed_round(room):
    me = room.at(0)[0]
    communicator = await join(room, me)
    frame = note_frame(table_id=room.tables[1].pk)
    await communicator.send_json_to(frame)
    error = (await frames_until(communicator, "error"))[-1]
    assert (error["code"], error["client_id"]) == ("forbidden", frame["client_id"])

    await database_sync_to_async(services.close_round)(viewer=room.facilitator)
    await communicator.send_json_to(note_frame())
    assert (await frames_until(communicator, "error"))[-1]["code"] == "round_closed"
    assert await count(Note) == 0
    await communicator.disconnect()


async def test_too_many_frames_are_rate_limited(room, settings):
    settings.CAFES_RATE_LIMIT = {"burst": 3, "per_second": 0.01}
    communicator = await join(room, room.at(0)[0])  # the hello took one token
    for _ in range(3):
        await communicator.send_json_to({"type": "ping"})
    frames = await quiet(communicator)
    assert [f["type"] for f in frames] == ["pong", "pong", "error"]
    assert frames[-1]["code"] == "rate_limited"
    await communicator.disconnect()


async def overview_until(communicator, done, *, timeout: float = 5) -> dict[int, dict]:
    """Apply ``overview`` frames to the console's tables until ``done(tables)``; every
    other frame a console gets meanwhile must not be a table's news."""
    tables: dict[int, dict] = {}
    while not done(tables):
        frame = await communicator.receive_json_from(timeout=timeout)
        assert frame["type"] != "presence", frame
        if frame["type"] == "update":
            assert frame["table"] is None, frame  # the event's news only
        if frame["type"] == "overview":
            tables.update({t["id"]: t for t in frame["tables"]})
    return tables


async def test_the_facilitator_console_sees_every_tables_counts_and_runs_the_rounds(room):
    facilitator = await connect(
        await database_sync_to_async(staff_cookie)(room.facilitator.user), room.event.slug
    )
    state = (await hello(facilitator))[0]
    assert state["me"]["can_run"]
    assert [t["id"] for t in state["tables"]] == [t.pk for t in room.tables]
    a, b = await join(room, room.at(0)[0]), await join(room, room.at(1)[0])
    for communicator, text in ((a, "table one"), (b, "table two")):
        await communicator.send_json_to(note_frame(text))
        await frames_until(communicator, "ack")
    # The console is told how busy each table is, never the notes themselves.
    tables = await overview_until(
        facilitator,
        lambda seen: all(seen.get(t.pk, {}).get("note_count") == 1 for t in room.tables),
    )
    assert {tables[t.pk]["kinds"]["story"] for t in room.tables} == {1}
    assert "table one" not in json.dumps(tables)
    assert "table two" not in json.dumps(tables)

    await facilitator.send_json_to(
        {"type": "broadcast", "client_id": str(uuid.uuid4()), "text": "Two minutes left"}
    )
    await frames_until(facilitator, "ack")
    heard = [f for f in await quiet(a) if f["type"] == "update"]
    assert heard[-1]["payload"]["text"] == "Two minutes left"

    await facilitator.send_json_to({"type": "round.close", "client_id": str(uuid.uuid4())})
    await frames_until(facilitator, "ack")
    await facilitator.send_json_to(
        {"type": "round.open", "client_id": str(uuid.uuid4()), "number": 2}
    )
    await frames_until(facilitator, "ack")
    moved = [f for f in await quiet(a, 0.8) if f["type"] == "state"]
    assert moved[-1]["current_round"] == 2
    assert moved[-1]["rounds"][1]["status"] == "open"
    round_two_table = moved[-1]["table"]["id"]
    await a.send_json_to(note_frame("at my new table"))
    ack = (await frames_until(a, "ack"))[-1]
    note = await database_sync_to_async(Note.objects.get)(pk=ack["id"])
    assert note.table_id == round_two_table
    for communicator in (facilitator, a, b):
        await communicator.disconnect()


async def host_at(room, table, **hello_extra):
    host = await database_sync_to_async(staff_viewer)(room.event, StaffRole.TABLE_HOST)
    await database_sync_to_async(Table.objects.filter(pk=table.pk).update)(host=host.user)
    screen = await connect(await database_sync_to_async(staff_cookie)(host.user), room.event.slug)
    state = (await hello(screen, table_id=table.pk, **hello_extra))[0]
    return screen, state


async def test_a_host_socket_receives_its_own_tables_notes_and_not_another_tables(room):
    first, state = await host_at(room, room.tables[0])
    second, _ = await host_at(room, room.tables[1])
    assert state["table"]["id"] == room.tables[0].pk
    assert "tables" not in state  # a host's page shows its table, not the whole event
    writers = [await join(room, room.at(0)[0]), await join(room, room.at(1)[0])]
    for number in range(6):
        writer = writers[number % 2]
        await writer.send_json_to(note_frame(f"note {number}"))
        await frames_until(writer, "ack")

    def notes(frames):
        return [f["payload"]["note"]["text"] for f in frames if f["type"] == "update"]

    assert notes(await quiet(first, 0.8)) == ["note 0", "note 2", "note 4"]
    assert notes(await quiet(second, 0.8)) == ["note 1", "note 3", "note 5"]
    for communicator in (first, second, *writers):
        await communicator.disconnect()


async def test_a_host_switching_tables_gets_a_fresh_state_and_only_the_new_tables_news(room):
    screen, _ = await host_at(room, room.tables[0])
    writers = [await join(room, room.at(0)[0]), await join(room, room.at(1)[0])]
    await writers[1].send_json_to(note_frame("said at table two"))
    await frames_until(writers[1], "ack")

    frames = await hello(screen, 0, table_id=room.tables[1].pk)  # with a cursor: still fresh
    state = next(f for f in frames if f["type"] == "state")
    assert state["table"]["id"] == room.tables[1].pk
    assert [n["text"] for n in state["notes"]] == ["said at table two"]
    for writer, text in ((writers[0], "back at one"), (writers[1], "more at two")):
        await writer.send_json_to(note_frame(text))
        await frames_until(writer, "ack")
    texts = [f["payload"]["note"]["text"] for f in await quiet(screen, 0.8) if "payload" in f]
    assert texts == ["more at two"]

    await screen.send_json_to({"type": "hello", "last_update_id": None, "table_id": 999999})
    error = (await frames_until(screen, "error"))[-1]
    assert error["code"] == "not_found"  # another event's table (or none) is refused
    for communicator in (screen, *writers):
        await communicator.disconnect()


async def test_consoles_share_one_overview_read_a_second_whatever_the_notes(room, settings):
    from cafes.live import overview

    settings.CAFES_OVERVIEW_SECONDS = 0.5
    consoles = []
    for role in (StaffRole.FACILITATOR, StaffRole.REVIEW_TEAM, StaffRole.FACILITATOR):
        viewer = await database_sync_to_async(staff_viewer)(room.event, role)
        consoles.append(
            await connect(await database_sync_to_async(staff_cookie)(viewer.user), room.event.slug)
        )
        await hello(consoles[-1])
    feed = overview._feeds[asyncio.get_running_loop()][room.event.pk]
    reads_before = feed.reads
    writers = [await join(room, person) for person in (*room.at(0)[:2], *room.at(1)[:2])]
    started = asyncio.get_running_loop().time()
    for number in range(24):  # 24 notes in about a second
        writer = writers[number % 4]
        await writer.send_json_to(note_frame(f"note {number}"))
        await frames_until(writer, "ack")
    tables = {}
    for console in consoles:
        tables = await overview_until(
            console, lambda seen: sum(t.get("note_count", 0) for t in seen.values()) == 24
        )
    elapsed = asyncio.get_running_loop().time() - started
    # One read for all three consoles at most every half second (plus the one in flight).
    assert feed.reads - reads_before <= elapsed / 0.5 + 2
    assert sum(t["note_count"] for t in tables.values()) == 24
    for communicator in (*consoles, *writers):
        await communicator.disconnect()


async def test_staff_screens_redraw_when_a_table_becomes_staff_free(room, settings):
    settings.CAFES_OVERVIEW_SECONDS = 0.2
    table = room.tables[0]
    facilitator = await connect(
        await database_sync_to_async(staff_cookie)(room.facilitator.user), room.event.slug
    )
    await hello(facilitator)
    host, state = await host_at(room, table)
    assert state["table"]["id"] == table.pk
    seated = await join(room, room.at(0)[0])

    await database_sync_to_async(services.set_staff_free)(table=table, staff_free=True)
    tables = await overview_until(
        facilitator, lambda seen: seen.get(table.pk, {}).get("staff_free")
    )
    assert tables[table.pk]["note_count"] == 0
    state = (await frames_until(host, "state"))[-1]
    assert state["table"] is None  # the host's page no longer shows the table
    # What the group writes from now on reaches no staff screen.
    await seated.send_json_to(note_frame("Only for us"))
    await frames_until(seated, "ack")
    for screen in (facilitator, host):
        assert "Only for us" not in json.dumps(await quiet(screen, 0.8))
    for communicator in (facilitator, host, seated):
        await communicator.disconnect()


async def test_the_review_team_watches_but_cannot_write(room):
    reviewer = await database_sync_to_async(staff_viewer)(room.event, StaffRole.REVIEW_TEAM)
    communicator = await connect(
        await database_sync_to_async(staff_cookie)(reviewer.user), room.event.slug
    )
    state = (await hello(communicator))[0]
    assert len(state["tables"]) == 2
    assert not state["me"]["can_run"]
    for frame in (
        {"type": "chat.post", "client_id": str(uuid.uuid4()), "text": "hello"},
        {"type": "round.close", "client_id": str(uuid.uuid4())},
        note_frame(table_id=room.tables[0].pk),
    ):
        await communicator.send_json_to(frame)
        assert (await frames_until(communicator, "error"))[-1]["code"] == "forbidden"
    assert await count(ChatMessage) + await count(Note) == 0
    await communicator.disconnect()


async def test_chat_reaches_every_table(room):
    a, b = await join(room, room.at(0)[0]), await join(room, room.at(1)[0])
    await a.send_json_to(
        {"type": "chat.post", "client_id": str(uuid.uuid4()), "text": "Same at our table"}
    )
    await frames_until(a, "ack")
    update = (await frames_until(b, "update"))[-1]
    assert update["kind"] == "chat"
    assert update["payload"]["message"]["text"] == "Same at our table"
    await a.disconnect()
    await b.disconnect()


async def test_presence_shows_who_is_at_the_table(room):
    first, second = room.at(0)[:2]
    a = await join(room, first)
    b = await join(room, second)
    presence = None
    while True:
        frame = await a.receive_json_from(timeout=3)
        if frame["type"] == "presence":
            presence = frame
            names = {p["name"] for p in presence["people"] if p["present"]}
            if second.pseudonym in names:
                break
    assert first.pseudonym in names
    await b.disconnect()
    while True:
        frame = await a.receive_json_from(timeout=3)
        if frame["type"] == "presence":
            names = {p["name"] for p in frame["people"] if p["present"]}
            if second.pseudonym not in names:
                break
    await a.disconnect()


async def test_a_late_arrival_is_seated_when_they_connect(room):
    newcomer = await database_sync_to_async(ParticipantFactory)(event=room.event, role_code="BP")
    communicator = await join(room, newcomer)
    await communicator.send_json_to({"type": "hello", "last_update_id": None})
    state = (await frames_until(communicator, "state"))[-1]
    assert state["table"] is not None
    assert newcomer.pseudonym in {p["name"] for p in state["table"]["people"]}
    assert await count(LiveUpdate, kind="seating", table_id=state["table"]["id"]) == 1
    await communicator.disconnect()


async def test_a_table_host_sees_their_table_and_the_table_sees_them_arrive(room):
    host = await database_sync_to_async(staff_viewer)(room.event, StaffRole.TABLE_HOST)
    table = room.tables[0]
    await database_sync_to_async(Table.objects.filter(pk=table.pk).update)(host=host.user)
    seated = await join(room, room.at(0)[0])
    communicator = await connect(
        await database_sync_to_async(staff_cookie)(host.user), room.event.slug
    )
    state = (await hello(communicator, table_id=table.pk))[0]
    assert state["table"]["id"] == table.pk
    assert state["me"]["can_moderate"]
    while True:
        frame = await seated.receive_json_from(timeout=3)
        if frame["type"] == "presence" and any(
            p["host"] and p["present"] and p["participant"] is None for p in frame["people"]
        ):
            break
    await communicator.send_json_to(note_frame("Noted by the host", table_id=table.pk))
    assert (await frames_until(communicator, "ack"))[-1]["id"]
    update = (await frames_until(seated, "update"))[-1]
    assert update["payload"]["note"]["author"] == "Table host"

    await communicator.disconnect()
    await seated.disconnect()


async def test_a_participant_host_writes_the_read_back_over_the_socket_and_a_seatmate_cannot(room):
    """Tables without a staff host are kept by their first participant (``SeatHosting``)."""
    host, mate = room.at(0)[0], room.at(0)[1]
    table = room.tables[0]
    hosting = await database_sync_to_async(
        lambda: Seat.objects.filter(
            round__number=1, participant=host, hosting__isnull=False
        ).exists()
    )()
    assert hosting
    await database_sync_to_async(services.close_round)(viewer=room.facilitator)
    host_socket = await join(room, host)
    mate_socket = await join(room, mate)

    frame = {"type": "read_back.save", "client_id": cid(), "table_id": table.pk, "text": "Mine"}
    await mate_socket.send_json_to(frame)
    error = (await frames_until(mate_socket, "error"))[-1]
    assert error["code"] == "forbidden"

    frame = {**frame, "client_id": cid(), "text": "What we heard in round 1."}
    await host_socket.send_json_to(frame)
    assert (await frames_until(host_socket, "ack"))[-1]["id"]
    update = (await frames_until(mate_socket, "update"))[-1]
    assert update["kind"] == "read_back"
    assert update["payload"]["read_back"]["text"] == "What we heard in round 1."
    assert await count(ReadBack) == 1

    await host_socket.send_json_to({"type": "hello", "last_update_id": None})
    state = (await frames_until(host_socket, "state"))[-1]
    assert state["me"]["can_moderate"]
    assert state["me"]["hosts_table"]
    assert state["read_back"]["summary"]["text"] == "What we heard in round 1."
    for communicator in (host_socket, mate_socket):
        await communicator.disconnect()
