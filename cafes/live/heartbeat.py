"""A socket's heartbeat: the client's pings, the presence they keep fresh, what each one
mends (groups a restarted Redis forgot, doorbells the layer dropped), and the watchdog that
closes a socket whose browser is gone."""

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from cafes import services
from cafes.live.db import in_db_thread
from ops import layer_health

if TYPE_CHECKING:
    from cafes.live.session import LiveSession

# Heartbeats refresh the connection's presence at most this often. The browser pings every
# 25 s, so presence is written every other ping (every 50 s), and two pings missed in a row
# still leave it under ``selectors.PRESENCE_TIMEOUT`` (120 s).
PRESENCE_REFRESH_SECONDS = 30
# Closed by the heartbeat watchdog: nothing heard from the client for too long.
GONE_QUIET = 4408

logger = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, session: "LiveSession") -> None:
        self.session = session
        # When the client was last heard from, and whether a message is being handled now.
        self.heard_at = time.monotonic()
        self.busy = False
        self.present_at = 0.0  # when presence was last written
        self.presence_write: asyncio.Future | None = None
        self.task: asyncio.Task | None = None  # the heartbeat's work for the last ping
        self.watchdog: asyncio.Task | None = None

    def start(self) -> None:
        self.watchdog = asyncio.create_task(self._watch())

    def heard(self) -> None:
        self.heard_at = time.monotonic()

    def handling(self) -> float:
        """A message is being handled (see ``handled``); returns when it started."""
        self.busy = True
        return time.monotonic()

    def handled(self, started: float) -> None:
        """Messages are read one at a time, so while a handler runs (a busy server queues
        its database work) the client's pings wait unread: that time is not silence, and
        the watchdog leaves it out."""
        self.busy = False
        self.heard_at += time.monotonic() - started

    async def ping(self) -> None:
        await self.session.socket.send_json(
            {"type": "pong", "server_time": timezone.now().isoformat()}
        )
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._beat())

    async def mark_present(self) -> None:
        session = self.session
        await in_db_thread(services.mark_present)(
            viewer=session.viewer, channel_name=session.socket.channel_name
        )
        self.present_at = time.monotonic()

    async def _beat(self) -> None:
        session = self.session
        try:
            if time.monotonic() - self.present_at >= PRESENCE_REFRESH_SECONDS:
                await self._refresh_presence()
            # A restarted Redis has forgotten every group: joining again is idempotent.
            rejoined = await session.following.rejoin()
            # The channel layer may have dropped a doorbell (past its capacity or expiry, or
            # while Redis restarted): each heartbeat also looks in the database, so a lost
            # doorbell costs at most one heartbeat interval.
            session.staff.changed()  # one read for every console of this process
            if await session.sync.may_have_missed_news():
                await session.sync.catch_up()
            if rejoined and layer_health.needs_resync(session):
                layer_health.resynced(session)  # caught up just above, if it was behind
        except DatabaseError:
            logger.warning("Database unavailable for a heartbeat", exc_info=True)
        except Exception as error:
            # The next ping tries again; nothing is lost (the database has every update).
            if layer_health.is_outage(error):
                layer_health.lost(error)
            else:
                logger.exception("A heartbeat failed")

    async def _refresh_presence(self) -> None:
        # Kept apart (and shielded) so a disconnect can wait for it: a refresh landing after
        # ``leave`` would bring the person's presence back.
        self.presence_write = asyncio.ensure_future(self.mark_present())
        await asyncio.shield(self.presence_write)

    async def _watch(self) -> None:
        """Close a connection that has sent nothing (not even a ping) for
        ``CAFES_HEARTBEAT_TIMEOUT`` seconds: a half-open socket whose browser is gone. Its
        presence is cleared first, so the table stops showing a ghost at once."""
        timeout = settings.CAFES_HEARTBEAT_TIMEOUT
        while True:
            await asyncio.sleep(max(0.2, timeout / 4))
            if not self.busy and time.monotonic() - self.heard_at > timeout:
                with contextlib.suppress(Exception):
                    await self.session.leave()
                await self.session.socket.close(code=GONE_QUIET)
                return
