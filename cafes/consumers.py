"""The live café socket (``/ws/events/<slug>/live/``): the Channels adapter of a
``LiveSession`` (``cafes/live/``), which decides what is sent.

Frames and their rules are documented in ``docs/protocol.md``. This class only hands over
what Channels delivers: the connection opening and closing, each frame, and the channel
layer's messages (a handler per message type: ``live.news``, ``live.tables``,
``live.presence``).
"""

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cafes.live.session import LiveSession


class LiveCafeConsumer(AsyncJsonWebsocketConsumer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session = LiveSession(self)

    async def dispatch(self, message: dict) -> None:
        """Handle one message, timed for the heartbeat watchdog (``Heartbeat.handled``)."""
        heartbeat = self.session.heartbeat
        started = heartbeat.handling()
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
            heartbeat.handled(started)

    async def connect(self) -> None:
        await self.session.open(
            slug=self.scope["url_route"]["kwargs"]["slug"],
            session=self.scope.get("session"),
            user=self.scope.get("user"),
        )

    async def disconnect(self, code: int) -> None:
        await self.session.close()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        await self.session.receive(text_data, bytes_data)

    async def live_news(self, message: dict) -> None:
        await self.session.news(message)

    async def live_tables(self, message: dict) -> None:
        self.session.tables_changed()

    async def live_presence(self, message: dict) -> None:
        await self.session.presence(message)
