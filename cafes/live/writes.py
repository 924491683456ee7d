"""A socket's writes: the frames that change something (``frames.WRITES``), carried out one
after another in the order they came, on a task of their own so news keeps flowing to the
socket while they wait for the database."""

import asyncio
import logging
from typing import TYPE_CHECKING

from django.db import DatabaseError

from cafes.checks import check_client_id
from cafes.errors import CafeError
from cafes.live.db import in_db_thread
from cafes.live.frames import WRITES, Write, call

if TYPE_CHECKING:
    from cafes.live.session import LiveSession

logger = logging.getLogger(__name__)


class Writes:
    def __init__(self, session: "LiveSession") -> None:
        self.session = session
        self.queue: asyncio.Queue[dict] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    def put(self, frame: dict) -> None:
        self.queue.put_nowait(frame)

    async def _run(self) -> None:
        session = self.session
        while True:
            frame = await self.queue.get()
            try:
                await self._write(WRITES[frame["type"]], frame)
            except DatabaseError:
                await session.unavailable(frame)
            except Exception as error:
                if type(error).__name__ == "ClientDisconnected":
                    return  # the socket closed before its ack; a retry gets the stored row
                logger.exception("A %s frame failed", frame["type"])
                await session.socket.close(code=1011)
                return

    async def _write(self, write: Write, frame: dict) -> None:
        session = self.session
        client_id = frame.get("client_id")
        try:
            check_client_id(client_id)
            missing = [name for name in write.required if name not in frame]
            if missing:
                raise CafeError("malformed", f"The frame needs: {', '.join(missing)}.")
            result = await in_db_thread(call)(write, session.viewer, frame)
        except CafeError as error:
            await session.error(error.code, error.message, frame)
            return
        # The service has returned, so its transaction has committed: safe to acknowledge.
        await session.socket.send_json(
            {"type": "ack", "client_id": client_id, "id": getattr(result, "pk", None)}
        )
        if write.resync_after:
            await session.sync.send_state()
