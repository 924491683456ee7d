"""Arrivals seated together: every socket of a participant asks for their seat when it
connects, and those that come within ``GATHER`` seconds of each other in a server process
are answered by one call (``services.seat_newcomers``).

A reconnect (already seated) costs one shared query instead of a transaction each; late
arrivals in a burst (a room of 2,000 filling up) take the café lock once per burst instead
of once per person, while every note of the event waited behind each.
"""

import asyncio
import weakref

from cafes import services
from cafes.live.db import in_db_thread
from events.models import Event, Participant

GATHER = 0.05

# Per event loop (one per server process; tests run several), per event id.
_desks: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, ArrivalDesk]]" = (
    weakref.WeakKeyDictionary()
)


async def seat(event: Event, participant: Participant) -> int | None:
    """The participant's table in the current round, seating them first if need be
    (``None``: no round yet, an Open Space event, or not joined)."""
    desks = _desks.setdefault(asyncio.get_running_loop(), {})
    desk = desks.get(event.pk)
    if desk is None:
        desk = desks[event.pk] = ArrivalDesk(event)
    return await desk.seat(participant)


class ArrivalDesk:
    def __init__(self, event: Event) -> None:
        self.event = event
        self.waiting: list[tuple[Participant, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def seat(self, participant: Participant) -> int | None:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((participant, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self.waiting:
            await asyncio.sleep(GATHER)
            batch, self.waiting = self.waiting, []
            people = list({participant.pk: participant for participant, _ in batch}.values())
            try:
                where = await in_db_thread(services.seat_newcomers)(
                    event=self.event, participants=people
                )
            except Exception as error:  # each socket's connect fails as it would alone
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for participant, future in batch:
                if not future.done():
                    future.set_result(where.get(participant.pk))
