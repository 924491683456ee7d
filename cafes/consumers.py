"""The live café socket (``/ws/events/<slug>/live/``): a thin adapter from JSON frames to
``cafes.services``, and from committed ``LiveUpdate`` rows to the browser.

Frames and their rules are documented in ``docs/protocol.md``. The channel layer only rings
a doorbell ("update N exists"); the socket then reads, from the database, every update its
viewer may see after the last one it sent, so each is delivered once and in order.
"""

import asyncio
import contextlib
import json
import logging
import time

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from cafes import arrivals, layer_health, presence, selectors, services
from cafes.checks import check_client_id
from cafes.errors import CafeError
from cafes.frames import WRITES, TokenBucket, Write, call, in_db_thread
from cafes.groups import group_name
from cafes.models import LiveUpdate
from cafes.news import RESYNC_KINDS, newest_for_table
from cafes.overview import OverviewFeed
from cafes.permissions import can_watch
from events.models import Event

MAX_FRAME_BYTES = 8 * 1024
REPLAY_LIMIT = 200
# A client further behind than this gets a fresh ``state`` instead of a long replay.
REPLAY_MAX_BEHIND = 2000
# How long a closing socket waits for a presence refresh still running, before clearing it.
PRESENCE_WRITE_WAIT = 10
# Heartbeats refresh the connection's presence at most this often. The browser pings every
# 25 s, so presence is written every other ping (every 50 s), and two pings missed in a row
# still leave it under ``selectors.PRESENCE_TIMEOUT`` (120 s).
PRESENCE_REFRESH_SECONDS = 30
FORBIDDEN = 4403
# Closed by the heartbeat watchdog: nothing heard from the client for too long.
GONE_QUIET = 4408
UNAVAILABLE_MESSAGE = "The server could not reach its database just now; please try again."

logger = logging.getLogger(__name__)


class LiveCafeConsumer(AsyncJsonWebsocketConsumer):
    busy = False

    async def dispatch(self, message: dict) -> None:
        """Handle one message. Frames are read one at a time, so while a handler runs (a
        busy server queues its database work) the client's pings wait unread: that time is
        not silence, and the heartbeat watchdog leaves it out."""
        started = time.monotonic()
        self.busy = True
        try:
            handler = getattr(self, get_handler_name(message), None)
            if handler is None:
                raise ValueError(f"No handler for message type {message['type']}")
            # Not Channels' default ``aclose_old_connections()`` before each message: it
            # hops to the one shared sync thread for every frame and doorbell of every
            # socket (12 % of the server's time at 2,000 sockets, and a queue they all
            # wait in). This socket never touches the database on the event loop; each
            # ``in_db_thread`` call closes stale connections in its own thread.
            await handler(message)
        finally:
            self.busy = False
            if hasattr(self, "heard_at"):
                self.heard_at += time.monotonic() - started

    async def connect(self) -> None:
        self.viewer = await self._find_viewer(self.scope["url_route"]["kwargs"]["slug"])
        if self.viewer is None:
            await self.close(code=FORBIDDEN)
            return
        limit = getattr(settings, "CAFES_RATE_LIMIT", {"burst": 20, "per_second": 5})
        self.bucket = TokenBucket(burst=limit["burst"], rate=limit["per_second"])
        self.sent_upto: int | None = None
        # The cursor of the last ``state`` sent: an overview read before it is left out.
        self.state_cursor: int | None = None
        # The one table this socket follows (a participant's seat; the table a staff
        # screen opened), and whether its viewer may read it (a staff-free table).
        self.table_id: int | None = None
        self.table_open = True
        self.groups_joined: set[str] = set()
        self.heard_at = time.monotonic()
        # Catching up, a fresh state and sending the overview never interleave.
        self.sync_lock = asyncio.Lock()
        # A console (a staff screen following no table) takes the tables' overview.
        self.overview: OverviewFeed | None = None
        self.overview_frames: list[tuple[int, str]] = []
        self.overview_task: asyncio.Task | None = None
        self.heartbeat: asyncio.Task | None = None
        self.writes: asyncio.Queue[dict] = asyncio.Queue()
        await self.accept()
        self.writer = asyncio.create_task(self._run_writes())
        self.watchdog = asyncio.create_task(self._watch_heartbeat())
        await self._join(group_name("event", self.viewer.event.pk))
        await in_db_thread(services.mark_present)(
            viewer=self.viewer, channel_name=self.channel_name
        )
        self.present_at = time.monotonic()
        # Joining the table's group announces who is there, this person now included.
        # (A staff screen says in its ``hello`` which table it follows, if any.)
        await self._follow_table(await self._seat())
        layer_health.opened(self)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "viewer", None) is None:
            return
        layer_health.closed(self)
        if getattr(self, "overview", None) is not None:
            self.overview.leave(self)
        tasks = ("watchdog", "overview_task", "heartbeat", "writer")
        for task in (getattr(self, name, None) for name in tasks):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        presence_write = getattr(self, "presence_write", None)
        if presence_write is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(presence_write), PRESENCE_WRITE_WAIT)
        with contextlib.suppress(Exception):
            # Best effort: a dead database or Redis must not keep the socket from closing
            # (presence also expires on its own after PRESENCE_TIMEOUT).
            await self._leave()

    async def _leave(self) -> None:
        await in_db_thread(services.mark_absent)(channel_name=self.channel_name)
        await self._announce_presence(self.table_id)
        for group in list(self.groups_joined):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _watch_heartbeat(self) -> None:
        """Close a connection that has sent nothing (not even a ping) for
        ``CAFES_HEARTBEAT_TIMEOUT`` seconds: a half-open socket whose browser is gone. Its
        presence is cleared first, so the table stops showing a ghost at once."""
        timeout = settings.CAFES_HEARTBEAT_TIMEOUT
        while True:
            await asyncio.sleep(max(0.2, timeout / 4))
            if not self.busy and time.monotonic() - self.heard_at > timeout:
                with contextlib.suppress(Exception):
                    await self._leave()
                await self.close(code=GONE_QUIET)
                return

    # --- incoming frames ----------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        self.heard_at = time.monotonic()
        if bytes_data is not None:
            await self._error("malformed", "Frames must be JSON text, not binary.")
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self._error("too_large", f"Frames can be at most {MAX_FRAME_BYTES} bytes.")
            return
        if not self.bucket.take():
            await self._error("rate_limited", "Too many messages at once; please slow down.")
            return
        try:
            frame = json.loads(text_data)
        except (
            ValueError,
            RecursionError,
        ):  # RecursionError: "[[[[…]]]]" nested past Python's limit
            await self._error("malformed", "That frame is not valid JSON.")
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self._error("malformed", 'Every frame is a JSON object with a "type".')
            return
        try:
            await self.receive_json(frame)
        except DatabaseError:
            # The database dropped the connection (restart, failover, terminated backend).
            # Nothing was committed, so the client may simply retry; the next frame gets a
            # fresh connection from the pool.
            logger.warning("Database unavailable for a %s frame", frame["type"], exc_info=True)
            await self._error("unavailable", UNAVAILABLE_MESSAGE, frame)

    async def receive_json(self, content: dict, **kwargs) -> None:
        kind = content["type"]
        if kind == "hello":
            await self._hello(content)
        elif kind == "ping":
            await self.send_json({"type": "pong", "server_time": timezone.now().isoformat()})
            if self.heartbeat is None or self.heartbeat.done():
                self.heartbeat = asyncio.create_task(self._heartbeat())
        elif kind in WRITES:
            # In order, on their own task: news keeps flowing to this socket while its
            # writes wait for the database.
            self.writes.put_nowait(content)
        else:
            await self._error("unknown_type", f"Unknown frame type {kind!r}.", content)

    async def _heartbeat(self) -> None:
        try:
            if time.monotonic() - self.present_at >= PRESENCE_REFRESH_SECONDS:
                await self._refresh_presence()
            # A restarted Redis has forgotten every group: joining again is idempotent.
            rejoined = await self._rejoin_groups()
            # The channel layer may have dropped a doorbell (past its capacity or expiry, or
            # while Redis restarted): each heartbeat also looks in the database, so a lost
            # doorbell costs at most one heartbeat interval.
            if self.overview is not None:
                self.overview.changed()  # one read for every console of this process
            if await self._may_have_missed_news():
                await self._catch_up()
            if rejoined and layer_health.needs_resync(self):
                layer_health.resynced(self)  # caught up just above, if it was behind
        except DatabaseError:
            logger.warning("Database unavailable for a heartbeat", exc_info=True)
        except Exception as error:
            # The next ping tries again; nothing is lost (the database has every update).
            if layer_health.is_outage(error):
                layer_health.lost(error)
            else:
                logger.exception("A heartbeat failed")

    async def _rejoin_groups(self) -> bool:
        """Join this socket's groups again; ``False`` if the channel layer is away (the
        next heartbeat tries again; the outage is logged once: ``layer_health``)."""
        try:
            for group in list(self.groups_joined):
                await self.channel_layer.group_add(group, self.channel_name)
        except Exception as error:
            if not layer_health.is_outage(error):
                raise
            layer_health.lost(error)
            return False
        layer_health.reached()
        return True

    async def _refresh_presence(self) -> None:
        # Kept apart (and shielded) so a disconnect can wait for it: a refresh landing after
        # ``_leave`` would bring the person's presence back.
        self.presence_write = asyncio.ensure_future(
            in_db_thread(services.mark_present)(viewer=self.viewer, channel_name=self.channel_name)
        )
        await asyncio.shield(self.presence_write)
        self.present_at = time.monotonic()

    async def _may_have_missed_news(self) -> bool:
        """Whether the followed table or the event has news past the cursor (one cheap
        look: ``news``)."""
        if self.sent_upto is None:
            return True
        newest = await in_db_thread(newest_for_table)(
            event_id=self.viewer.event.pk, table_id=self.table_id
        )
        return (newest or 0) > self.sent_upto

    async def _run_writes(self) -> None:
        """Carry out this socket's writes one after another, in the order they came."""
        while True:
            frame = await self.writes.get()
            try:
                await self._write(WRITES[frame["type"]], frame)
            except DatabaseError:
                # The database dropped the connection (restart, failover, terminated
                # backend). Nothing was committed, so the client may simply retry; the next
                # frame gets a fresh connection from the pool.
                logger.warning("Database unavailable for a %s frame", frame["type"], exc_info=True)
                await self._error("unavailable", UNAVAILABLE_MESSAGE, frame)
            except Exception as error:
                if type(error).__name__ == "ClientDisconnected":
                    return  # the socket closed before its ack; a retry gets the stored row
                logger.exception("A %s frame failed", frame["type"])
                await self.close(code=1011)
                return

    async def _write(self, write: Write, frame: dict) -> None:
        client_id = frame.get("client_id")
        try:
            check_client_id(client_id)
            missing = [name for name in write.required if name not in frame]
            if missing:
                raise CafeError("malformed", f"The frame needs: {', '.join(missing)}.")
            if frame["type"] == "answer" and self.viewer.participant is None:
                raise CafeError("forbidden", "Only participants answer the closing questions.")
            result = await in_db_thread(call)(write, self.viewer, frame)
        except CafeError as error:
            await self._error(error.code, error.message, frame)
            return
        # The service has returned, so its transaction has committed: safe to acknowledge.
        await self.send_json(
            {"type": "ack", "client_id": client_id, "id": getattr(result, "pk", None)}
        )
        if frame["type"] == "seat.choose":
            # The viewer's own table changed: they may not hear the news of a table they
            # were not at yet, so they get their new view at once.
            await self._send_state()

    async def _hello(self, frame: dict) -> None:
        async with self.sync_lock:
            await self._hello_locked(frame)

    async def _hello_locked(self, frame: dict) -> None:
        last = frame.get("last_update_id")
        table = frame.get("table_id")
        if table is not None and (
            isinstance(table, bool) or not isinstance(table, int) or not can_watch(self.viewer)
        ):
            await self._error("forbidden", "Only staff can choose which table to watch.", frame)
            return
        switched = False
        if can_watch(self.viewer):
            readable = (
                None
                if table is None
                else await in_db_thread(selectors.table_readable)(
                    viewer=self.viewer, table_id=table
                )
            )
            if table is not None and readable is None:
                await self._error("not_found", "There is no such table at this event.", frame)
                return
            switched = await self._watch(table)
            self.table_open = bool(readable)
        if last is None or (switched and self.sent_upto is not None):
            # A screen that switched tables gets that table's view afresh.
            await self._send_state_locked()
        elif isinstance(last, bool) or not isinstance(last, int) or last < 0:
            await self._error("malformed", "last_update_id must be a whole number.", frame)
            return
        else:
            newest = await in_db_thread(selectors.newest_update_id)(event=self.viewer.event)
            if last > newest or newest - last > REPLAY_MAX_BEHIND:
                await self._send_state_locked()
            else:
                self.sent_upto = last
                await self._catch_up_locked()
        await self.send_json({"type": "synced", "last_update_id": self.sent_upto})

    # --- news from the channel layer ------------------------------------------------------

    async def live_news(self, message: dict) -> None:
        if self.sent_upto is None or message["id"] <= self.sent_upto:
            return
        try:
            await self._news(message)
        except DatabaseError:
            # The next doorbell or heartbeat catches up from the database.
            logger.warning("Database unavailable while catching up", exc_info=True)

    async def _news(self, message: dict) -> None:
        text = message.get("text")
        async with self.sync_lock:
            if (
                text is not None
                and self.table_open
                and message.get("prev") == self.sent_upto
                and message["kind"] not in RESYNC_KINDS
                and message["table"] == self.table_id
            ):
                # Nothing this socket may see lies between its cursor and this update: send
                # the frame as it came, without reading the database (see cafes/news.py).
                await self.send(text_data=text)
                self.sent_upto = message["id"]
                return
            await self._catch_up_locked()

    async def live_tables(self, message: dict) -> None:
        """Tables' summaries changed: the console's overview reads them with the others."""
        if self.overview is not None:
            self.overview.changed()

    def _overview_ready(self, upto: int, text: str) -> None:
        """The event's overview has a frame. This socket sends it on its own task, so a
        screen slow to take frames holds up no other."""
        self.overview_frames.append((upto, text))
        if self.overview_task is None or self.overview_task.done():
            self.overview_task = asyncio.create_task(self._send_overview())

    async def _send_overview(self) -> None:
        while self.overview_frames:
            upto, text = self.overview_frames.pop(0)
            try:
                async with self.sync_lock:
                    if self.state_cursor is not None and upto >= self.state_cursor:
                        await self.send(text_data=text)
            except Exception as error:
                if type(error).__name__ != "ClientDisconnected":  # a closing screen
                    logger.exception("A console could not take the overview")
                return

    async def live_presence(self, message: dict) -> None:
        frame = message["frame"]
        if frame["table"] == self.table_id:
            await self.send_json(frame)

    async def _catch_up(self) -> None:
        async with self.sync_lock:
            await self._catch_up_locked()

    async def _catch_up_locked(self) -> None:
        """Send every visible update after ``sent_upto``, in order, from the database."""
        if self.sent_upto is None:
            return
        while True:
            updates = await in_db_thread(selectors.updates_after)(
                viewer=self.viewer, after=self.sent_upto, table_id=self.table_id, limit=REPLAY_LIMIT
            )
            # After a fresh state, go on from its cursor.
            if await self._send_updates_locked(updates) and len(updates) < REPLAY_LIMIT:
                if layer_health.needs_resync(self):
                    layer_health.resynced(self)  # what the layer lost in an outage is sent
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
                await self._send_state_locked()
                return False
            await self.send_json(selectors.update_frame(update))
            self.sent_upto = update.pk
        return True

    async def _still_at_my_table(self, update: LiveUpdate) -> bool:
        if update.kind != "seating" or update.table_id is None or self.viewer.participant is None:
            return False
        return self.table_id is not None and await self._seat() == (self.table_id)

    async def _send_state(self) -> None:
        async with self.sync_lock:
            await self._send_state_locked()

    async def _send_state_locked(self) -> None:
        """A fresh view (after the table may have changed); updates continue after its cursor."""
        if self.viewer.participant is not None and self.table_id is None:
            await self._follow_table(await self._seat())
        state = await in_db_thread(selectors.live_state)(
            viewer=self.viewer, table_id=None if self.viewer.participant else self.table_id
        )
        self.sent_upto = self.state_cursor = state["cursor"]
        if self.viewer.participant is None and self.table_id is not None:
            # A staff-free table's news is not for this screen until its group shares it.
            self.table_open = state["table"] is not None
        await self.send_json(state)
        if self.viewer.participant is not None:
            seated_at = state["table"]["id"] if state["table"] else None
            if seated_at != self.table_id:
                # Moved (the state is read under the locks, so it knows): listen to the new
                # table, and send what it said between the state and joining its group.
                await self._follow_table(seated_at)
                await self._catch_up_locked()

    # --- helpers -------------------------------------------------------------------------

    async def _watch(self, table_id: int | None) -> bool:
        """A staff screen chooses what it follows: one table (a host's page, or a table a
        facilitator opened), like a seat there; or, with none, the console's overview of
        every table. ``True`` if that changed."""
        event_id = self.viewer.event.pk
        if table_id is None and self.overview is None:
            await self._join(group_name("staff", event_id))
            self.overview = OverviewFeed.join(self.viewer.event, self, self._overview_ready)
        elif table_id is not None and self.overview is not None:
            self.overview.leave(self)
            self.overview = None
            self.overview_frames.clear()
            await self._leave_group(group_name("staff", event_id))
        switched = table_id != self.table_id
        await self._follow_table(table_id)
        return switched

    async def _follow_table(self, table_id: int | None) -> None:
        """Listen to the followed table, and stop listening to the one left. People at a
        table see who joins them, a host opening its page included."""
        if table_id == self.table_id:
            return
        old = self.table_id
        if old is not None:
            await self._leave_group(group_name("table", old))
        self.table_id = table_id
        self.table_open = self.viewer.participant is not None
        if table_id is not None:
            await self._join(group_name("table", table_id))
        await self._announce_presence(old)
        await self._announce_presence(table_id)

    async def _join(self, group: str) -> None:
        self.groups_joined.add(group)
        await self._layer(self.channel_layer.group_add(group, self.channel_name))

    async def _leave_group(self, group: str) -> None:
        self.groups_joined.discard(group)
        await self._layer(self.channel_layer.group_discard(group, self.channel_name))

    async def _layer(self, operation) -> None:
        """Run a channel-layer operation; while the layer is away, carry on without it (the
        heartbeat joins again and catches up from the database)."""
        try:
            await operation
        except Exception as error:
            if not layer_health.is_outage(error):
                raise
            layer_health.lost(error)

    async def _announce_presence(self, table_id: int | None) -> None:
        """The people at ``table_id`` changed: its sockets and the consoles hear it soon,
        with the other arrivals of the moment (``cafes/presence.py``)."""
        presence.announce(self.viewer.event, table_id)

    async def _error(self, code: str, message: str, frame: dict | None = None) -> None:
        client_id = frame.get("client_id") if isinstance(frame, dict) else None
        await self.send_json(
            {"type": "error", "code": code, "message": message, "client_id": client_id}
        )

    async def _find_viewer(self, slug: str):
        return await in_db_thread(self._viewer_for)(slug)

    def _viewer_for(self, slug: str):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            return None
        return selectors.viewer_for(
            event=event, session=self.scope.get("session"), user=self.scope.get("user")
        )

    async def _seat(self) -> int | None:
        """The participant's table in the current round (a late arrival is seated first,
        with the others arriving at the same moment: ``cafes/arrivals.py``)."""
        if self.viewer.participant is None:
            return None
        return await arrivals.seat(self.viewer.event, self.viewer.participant)
