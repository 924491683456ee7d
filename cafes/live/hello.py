"""The first sync of a socket (and of a staff screen that switches tables): its ``hello``.

The client says the last update it has (``last_update_id``; none for a fresh page) and, if
staff, which table it follows (``table_id``; none for the console's overview of every
table). It then gets what it missed, or a fresh ``state`` if that is quicker or its view
changed, and ``synced`` with its cursor (``docs/protocol.md``).
"""

from typing import TYPE_CHECKING

from cafes import selectors
from cafes.live.db import in_db_thread
from cafes.permissions import can_watch

if TYPE_CHECKING:
    from cafes.live.session import LiveSession

# A client further behind than this gets a fresh ``state`` instead of a long replay.
REPLAY_MAX_BEHIND = 2000


async def hello(session: "LiveSession", frame: dict) -> None:
    async with session.sync.lock:
        await _hello_locked(session, frame)


async def _hello_locked(session: "LiveSession", frame: dict) -> None:
    viewer, sync = session.viewer, session.sync
    last = frame.get("last_update_id")
    table = frame.get("table_id")
    if table is not None and (
        isinstance(table, bool) or not isinstance(table, int) or not can_watch(viewer)
    ):
        await session.error("forbidden", "Only staff can choose which table to watch.", frame)
        return
    switched = False
    if can_watch(viewer):
        readable = (
            None
            if table is None
            else await in_db_thread(selectors.table_readable)(viewer=viewer, table_id=table)
        )
        if table is not None and readable is None:
            await session.error("not_found", "There is no such table at this event.", frame)
            return
        switched = await session.following.watch(table)
        session.following.table_open = bool(readable)
    if last is None or (switched and sync.sent_upto is not None):
        # A screen that switched tables gets that table's view afresh.
        await sync.send_state_locked()
    elif isinstance(last, bool) or not isinstance(last, int) or last < 0:
        await session.error("malformed", "last_update_id must be a whole number.", frame)
        return
    else:
        newest = await in_db_thread(selectors.newest_update_id)(event=viewer.event)
        if last > newest or newest - last > REPLAY_MAX_BEHIND:
            await sync.send_state_locked()
        else:
            sync.sent_upto = last
            await sync.catch_up_locked()
    await session.socket.send_json({"type": "synced", "last_update_id": sync.sent_upto})
