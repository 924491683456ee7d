"""Live news: the ``LiveUpdate`` log written inside a service's transaction, and the
channel-layer doorbell rung only after that transaction commits.

The doorbell says "update N exists". For a table's news, the doorbell to the table's seats
also carries the update's frame and ``prev``, the id of the update those seats saw just
before it (computed under the table's lock, so exact: ``cafes/ordering.py``): a socket
whose cursor is exactly ``prev`` sends the frame on as it is, with no database read; any
other socket (a gap: a lost, late or reordered doorbell) reads what it may see from the
database. The consoles, which show every table, read a summary of the tables at a bounded
rate instead (``cafes/live/overview.py``). The doorbell is sent the one way news is sent
(``ops/news.py``).
So a lost or reordered message can still never lose or duplicate anything (the database is
the source of truth), and the common case costs one write per note instead of one read per
seat (docs/benchmarks.md).
"""

import json

from django.db import connection

from cafes import rows, sql
from cafes.models import LiveUpdate, Table
from events.models import Event
from ops.news import group_name, send_event_on_commit

# Updates after which a socket re-reads its whole view: the viewer's table may have changed.
RESYNC_KINDS = frozenset({"seating", "round.opened", "cafe.started", "table.privacy"})


def record(*, event: Event, kind: str, payload: dict, table: Table | None = None) -> LiveUpdate:
    """Log news for the event (or one table) and ring its doorbell once the write commits.

    Must be called inside the service's transaction, after taking the locks of
    ``cafes.ordering``, so ids are committed in order.
    """
    update = LiveUpdate(event=event, table=table, kind=kind, payload=payload)
    rows.insert(update)
    send_event_on_commit(*doorbell(update))
    return update


def doorbell(update: LiveUpdate) -> tuple[str, dict]:
    """Whom to tell about ``update``, and what: the group and its message.

    The event's own news rings every socket of the event. A table's news goes, frame and
    all, to the sockets following that table only (its seats, and a host or facilitator who
    has it open); the consoles see it in their next overview (``cafes/live/overview.py``)."""
    if update.table_id is None:
        return group_name("event", update.event_id), {"type": "live.news", "id": update.pk}
    frame = frame_of(update)
    message = {
        "type": "live.news",
        "id": update.pk,
        "prev": _previous(update),
        # Serialised once here, not once by each socket that sends it on.
        "kind": frame["kind"],
        "table": frame["table"],
        "text": json.dumps(frame),
    }
    return group_name("table", update.table_id), message


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


def frame_of(update: LiveUpdate) -> dict:
    """The ``update`` frame a socket sends for this row (docs/protocol.md)."""
    return {
        "type": "update",
        "id": update.pk,
        "kind": update.kind,
        "table": update.table_id,
        "payload": update.payload,
    }


NEWEST = 2**62


def _previous(update: LiveUpdate) -> int | None:
    """The id of the update the table's seats saw just before this one: the newer of their
    table's last update and the event's own last news."""
    return newest_for_table(event_id=update.event_id, table_id=update.table_id, below=update.pk)


def newest_for_table(*, event_id: int, table_id: int | None, below: int = NEWEST) -> int | None:
    """The newest update (below ``below``) that a seat at ``table_id`` may see: its table's
    news or the event's own. A participant's heartbeat compares it with its cursor."""
    with connection.cursor() as cursor:
        cursor.execute(sql.newest_for_table(), [table_id, below, event_id, below])
        at_table, of_event = cursor.fetchone()
    return max(at_table or 0, of_event or 0) or None
