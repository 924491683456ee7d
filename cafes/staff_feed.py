"""One reader of an event's live news for all the staff screens a server process holds.

Staff see every table, so every note rings every staff socket. Reading the news costs a
moment of the café row (``cafes.ordering.settled_upto``) and a query; done by each staff
socket, that cost grew with the number of staff watching. Instead, the first staff socket of
an event in a process starts a feed: at most every ``BATCH_SECONDS`` it reads what is new
once and hands the same rows to each staff socket of that event in the process.

The feed keeps the newest ``KEEP`` rows it has read and knows which ids they cover: every
update staff may see with an id in ``(floor, upto]`` is among them. A socket whose cursor
lies in that range takes what is after its cursor from the feed; any other socket (just
connected from an old cursor, or far behind) reads the database itself, as before. Staff
may all see the same updates (``selectors.updates_after``), so one read serves them all.
"""

import asyncio
import logging
import weakref
from collections.abc import Callable

from channels.db import database_sync_to_async
from django.db import DatabaseError

from cafes import selectors
from cafes.models import LiveUpdate
from cafes.permissions import Viewer

logger = logging.getLogger(__name__)

BATCH_SECONDS = 0.1
KEEP = 1000
READ_LIMIT = 500

# Told (without waiting for it) that the feed has read: each socket takes its part itself.
Listener = Callable[[], None]

# Per event loop (one per server process; tests run several), per event id.
_feeds: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, StaffFeed]]" = (
    weakref.WeakKeyDictionary()
)


class StaffFeed:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer  # any staff viewer of the event: they all see the same news
        self.rows: list[LiveUpdate] = []
        self.floor: int | None = None  # None until the first read
        self.upto: int | None = None
        self.listeners: dict[object, Listener] = {}
        self.waiting = False
        self.task: asyncio.Task | None = None
        self.generation = 0  # bumped by ``forget``: a read in flight then keeps nothing

    @classmethod
    def join(cls, viewer: Viewer, key: object, listener: Listener) -> "StaffFeed":
        """The event's feed in this process (started if need be), with ``listener`` called
        after each read."""
        feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
        feed = feeds.get(viewer.event.pk)
        if feed is None:
            feed = feeds[viewer.event.pk] = cls(viewer)
        feed.listeners[key] = listener
        return feed

    def leave(self, key: object) -> None:
        self.listeners.pop(key, None)
        if self.listeners:
            return
        feeds = _feeds.get(asyncio.get_running_loop(), {})
        if feeds.get(self.viewer.event.pk) is self:
            del feeds[self.viewer.event.pk]
        if self.task is not None:
            self.task.cancel()

    def ring(self) -> None:
        """News exists: read it within ``BATCH_SECONDS`` (doorbells in between share it)."""
        self.waiting = True
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())

    def after(self, cursor: int) -> list[LiveUpdate] | None:
        """What the feed holds after ``cursor``; ``None`` if it cannot say (the socket reads
        the database itself)."""
        if self.floor is None or self.upto is None or not self.floor <= cursor:
            return None
        if cursor >= self.upto:
            return []
        return [row for row in self.rows if row.pk > cursor]

    async def _run(self) -> None:
        while self.waiting:
            await asyncio.sleep(BATCH_SECONDS)
            self.waiting = False
            try:
                await self._read()
            except DatabaseError:
                logger.warning("Database unavailable for the staff feed", exc_info=True)
                return  # the next doorbell or heartbeat tries again
            except Exception:
                logger.exception("The staff feed could not read")
                return
            for listener in list(self.listeners.values()):
                listener()

    def forget(self) -> None:
        """Drop the rows held: they may show words since blanked, or a table since closed to
        staff. Sockets behind ``upto`` then read the database, which is up to date."""
        self.generation += 1
        self.rows = []
        self.floor = self.upto

    def start_at(self, cursor: int) -> None:
        """A staff screen is up to date to ``cursor``: a feed that has not read yet reads on
        from there (it then holds nothing below it, so it covers ``(cursor, cursor]``)."""
        if self.upto is None:
            self.floor = self.upto = cursor

    async def _read(self) -> None:
        if self.upto is None:
            return  # no staff screen has its state yet
        read = database_sync_to_async(selectors.updates_after, thread_sensitive=False)
        while True:
            generation = self.generation
            rows = await read(viewer=self.viewer, after=self.upto, table_id=None, limit=READ_LIMIT)
            if generation != self.generation:
                return  # forgotten while reading: the next doorbell reads afresh
            if rows:
                self.rows.extend(rows)
                self.upto = rows[-1].pk
                if any(_takes_words_back(row) for row in rows):
                    self.forget()
            if len(self.rows) > KEEP:
                dropped = self.rows[: len(self.rows) - KEEP]
                self.rows = self.rows[len(dropped) :]
                self.floor = dropped[-1].pk
            if len(rows) < READ_LIMIT:
                return


def _takes_words_back(row: LiveUpdate) -> bool:
    """A note or chat message hidden, withdrawn or merged: its words were blanked in the
    rows before it (``news.forget_words``), which the feed may hold as they were."""
    item = row.payload.get("note") or row.payload.get("message")
    return isinstance(item, dict) and bool(item.get("redacted"))
