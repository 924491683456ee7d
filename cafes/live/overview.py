"""The console's overview of every table: one reader per event and server process, at a
bounded rate, whatever the number of tables, notes and consoles.

A facilitator console or review screen shows every table's people, note counts, newest
note and priorities, not the notes themselves (a screen that opens a table follows that
table like a seat: ``docs/protocol.md``). While a process holds a console of the event, its
feed looks once every ``CAFES_OVERVIEW_SECONDS`` (1 s) at the newest update id of the event
(one query); if anything was written, or someone arrived or left (``cafes/live/presence.py``
rings the event's ``staff`` group), it reads every table's summary
(``selectors.console_overview``: the same few queries for 1 table or 250) and hands the
tables whose summary changed, serialised once, to every console of the event in the
process. A note costs the consoles nothing: no message per note, and one read a second
however many notes came.

The overview is a snapshot, not a log: reading every table each time leaves nothing behind
(a note committed late at one table is in the next read), and a frame read before a
screen's latest ``state`` is left out by that screen (``upto``).
"""

import asyncio
import json
import logging
import weakref
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError

from cafes import selectors
from cafes.live.db import in_db_thread
from events.models import Event

logger = logging.getLogger(__name__)

# Told (without waiting for it) that a frame is ready: ``(upto, text)``.
Listener = Callable[[int, str], None]

# Per event loop (one per server process; tests run several), per event id.
_feeds: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, OverviewFeed]]" = (
    weakref.WeakKeyDictionary()
)


class OverviewFeed:
    def __init__(self, event: Event) -> None:
        self.event = event
        self.listeners: dict[object, Listener] = {}
        self.changed_since = True  # read at the first look
        self.upto: int | None = None  # the newest update id at the last read
        self.task: asyncio.Task | None = None
        self.reads = 0  # how many reads this feed made (for tests and logs)
        self.sent: dict[int, str] = {}  # table id -> the summary last sent, as JSON

    @classmethod
    def join(cls, event: Event, key: object, listener: Listener) -> "OverviewFeed":
        """The event's feed in this process (started if need be), calling ``listener``
        with each frame."""
        feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
        feed = feeds.get(event.pk)
        if feed is None:
            feed = feeds[event.pk] = cls(event)
        feed.listeners[key] = listener
        # A new screen's state may be newer than what the feed last sent: send each table's
        # next summary whatever it was before.
        feed.sent.clear()
        feed._wake()
        return feed

    def leave(self, key: object) -> None:
        self.listeners.pop(key, None)
        if self.listeners:
            return
        feeds = _feeds.get(asyncio.get_running_loop(), {})
        if feeds.get(self.event.pk) is self:
            del feeds[self.event.pk]
        if self.task is not None:
            self.task.cancel()

    def changed(self) -> None:
        """Someone arrived or left, or a console's heartbeat asks: read every table at the
        next look even if nothing was written (people whose connection lapsed stop counting
        as present)."""
        self.changed_since = True
        self._wake()

    def _wake(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        interval = settings.CAFES_OVERVIEW_SECONDS
        while self.listeners:
            await asyncio.sleep(interval)
            try:
                await self._look()
            except DatabaseError:
                # The next look tries again.
                logger.warning("Database unavailable for the console overview")
                self.changed_since = True
            except Exception:
                logger.exception("The console overview could not be read")
                self.changed_since = True

    async def _look(self) -> None:
        newest = await in_db_thread(selectors.newest_update_id)(event=self.event)
        if newest == self.upto and not self.changed_since:
            return
        self.changed_since = False
        frame = await in_db_thread(selectors.console_overview)(event=self.event)
        self.reads += 1
        self.upto = frame["upto"]
        tables = []
        for table in frame["tables"]:
            summary = json.dumps(table, sort_keys=True)
            if self.sent.get(table["id"]) != summary:
                self.sent[table["id"]] = summary
                tables.append(table)
        if not tables:
            return
        text = json.dumps({**frame, "tables": tables})
        for listener in list(self.listeners.values()):
            listener(frame["upto"], text)
