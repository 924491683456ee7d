"""The locking rule of every café write, stated once; each service locks through these.

A write takes exactly one of two locks (``cafes/ordering.py`` says why: the live log must
commit in id order for every socket that reads it):

* **The event lock** (``_lock_cafe``; ``_hold_cafe`` where the café may not have started):
  the café row, held outright. Rounds, seating and moves, the phase, broadcasts, the chat,
  moderation (tags, hiding, merging, read-backs), priorities and votes, closing answers,
  taking back a leaver's words and ending on close all take it. A staff-free table's
  privacy is an event write that then holds that table's row too (``_lock_table_privacy``).
* **The table lock** (``_lock_my_table`` for a new note, ``_lock_note_table`` for an
  existing one): the café row *shared*, then the table's row held. Writes at different
  tables run side by side; an event write waits for them and they wait for it.

Order, everywhere: the café row, then a table row, never the reverse. Starting the café is
the one write before there is a café row: it holds the event's row instead
(``_lock_event_row``), so two starts cannot both create one.
"""

from cafes import ordering
from cafes.errors import CafeError
from cafes.models import Cafe, Note, Round, Table
from cafes.permissions import Viewer
from cafes.services._common import _check_open, _forbidden, _writable_table
from events.models import Event


def _lock_cafe(event: Event) -> Cafe:
    """An event write: hold the café row for the rest of the transaction (``ordering``)."""
    return ordering.lock_event(event)


def _hold_cafe(event: Event) -> Cafe | None:
    """``_lock_cafe`` for a write that may come before the café starts (then: ``None``)."""
    return ordering.hold_event(event)


def _lock_event_row(event: Event) -> Event:
    """Starting the café: hold the event's row, as there is no café row to hold yet."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _lock_table_privacy(table: Table) -> Table:
    """Who may read a table changes: an event write that also holds the table's row (the
    café row first, as everywhere); the table as it is now."""
    ordering.hold_event(table.event)
    return Table.objects.select_for_update().get(pk=table.pk)


def _lock_my_table(viewer: Viewer, table_id=None) -> tuple[Round, Table]:
    """A table write (``ordering``): share the café row, then hold the row of the table the
    viewer writes at in the open round. Writes at other tables go on side by side."""
    round_ = ordering.share_event_round(viewer.event)
    if round_ is None:
        raise CafeError("not_started", ordering.NOT_STARTED)
    _check_open(round_)
    if viewer.participant is not None:
        table = ordering.lock_seat_table(round_, viewer.participant)
        if table is None:
            raise _forbidden("You do not have a seat at a table in this round.")
        if table_id is not None and table_id != table.pk:
            raise _forbidden("You can only write at your own table.")
        return round_, table
    table = _writable_table(viewer, round_, table_id)
    ordering.lock_table(table.pk)
    return round_, table


def _lock_note_table(viewer: Viewer, note: Note) -> Cafe:
    """A table write on an existing note: lock its table (``ordering``), then read the note
    again, since a host may have hidden or merged it in the meantime."""
    cafe = ordering.share_event(viewer.event)
    if cafe is None:
        raise CafeError("not_started", ordering.NOT_STARTED)
    ordering.lock_table(note.table_id)
    note.refresh_from_db(fields=["status", "text", "kind", "tags"])
    return cafe
