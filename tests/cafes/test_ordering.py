"""The order of live updates under concurrent writes (``cafes/ordering.py``), on PostgreSQL.

Writes at different tables commit side by side, so a later id can commit before an earlier
one. These tests hold a note's transaction open on purpose and check that nobody reads past
it: a screen following its table waits for it, screens elsewhere do not, and an event write
(closing the round) comes after it.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from cafes import selectors, services
from cafes.models import LiveUpdate, Note, NoteKind, Seat
from events.models import StaffRole
from tests.cafes.conftest import cid, make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory
from tests.support.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


class SlowNote(threading.Thread):
    """Posts a note and keeps its transaction open until ``release`` is set."""

    def __init__(self, viewer, text: str, client_id=None) -> None:
        super().__init__(daemon=True)
        self.viewer, self.text, self.client_id = viewer, text, client_id or cid()
        self.in_flight, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                services.post_note(
                    viewer=self.viewer,
                    text=self.text,
                    kind=NoteKind.STORY,
                    client_id=self.client_id,
                )
                self.in_flight.set()
                self.release.wait(20)
        finally:
            connection.close()


def in_thread(func) -> tuple[threading.Thread, list]:
    result: list = []

    def run() -> None:
        try:
            result.append(func())
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def wait_for_a_lock_wait(timeout: float = 10) -> None:
    """Until some other connection is waiting for a row lock (the reader has got there)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    pytest.fail("nobody waited for the note in flight")


@pytest.fixture
def two_tables():
    require_postgres()
    event = make_event()
    facilitator = staff_viewer(event)
    people = [ParticipantFactory(event=event, role_code="BP") for _ in range(8)]
    services.start_cafe(viewer=facilitator)
    round_ = services.open_round(viewer=facilitator, number=1)
    seats = Seat.objects.filter(round=round_).order_by("table_id", "pk")
    first = seats.first()
    other = seats.exclude(table_id=first.table_id).first()
    assert other is not None
    by_pk = {p.pk: p for p in people}
    return event, facilitator, by_pk[first.participant_id], by_pk[other.participant_id]


def test_a_host_reading_their_table_waits_for_its_note_in_flight_and_the_console_waits_for_none(
    two_tables,
):
    """Staff screens once held the café row to read every table, so each staff read stalled
    every note of the event. A host now follows one table like a seat: they wait only for
    that table's note in flight (and read it in order); the console's state and overview
    wait for nothing."""
    event, facilitator, at_one, _ = two_tables
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    table = Seat.objects.get(round__event=event, round__number=1, participant=at_one).table
    cursor = LiveUpdate.objects.filter(event=event).order_by("-pk").first().pk
    slow = SlowNote(participant_viewer(at_one), "written slowly")
    slow.start()
    assert slow.in_flight.wait(10)

    console, state = in_thread(lambda: selectors.live_state(viewer=facilitator))
    overview, frame = in_thread(lambda: selectors.console_overview(event=event))
    for thread in (console, overview):
        thread.join(10)
        assert not thread.is_alive(), "a console waited for a note at a table"
    assert state[0]["cursor"] == cursor
    assert frame[0]["upto"] == cursor

    # The host's fresh view of that table waits for its note, and then shows it.
    reader, seen = in_thread(lambda: selectors.live_state(viewer=host, table_id=table.pk))
    wait_for_a_lock_wait()
    slow.release.set()
    slow.join(10)
    reader.join(10)
    assert [n["text"] for n in seen[0]["notes"]] == ["written slowly"]
    assert seen[0]["cursor"] > cursor


def test_a_participant_reads_their_table_in_order_without_waiting(two_tables):
    event, _, at_one, at_two = two_tables
    me = participant_viewer(at_one)
    cursor = LiveUpdate.objects.filter(event=event).order_by("-pk").first().pk
    slow = SlowNote(participant_viewer(at_two), "at the other table")
    slow.start()
    assert slow.in_flight.wait(10)
    mine = services.post_note(viewer=me, text="at my table", kind=NoteKind.STORY, client_id=cid())
    reader, seen = in_thread(
        lambda: selectors.updates_after(viewer=me, after=cursor, table_id=mine.table_id)
    )
    reader.join(10)
    assert not reader.is_alive(), "a participant waited for a note at another table"
    slow.release.set()
    slow.join(10)
    assert [u.payload["note"]["text"] for u in seen[0] if u.kind == "note"] == ["at my table"]


def test_closing_the_round_waits_for_a_note_being_written_and_comes_after_it(two_tables):
    event, facilitator, at_one, _ = two_tables
    slow = SlowNote(participant_viewer(at_one), "the last word")
    slow.start()
    assert slow.in_flight.wait(10)
    closer, _ = in_thread(lambda: services.close_round(viewer=facilitator))
    wait_for_a_lock_wait()
    slow.release.set()
    slow.join(10)
    closer.join(10)
    kinds = list(
        LiveUpdate.objects.filter(event=event).order_by("pk").values_list("kind", flat=True)
    )
    last_note = max(i for i, kind in enumerate(kinds) if kind == "note")
    assert kinds[last_note + 1 :] == ["round"]
    assert event.notes.get().text == "the last word"


def test_two_attempts_at_once_with_one_client_id_store_one_note(two_tables):
    event, _, at_one, _ = two_tables
    viewer = participant_viewer(at_one)
    client_id = cid()
    first = SlowNote(viewer, "Sent twice by a flaky connection", client_id)
    first.start()
    assert first.in_flight.wait(10)
    second, result = in_thread(
        lambda: services.post_note(
            viewer=viewer,
            text="Sent twice by a flaky connection",
            kind="story",
            client_id=client_id,
        )
    )
    wait_for_a_lock_wait()  # the second waits for the first's table lock
    first.release.set()
    first.join(10)
    second.join(10)

    stored = Note.objects.get(event=event, client_id=client_id)
    assert result == [stored]  # the second attempt is answered with the first's note
    notes = LiveUpdate.objects.filter(event=event, kind="note")
    assert [u.payload["note"]["id"] for u in notes] == [stored.pk]
