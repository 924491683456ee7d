"""The one way to announce news to live pages, and the one naming of channel-layer groups.

A service writes its rows, then calls ``send_event_on_commit(group, message)``: the message
goes to the group only once the transaction commits, so no page ever hears of a row that was
rolled back (outside a transaction it goes at once). The channel layer only carries news;
the database stays the source of truth, so a message lost to a layer outage is logged once
per outage (``ops/layer_health.py``) and never fails the write: pages catch up from the
database. Code already on the event loop (the café's presence) awaits ``send_event``.
"""

import asyncio
import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from ops import layer_health

logger = logging.getLogger(__name__)

# Every group, by scope; each is named for one object (an event or a table) by its id.
GROUPS = {
    "event": "cafe.event.{}",  # every socket of a café event
    "table": "cafe.table.{}",  # one table's seats, and staff screens that opened it
    "staff": "cafe.staff.{}",  # the consoles watching every table of an event
    "harvest": "harvest-{}",  # the harvesters' pages of an event's curation workspace
}


def group_name(scope: str, pk: int) -> str:
    """The group of ``scope`` (a key of ``GROUPS``) for the object with id ``pk``: senders
    and listeners both ask here, so they always agree."""
    if scope not in GROUPS:
        raise ValueError(f"unknown group scope {scope!r}")
    return GROUPS[scope].format(int(pk))


def send_event_on_commit(group: str, message: dict) -> None:
    """Send ``message`` (a dict whose ``type`` names the listeners' handler) to ``group``
    once the current transaction commits."""
    transaction.on_commit(partial(_send, group, message))


def _send(group: str, message: dict) -> None:
    if get_channel_layer() is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # the usual case: a sync service in a thread of its own
    else:
        # Called from a thread that runs an event loop (a script or test driving a
        # browser): pages still catch up when they next refresh, or from the database.
        logger.warning("Live news to %s not sent: this thread runs an event loop", group)
        return
    async_to_sync(send_event)(group, message)


async def send_event(group: str, message: dict) -> bool:
    """Send ``message`` to ``group`` now; ``False`` if it could not be sent. A layer outage
    is counted, not raised: the write is committed, and pages catch up from the database on
    their next news, heartbeat or reconnect, so a broken layer must not fail the action."""
    try:
        await get_channel_layer().group_send(group, message)
    except Exception as error:
        if layer_health.is_outage(error):
            layer_health.lost(error)  # one warning per outage, not one per note
        else:
            logger.exception("Could not send live news to %s", group)
        return False
    layer_health.reached()
    return True
