"""What the fault tests share: a café round with people seated, and a websocket client that
behaves like ``static/js/cafes/live.js`` (cursor, resume, resending unacknowledged writes).

Everything runs against a real uvicorn subprocess on the test's database and a real Redis.
"""

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass, field

import pytest
import websockets
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections

from cafes import services
from cafes.models import Note, Seat, Table
from events.identity import remember_participant
from tests.cafes.conftest import make_event, staff_viewer
from tests.factories import ParticipantFactory
from tests.support.services import require_postgres_and_redis

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _real_services():
    require_postgres_and_redis()


def cookie_for(participant) -> str:
    session = SessionStore()
    remember_participant(session, participant)
    session.save()
    return session.session_key


@dataclass
class Round:
    """An open round 1 with ``people`` seated at tables of ``table_size``."""

    event: object
    facilitator: object
    people: list
    table_of: dict  # participant pk -> table pk

    @classmethod
    def open(cls, *, people: int = 4, table_size: int = 4, start: bool = True) -> "Round":
        event = make_event(table_size=table_size)
        facilitator = staff_viewer(event)
        joined = [ParticipantFactory(event=event) for _ in range(people)]
        table_of = {}
        if start:
            services.start_cafe(viewer=facilitator)
            services.open_round(viewer=facilitator, number=1)
            table_of = dict(
                Seat.objects.filter(round__event=event).values_list("participant_id", "table_id")
            )
        return cls(event, facilitator, joined, table_of)

    def table_notes(self, table_id: int) -> dict[str, str]:
        """The visible notes of a table, from the database: client id -> text."""
        return {
            str(n.client_id): n.text
            for n in Note.objects.filter(table_id=table_id, status="visible")
        }

    def tables(self) -> list[int]:
        return list(Table.objects.filter(event=self.event).values_list("pk", flat=True))


@dataclass
class LiveClient:
    """One browser tab: keeps its cursor and board, resumes after a drop, and resends its
    unacknowledged writes unchanged (same ``client_id``) after reconnecting."""

    server: object
    slug: str
    cookie: str
    ws: object = None
    cursor: int | None = None
    notes: dict = field(default_factory=dict)  # client id -> text (visible notes at my table)
    table: int | None = None
    pending: dict = field(default_factory=dict)  # client id -> frame not yet acked
    acked: set = field(default_factory=set)
    errors: list = field(default_factory=list)
    applied_twice: int = 0
    reader: asyncio.Task | None = None
    synced: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(self, *, attempts: int = 100) -> None:
        """Connect (retrying with a short backoff while the server or Redis is away), say
        hello from the cursor, resend what was never acked."""
        for attempt in range(attempts):
            try:
                self.ws = await websockets.connect(
                    f"{self.server.ws_url}/ws/events/{self.slug}/live/",
                    origin=self.server.http_url,
                    additional_headers={"Cookie": f"sessionid={self.cookie}"},
                    open_timeout=30,
                    ping_interval=None,
                )
                self.synced = asyncio.Event()
                self.reader = asyncio.create_task(self._read())
                await self.ws.send(json.dumps({"type": "hello", "last_update_id": self.cursor}))
                await asyncio.wait_for(self.synced.wait(), 30)
                for frame in list(self.pending.values()):
                    await self.ws.send(json.dumps(frame))
                return
            except (OSError, websockets.WebSocketException, TimeoutError):
                await self.drop()
                await asyncio.sleep(min(1.0, 0.05 * (attempt + 1)))
        raise AssertionError(f"could not reconnect after {attempts} attempts")

    async def drop(self) -> None:
        """Go away abruptly (the reader stops first, so nothing more is applied)."""
        if self.reader is not None:
            self.reader.cancel()
            self.reader = None
        if self.ws is not None:
            self.ws.transport.abort()
            self.ws = None

    async def post(self, text: str) -> str:
        client_id = str(uuid.uuid4())
        frame = {"type": "note.post", "client_id": client_id, "text": text, "kind": "idea"}
        self.pending[client_id] = frame
        with contextlib.suppress(websockets.WebSocketException, AttributeError):
            await self.ws.send(json.dumps(frame))  # else resent after reconnecting
        return client_id

    async def ping(self) -> None:
        await self.ws.send(json.dumps({"type": "ping"}))

    @property
    def connected(self) -> bool:
        return self.reader is not None and not self.reader.done()

    async def _read(self) -> None:
        async for raw in self.ws:
            self.apply(json.loads(raw))

    def apply(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "state":
            self.cursor = frame["cursor"]
            self.table = frame["table"]["id"] if frame["table"] else None
            self.notes = {n["client_id"]: n["text"] for n in frame["notes"]}
        elif kind == "update":
            if self.cursor is not None and frame["id"] <= self.cursor:
                self.applied_twice += 1  # the server sent it twice: must never happen
                return
            self.cursor = frame["id"]
            if frame["kind"] == "note" and frame["table"] == self.table:
                note = frame["payload"]["note"]
                if note["status"] == "visible":
                    self.notes[note["client_id"]] = note["text"]
                else:
                    self.notes.pop(note["client_id"], None)
        elif kind == "synced":
            if frame["last_update_id"] is not None:
                self.cursor = frame["last_update_id"]
            self.synced.set()
        elif kind == "ack":
            self.pending.pop(frame["client_id"], None)
            self.acked.add(frame["client_id"])
        elif kind == "error":
            self.errors.append(frame)


async def in_db_thread(func, *args):
    """Run ORM work off the event loop, and give its connection back to the pool after:
    a thread's connection is otherwise never returned and the pool runs dry."""

    def run():
        try:
            return func(*args)
        finally:
            connections.close_all()

    return await asyncio.to_thread(run)


async def settle(clients, expected: dict, *, timeout: float = 20) -> None:
    """Ping until every client's board equals ``expected`` (the database's notes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if all(c.notes == expected for c in clients):
            return
        for client in clients:
            if client.connected:
                await client.ping()
        await asyncio.sleep(0.3)
