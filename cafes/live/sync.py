"""A socket's cursor, ``sent_upto``: the last update it sent. Everything its viewer may see
after it goes out once and in order, by one of two ways:

- catch-up: a doorbell whose ``prev`` is the cursor is sent on as it came, with no database
  read (``cafes/news.py``); any other gap, a lost doorbell included, is replayed from the
  ``LiveUpdate`` rows;
- resync: a fresh ``state`` (the viewer's table may have changed), whose cursor the updates
  continue from.

Catching up, a fresh state and sending the overview never interleave (``lock``).
"""

import asyncio
import logging
from typing import TYPE_CHECKING

from django.db import DatabaseError

from cafes import selectors
from cafes.live.db import in_db_thread
from cafes.models import LiveUpdate
from cafes.news import RESYNC_KINDS, newest_for_table
from ops import layer_health

if TYPE_CHECKING:
    from cafes.live.session import LiveSession

REPLAY_LIMIT = 200

logger = logging.getLogger(__name__)


class Sync:
    def __init__(self, session: "LiveSession") -> None:
        self.session = session
        self.socket = session.socket
        self.following = session.following
        self.sent_upto: int | None = None
        # The cursor of the last ``state`` sent: an overview read before it is left out.
        self.state_cursor: int | None = None
        self.lock = asyncio.Lock()

    # --- catch-up ------------------------------------------------------------------------

    async def news(self, message: dict) -> None:
        """A doorbell: update ``message["id"]`` exists."""
        if self.sent_upto is None or message["id"] <= self.sent_upto:
            return
        try:
            await self._news(message)
        except DatabaseError:
            # The next doorbell or heartbeat catches up from the database.
            logger.warning("Database unavailable while catching up", exc_info=True)

    async def _news(self, message: dict) -> None:
        text = message.get("text")
        async with self.lock:
            if (
                text is not None
                and self.following.table_open
                and message.get("prev") == self.sent_upto
                and message["kind"] not in RESYNC_KINDS
                and message["table"] == self.following.table_id
            ):
                # Nothing this socket may see lies between its cursor and this update: send
                # the frame as it came, without reading the database (see cafes/news.py).
                await self.socket.send(text_data=text)
                self.sent_upto = message["id"]
                return
            await self.catch_up_locked()

    async def may_have_missed_news(self) -> bool:
        """Whether the followed table or the event has news past the cursor (one cheap
        look: ``news``)."""
        if self.sent_upto is None:
            return True
        newest = await in_db_thread(newest_for_table)(
            event_id=self.session.viewer.event.pk, table_id=self.following.table_id
        )
        return (newest or 0) > self.sent_upto

    async def catch_up(self) -> None:
        async with self.lock:
            await self.catch_up_locked()

    async def catch_up_locked(self) -> None:
        """Send every visible update after ``sent_upto``, in order, from the database."""
        if self.sent_upto is None:
            return
        while True:
            updates = await in_db_thread(selectors.updates_after)(
                viewer=self.session.viewer,
                after=self.sent_upto,
                table_id=self.following.table_id,
                limit=REPLAY_LIMIT,
            )
            # After a fresh state, go on from its cursor.
            if await self._send_updates_locked(updates) and len(updates) < REPLAY_LIMIT:
                if layer_health.needs_resync(self.session):
                    # What the layer lost in an outage is sent.
                    layer_health.resynced(self.session)
                return

    async def _send_updates_locked(self, updates: list[LiveUpdate]) -> bool:
        """Send ``updates`` (those after ``sent_upto``, in order). ``False`` if one of them
        called for a fresh state instead, which was sent in its place."""
        for update in updates:
            if update.kind in RESYNC_KINDS:
                if await self._still_at_my_table(update):
                    # Someone arrived at (or left) this participant's table; their own seat
                    # is unchanged and the presence frame already showed the change, so no
                    # fresh state is needed (a connect storm stays cheap).
                    self.sent_upto = update.pk
                    continue
                await self.send_state_locked()
                return False
            await self.socket.send_json(selectors.update_frame(update))
            self.sent_upto = update.pk
        return True

    async def _still_at_my_table(self, update: LiveUpdate) -> bool:
        if (
            update.kind != "seating"
            or update.table_id is None
            or self.session.viewer.participant is None
        ):
            return False
        following = self.following
        return following.table_id is not None and await self.session.seat() == following.table_id

    # --- resync --------------------------------------------------------------------------

    async def send_state(self) -> None:
        async with self.lock:
            await self.send_state_locked()

    async def send_state_locked(self) -> None:
        """A fresh view (after the table may have changed); updates continue after its cursor."""
        viewer, following = self.session.viewer, self.following
        if viewer.participant is not None and following.table_id is None:
            await following.follow(await self.session.seat())
        state = await in_db_thread(selectors.live_state)(
            viewer=viewer, table_id=None if viewer.participant else following.table_id
        )
        self.sent_upto = self.state_cursor = state["cursor"]
        if viewer.participant is None and following.table_id is not None:
            # A staff-free table's news is not for this screen until its group shares it.
            following.table_open = state["table"] is not None
        await self.socket.send_json(state)
        if viewer.participant is not None:
            seated_at = state["table"]["id"] if state["table"] else None
            if seated_at != following.table_id:
                # Moved (the state is read under the locks, so it knows): listen to the new
                # table, and send what it said between the state and joining its group.
                await following.follow(seated_at)
                await self.catch_up_locked()
