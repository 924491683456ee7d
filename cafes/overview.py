"""The console's overview of every table: one reader per event and server process, at a
bounded rate, whatever the number of tables and consoles.

A facilitator console or review screen shows every table's people, note counts, newest
note and priorities, not the notes themselves (a screen that opens a table follows that
table like a seat: ``docs/protocol.md``). Each table's news and presence rings the event's
``staff`` group with the table's id only; the feed collects those ids and, at most once
every ``CAFES_OVERVIEW_SECONDS`` (1 s), reads the summaries of the tables that changed in one batch
(``selectors.console_overview``: the same few queries for 1 table or 250) and hands the
same frame, serialised once, to every console of the event in the process.

The overview is a snapshot, not a log: a lost ring is mended by the next (every console's
heartbeat asks for every table), and a frame read before a screen's latest ``state`` is
left out by that screen (``upto``). A frame lists only the tables whose summary differs
from the one the feed sent last, so a heartbeat's full read sends little or nothing.
"""

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Callable

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import DatabaseError

from cafes import selectors
from events.models import Event

logger = logging.getLogger(__name__)

# Rings within this long of each other share a read even when the last read was long ago.
GATHER = 0.1

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
        self.changed: set[int] = set()
        self.everything = False
        self.task: asyncio.Task | None = None
        self.read_at = 0.0  # monotonic time of the last read
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

    def changed_table(self, table_id: int) -> None:
        """Something at this table changed (a note, a priority, someone arriving)."""
        self.changed.add(table_id)
        self._wake()

    def refresh(self) -> None:
        """Read every table again (a console's heartbeat: mends any ring that was lost)."""
        self.everything = True
        self._wake()

    def _wake(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        interval = settings.CAFES_OVERVIEW_SECONDS
        while self.changed or self.everything:
            wait = max(GATHER, self.read_at + interval - time.monotonic())
            await asyncio.sleep(wait)
            tables = None if self.everything else sorted(self.changed)
            self.changed, self.everything = set(), False
            self.read_at = time.monotonic()
            try:
                frame = await database_sync_to_async(
                    selectors.console_overview, thread_sensitive=False
                )(event=self.event, table_ids=tables)
            except DatabaseError:
                # Kept for the next try: a console's heartbeat wakes the feed again.
                logger.warning("Database unavailable for the console overview")
                self.everything = True
                return
            except Exception:
                logger.exception("The console overview could not be read")
                return
            self.reads += 1
            changed = []
            for table in frame["tables"]:
                summary = json.dumps(table, sort_keys=True)
                if self.sent.get(table["id"]) != summary:
                    self.sent[table["id"]] = summary
                    changed.append(table)
            if not changed:
                continue
            text = json.dumps({**frame, "tables": changed})
            for listener in list(self.listeners.values()):
                listener(frame["upto"], text)
