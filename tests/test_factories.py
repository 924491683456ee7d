"""The shared factories build consistent rows (a note's table and round share its event)."""

import pytest

from tests.factories import NoteFactory, SeatFactory


@pytest.mark.django_db
def test_note_factory_keeps_one_event():
    note = NoteFactory()
    assert note.table.event == note.round.event == note.participant.event == note.event


@pytest.mark.django_db
def test_seat_factory_keeps_one_event():
    seat = SeatFactory()
    assert seat.table.event == seat.round.event == seat.participant.event
