"""Who is at a table, told to the sockets following it once per burst of arrivals.

When a room fills (2,000 people connecting within half a minute) every arrival changes who
is at a table. Read and sent one arrival at a time, that was four queries and two channel
messages per connection, and four near-identical frames to each of the table's sockets.
Instead each server process gathers, per event, the tables whose people changed for
``GATHER`` seconds, reads them together (``selectors.presence_frames``: the same four
queries for one table or fifty), sends each table's sockets one ``presence`` frame, and
tells the event's consoles which tables changed (``cafes/live/overview.py``), both the one
way news is sent (``ops/news.py``).

Presence is not logged and never replayed: a ``state`` carries it, so nothing here has to
be exactly once; a lost frame is mended by the next arrival or the next ``state``.
"""

import asyncio
import logging
import weakref

from django.db import DatabaseError

from cafes import selectors
from cafes.live.db import in_db_thread
from events.models import Event
from ops.news import group_name, send_event

logger = logging.getLogger(__name__)

GATHER = 0.2

# Per event loop (one per server process; tests run several), per event id.
_boards: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, PresenceBoard]]" = (
    weakref.WeakKeyDictionary()
)


def announce(event: Event, table_id: int | None) -> None:
    """Someone arrived at or left ``table_id``: tell its sockets within ``GATHER`` s."""
    if table_id is None:
        return
    boards = _boards.setdefault(asyncio.get_running_loop(), {})
    board = boards.get(event.pk)
    if board is None:
        board = boards[event.pk] = PresenceBoard(event)
    board.changed.add(table_id)
    if board.task is None or board.task.done():
        board.task = asyncio.create_task(board.run())


class PresenceBoard:
    def __init__(self, event: Event) -> None:
        self.event = event
        self.changed: set[int] = set()
        self.task: asyncio.Task | None = None

    async def run(self) -> None:
        while self.changed:
            await asyncio.sleep(GATHER)
            tables, self.changed = sorted(self.changed), set()
            try:
                await self._tell(tables)
            except DatabaseError:
                logger.warning("Database unavailable for presence at %d tables", len(tables))
            except Exception:
                logger.exception("Could not send presence")

    async def _tell(self, tables: list[int]) -> None:
        frames = await in_db_thread(selectors.presence_frames)(event=self.event, table_ids=tables)
        for frame in frames:
            message = {"type": "live.presence", "frame": frame}
            if not await send_event(group_name("table", frame["table"]), message):
                return  # the layer is away (logged once): the next arrival or state mends it
        await send_event(
            group_name("staff", self.event.pk), {"type": "live.tables", "tables": tables}
        )
