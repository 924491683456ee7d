"""The order of the café's live updates, and the row locks that keep it.

Every socket replays the ``LiveUpdate`` log from a cursor ("everything I may see after id
N"), so an update it may see must never commit after a higher id it has already read.
Writes lock rows so that this holds, in two sizes:

* A **table write** (a participant's note posted, edited or withdrawn) locks its table's
  row and *shares* the café row. Writes at different tables run side by side; writes at
  one table, and writes of the event, are ordered against each other.
* An **event write** (rounds, seating, the phase, broadcasts, chat, moderation…) locks the
  café row outright, so it waits for every table write in flight and stops new ones.

Every socket follows the event's news and at most one table: a participant their seat, a
host or facilitator the table they opened. Both kinds commit in id order, so every socket
reads past its cursor without any lock, and no reader ever takes the café row outright.
(The console's overview of all the tables is a snapshot, not a log: ``cafes/live/overview.py``.)

The doorbell's ``prev`` (``cafes/news.py``) is exact for a table's sockets for the same
reason.

SQLite runs one write transaction at a time, so ids commit in order there without locks:
``select_for_update`` is a no-op on it and the shared lock is skipped. The plain-SQL locks
are statements of ``cafes.sql``.

Lock order, everywhere: the café row, then a table row (never the reverse), so table
writes, readers and event writes cannot deadlock.
"""

from django.db import connection

from cafes import sql
from cafes.errors import CafeError
from cafes.models import Cafe, Round, Table
from events.models import Event, Participant

NOT_STARTED = "The café has not started yet."


def lock_event(event: Event) -> Cafe:
    """An event write: hold the café row for the rest of the transaction (with its round)."""
    cafe = hold_event(event)
    if cafe is None:
        raise CafeError("not_started", NOT_STARTED)
    return cafe


def hold_event(event: Event) -> Cafe | None:
    """``lock_event`` for writes that may come before the café starts (then: ``None``)."""
    return (
        Cafe.objects.select_for_update(of=("self",))
        .select_related("current_round")
        .filter(event=event)
        .first()
    )


def share_event(event: Event) -> Cafe | None:
    """A table write or a reader: share the café row (event writes wait, others do not), in
    one query (its ``current_round`` is read when first used). ``None`` before the café
    starts."""
    return next(iter(Cafe.objects.raw(sql.shared_cafe(), [event.pk])), None)


def share_event_round(event: Event) -> Round | None:
    """``share_event`` for a table write, in one query: the current round, with the café
    row shared (``None`` before the café starts)."""
    if connection.vendor != "postgresql":
        cafe = share_event(event)
        return cafe.current_round if cafe else None
    rounds = Round.objects.raw(sql.shared_current_round(), [event.pk])
    return next(iter(rounds), None)


def lock_seat_table(round_: Round, participant: Participant) -> Table | None:
    """A participant's table write, after ``share_event_round``: hold the row of the table
    they sit at in ``round_`` (``None``: no seat). Plain SQL, as this runs for every note."""
    tables = Table.objects.raw(sql.locked_seat_table(), [round_.pk, participant.pk])
    return next(iter(tables), None)


def lock_table(table_id: int) -> Table | None:
    """A table write, after ``share_event``: hold the table's row for the transaction."""
    return Table.objects.select_for_update(of=("self",)).filter(pk=table_id).first()


def share_table(table_id: int) -> None:
    """A reader of one table, after ``share_event``: keep that table's writers out."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql.shared_table(), [table_id])
