"""Live news: the ``LiveUpdate`` log written inside a service's transaction, and the
channel-layer doorbell rung only after that transaction commits.

The channel layer carries no content, only "update N exists": each socket then reads what
it may see from the database, so a lost or reordered message can never lose or duplicate
anything (the database is the source of truth).
"""

import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from cafes.groups import group_name
from cafes.models import LiveUpdate, Table
from events.models import Event

logger = logging.getLogger(__name__)

# Updates after which a socket re-reads its whole view: the viewer's table may have changed.
RESYNC_KINDS = frozenset({"seating", "round.opened", "cafe.started", "table.privacy"})


def record(*, event: Event, kind: str, payload: dict, table: Table | None = None) -> LiveUpdate:
    """Log news for the event (or one table) and ring the doorbell once the write commits.

    Must be called inside the service's transaction, after locking the café row, so ids are
    committed in order.
    """
    update = LiveUpdate.objects.create(event=event, table=table, kind=kind, payload=payload)
    transaction.on_commit(partial(ring, event_id=event.pk, table_id=update.table_id, id=update.pk))
    return update


def forget_words(*, event: Event, key: str, ids: list[int]) -> None:
    """Blank the words of notes (``key="note"``) or chat messages (``key="message"``) in the
    log once they are hidden, withdrawn or merged: a socket replaying the log later never
    sees them, and nothing of them stays behind. Screens that showed them keep what they
    had (a host still sees a hidden note's words); the database row is the only copy."""
    if not ids:
        return
    lookup = {f"payload__{key}__id__in": ids}
    for update in LiveUpdate.objects.filter(event=event, **lookup).only("pk", "payload"):
        item = update.payload[key]
        if item.get("text") or item.get("tags"):
            item.update(text="", redacted=True)
            if "tags" in item:
                item["tags"] = []
            LiveUpdate.objects.filter(pk=update.pk).update(payload=update.payload)


def groups_for(*, event_id: int, table_id: int | None) -> list[str]:
    if table_id is None:
        return [group_name("event", event_id)]
    return [group_name("table", table_id), group_name("staff", event_id)]


def ring(*, event_id: int, table_id: int | None, id: int) -> None:
    """Tell every socket that may see update ``id`` to read it (runs after commit)."""
    send(groups_for(event_id=event_id, table_id=table_id), {"type": "live.news", "id": id})


def send(groups: list[str], message: dict) -> None:
    layer = get_channel_layer()
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:
            # The write is committed; sockets catch up from the database on their next news
            # or reconnect, so a broken channel layer must not fail the user's action.
            logger.exception("Could not send live news to %s", group)
