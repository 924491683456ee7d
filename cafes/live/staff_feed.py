"""A console's share of the tables' overview: a staff screen that follows no table gets the
summary of every table from the event's one ``OverviewFeed`` (``overview.py``), sent on its
own task so a screen slow to take frames holds up no other."""

import asyncio
import logging
from typing import TYPE_CHECKING

from cafes.live.overview import OverviewFeed
from ops.news import group_name

if TYPE_CHECKING:
    from cafes.live.session import LiveSession

logger = logging.getLogger(__name__)


class StaffFeed:
    def __init__(self, session: "LiveSession") -> None:
        self.session = session
        self.overview: OverviewFeed | None = None
        self.frames: list[tuple[int, str]] = []
        self.task: asyncio.Task | None = None

    @property
    def active(self) -> bool:
        return self.overview is not None

    async def start(self) -> None:
        """Take the overview, and hear (in the ``staff`` group) when people come and go."""
        event = self.session.viewer.event
        await self.session.following.join(group_name("staff", event.pk))
        self.overview = OverviewFeed.join(event, self, self._ready)

    async def stop(self) -> None:
        """The screen opened one table: it follows that table instead."""
        self.close()
        self.overview = None
        self.frames.clear()
        event = self.session.viewer.event
        await self.session.following.leave(group_name("staff", event.pk))

    def close(self) -> None:
        if self.overview is not None:
            self.overview.leave(self)

    def changed(self) -> None:
        """Tables' summaries may have changed: the overview reads them with the others."""
        if self.overview is not None:
            self.overview.changed()

    def _ready(self, upto: int, text: str) -> None:
        """The event's overview has a frame (read when the database was at ``upto``)."""
        self.frames.append((upto, text))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._send())

    async def _send(self) -> None:
        sync = self.session.sync
        while self.frames:
            upto, text = self.frames.pop(0)
            try:
                async with sync.lock:
                    # An overview read before the screen's latest ``state`` is left out.
                    if sync.state_cursor is not None and upto >= sync.state_cursor:
                        await self.session.socket.send(text_data=text)
            except Exception as error:
                if type(error).__name__ != "ClientDisconnected":  # a closing screen
                    logger.exception("A console could not take the overview")
                return
