"""What a socket listens to: its channel-layer groups, and the one table it follows (a
participant's seat; the table a staff screen opened). People at a table see who joins
them, a host opening its page included (``presence.py``)."""

from typing import TYPE_CHECKING

from cafes.live import presence
from cafes.permissions import Viewer
from ops import layer_health
from ops.news import group_name

if TYPE_CHECKING:
    from cafes.live.session import LiveSession


class Following:
    def __init__(self, session: "LiveSession") -> None:
        self.session = session
        self.socket = session.socket
        self.table_id: int | None = None
        # Whether the viewer may read the followed table's news (not a staff-free table).
        self.table_open = True
        self.groups_joined: set[str] = set()

    @property
    def viewer(self) -> Viewer:
        return self.session.viewer

    async def watch(self, table_id: int | None) -> bool:
        """A staff screen chooses what it follows: one table (a host's page, or a table a
        facilitator opened), like a seat there; or, with none, the console's overview of
        every table. ``True`` if that changed."""
        staff = self.session.staff
        if table_id is None and not staff.active:
            await staff.start()
        elif table_id is not None and staff.active:
            await staff.stop()
        switched = table_id != self.table_id
        await self.follow(table_id)
        return switched

    async def follow(self, table_id: int | None) -> None:
        """Listen to the followed table, and stop listening to the one left."""
        if table_id == self.table_id:
            return
        old = self.table_id
        if old is not None:
            await self.leave(group_name("table", old))
        self.table_id = table_id
        self.table_open = self.viewer.participant is not None
        if table_id is not None:
            await self.join(group_name("table", table_id))
        self.announce(old)
        self.announce(table_id)

    def announce(self, table_id: int | None) -> None:
        """The people at ``table_id`` changed: its sockets and the consoles hear it soon,
        with the other arrivals of the moment (``presence.py``)."""
        presence.announce(self.viewer.event, table_id)

    async def join(self, group: str) -> None:
        self.groups_joined.add(group)
        await self._layer(self.socket.channel_layer.group_add(group, self.socket.channel_name))

    async def leave(self, group: str) -> None:
        self.groups_joined.discard(group)
        await self._layer(self.socket.channel_layer.group_discard(group, self.socket.channel_name))

    async def leave_all(self) -> None:
        """Leave every group (the socket is closing)."""
        for group in list(self.groups_joined):
            await self.socket.channel_layer.group_discard(group, self.socket.channel_name)

    async def rejoin(self) -> bool:
        """Join this socket's groups again; ``False`` if the channel layer is away (the
        next heartbeat tries again; the outage is logged once: ``ops/layer_health.py``)."""
        try:
            for group in list(self.groups_joined):
                await self.socket.channel_layer.group_add(group, self.socket.channel_name)
        except Exception as error:
            if not layer_health.is_outage(error):
                raise
            layer_health.lost(error)
            return False
        layer_health.reached()
        return True

    def _layer_of(self):
        return self.session.socket.channel_layer

    async def _layer(self, operation) -> None:
        """Run a channel-layer operation; while the layer is away, carry on without it (the
        heartbeat joins again and catches up from the database)."""
        try:
            await operation
        except Exception as error:
            if not layer_health.is_outage(error):
                raise
            layer_health.lost(error)
