"""One live café socket (``/ws/events/<slug>/live/``), apart from Channels.

``LiveSession`` holds who is connected and routes what arrives: frames from the browser
(``docs/protocol.md``) and messages from the channel layer. The channel layer only rings a
doorbell ("update N exists"); the session then sends, from the database, every update its
viewer may see after the last one it sent, so each is delivered once and in order.

``socket`` is the Channels consumer it talks through (``cafes/consumers.py``): it is sent
``accept``, ``send``, ``send_json`` and ``close``, and joins groups by its ``channel_name``.
"""

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError

from cafes import services
from cafes.errors import CafeError
from cafes.live import arrivals
from cafes.live.db import in_db_thread
from cafes.live.following import Following
from cafes.live.frames import WRITES, TokenBucket, read_frame
from cafes.live.heartbeat import Heartbeat
from cafes.live.hello import hello
from cafes.live.staff_feed import StaffFeed
from cafes.live.sync import Sync
from cafes.live.writes import Writes
from cafes.permissions import Viewer
from cafes.selectors import viewer_for_socket
from ops import layer_health
from ops.news import group_name

if TYPE_CHECKING:
    from channels.generic.websocket import AsyncJsonWebsocketConsumer

FORBIDDEN = 4403
# How long a closing socket waits for a presence refresh still running, before clearing it.
PRESENCE_WRITE_WAIT = 10
UNAVAILABLE_MESSAGE = "The server could not reach its database just now; please try again."

logger = logging.getLogger(__name__)


class LiveSession:
    def __init__(self, socket: "AsyncJsonWebsocketConsumer") -> None:
        self.socket = socket
        self.viewer: Viewer | None = None
        self.bucket: TokenBucket | None = None
        self.heartbeat = Heartbeat(self)
        self.following = Following(self)
        self.sync = Sync(self)
        self.staff = StaffFeed(self)
        self.writes = Writes(self)

    async def open(self, *, slug: str, session, user) -> None:
        """Accept the connection of someone at the event (or refuse it), join its groups,
        record their presence and seat a participant who arrives late."""
        self.viewer = await in_db_thread(viewer_for_socket)(slug=slug, session=session, user=user)
        if self.viewer is None:
            await self.socket.close(code=FORBIDDEN)
            return
        limit = getattr(settings, "CAFES_RATE_LIMIT", {"burst": 20, "per_second": 5})
        self.bucket = TokenBucket(burst=limit["burst"], rate=limit["per_second"])
        self.heartbeat.heard()
        await self.socket.accept()
        self.writes.start()
        self.heartbeat.start()
        await self.following.join(group_name("event", self.viewer.event.pk))
        await self.heartbeat.mark_present()
        # Joining the table's group announces who is there, this person now included.
        # (A staff screen says in its ``hello`` which table it follows, if any.)
        await self.following.follow(await self.seat())
        layer_health.opened(self)

    async def close(self) -> None:
        """The connection closed: stop this socket's work and clear its presence."""
        if self.viewer is None:
            return
        layer_health.closed(self)
        self.staff.close()
        tasks = (self.heartbeat.watchdog, self.staff.task, self.heartbeat.task, self.writes.task)
        for task in tasks:
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        presence_write = self.heartbeat.presence_write
        if presence_write is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(presence_write), PRESENCE_WRITE_WAIT)
        with contextlib.suppress(Exception):
            # Best effort: a dead database or Redis must not keep the socket from closing
            # (presence also expires on its own after PRESENCE_TIMEOUT).
            await self.leave()

    async def leave(self) -> None:
        """Clear this connection's presence, tell its table, and leave every group."""
        await in_db_thread(services.mark_absent)(channel_name=self.socket.channel_name)
        self.following.announce(self.following.table_id)
        await self.following.leave_all()

    # --- incoming frames ----------------------------------------------------------------

    async def receive(self, text_data: str | None, bytes_data: bytes | None) -> None:
        self.heartbeat.heard()
        try:
            frame = read_frame(text_data, bytes_data, self.bucket)
        except CafeError as error:
            await self.error(error.code, error.message)
            return
        try:
            await self.handle(frame)
        except DatabaseError:
            await self.unavailable(frame)

    async def handle(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "hello":
            await hello(self, frame)
        elif kind == "ping":
            await self.heartbeat.ping()
        elif kind in WRITES:
            # In order, on their own task: news keeps flowing to this socket while its
            # writes wait for the database.
            self.writes.put(frame)
        else:
            await self.error("unknown_type", f"Unknown frame type {kind!r}.", frame)

    async def unavailable(self, frame: dict) -> None:
        """The database dropped the connection (restart, failover, terminated backend) during
        ``frame``. Nothing was committed, so the client may simply retry; the next frame gets
        a fresh connection from the pool."""
        logger.warning("Database unavailable for a %s frame", frame["type"], exc_info=True)
        await self.error("unavailable", UNAVAILABLE_MESSAGE, frame)

    async def error(self, code: str, message: str, frame: dict | None = None) -> None:
        client_id = frame.get("client_id") if isinstance(frame, dict) else None
        await self.socket.send_json(
            {"type": "error", "code": code, "message": message, "client_id": client_id}
        )

    # --- messages from the channel layer --------------------------------------------------

    async def news(self, message: dict) -> None:
        """A doorbell: update ``message["id"]`` exists (``cafes/news.py``)."""
        await self.sync.news(message)

    def tables_changed(self) -> None:
        """Tables' summaries changed: the console's overview reads them with the others."""
        self.staff.changed()

    async def presence(self, message: dict) -> None:
        frame = message["frame"]
        if frame["table"] == self.following.table_id:
            await self.socket.send_json(frame)

    # --- helpers -------------------------------------------------------------------------

    async def seat(self) -> int | None:
        """The participant's table in the current round (a late arrival is seated first,
        with the others arriving at the same moment: ``arrivals.py``)."""
        if self.viewer.participant is None:
            return None
        return await arrivals.seat(self.viewer.event, self.viewer.participant)
