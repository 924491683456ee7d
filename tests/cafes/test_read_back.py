"""What the read-back box is about in each part of the café, and which round a host writes."""

import pytest

from cafes import selectors, services
from cafes.errors import CafeError
from cafes.models import Cafe, CafePhase, ReadBack, Table
from events.models import StaffRole
from tests.cafes.conftest import cid, participant_viewer, staff_viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted(event, people):
    """A staff host at table 1, the café started (round 1 not open yet)."""
    facilitator = staff_viewer(event)
    host = staff_viewer(event, StaffRole.TABLE_HOST)
    services.start_cafe(viewer=facilitator)
    table = Table.objects.get(event=event, host=host.user)
    return facilitator, host, table


def read_back_seen(host, table) -> dict | None:
    """The read-back as the table's page gets it (the host's view of the table)."""
    return selectors.live_state(viewer=host, table_id=table.pk)["read_back"]


def participants_read_back(event, table) -> dict | None:
    """The read-back as someone seated at the table in the current round gets it."""
    current = Cafe.objects.get(event=event).current_round_id
    person = table.seats.filter(round_id=current).first().participant
    return selectors.live_state(viewer=participant_viewer(person))["read_back"]


def test_the_box_names_the_round_it_reads_back_in_every_part_of_the_cafe(event, hosted):
    facilitator, host, table = hosted
    services.open_round(viewer=facilitator, number=1)
    assert read_back_seen(host, table) is None  # nothing earlier to read back

    services.close_round(viewer=facilitator)  # plenary 1: prepare round 1's for round 2
    seen = read_back_seen(host, table)
    assert (seen["round"], seen["for_round"]) == (1, 2)
    services.save_read_back(viewer=host, table_id=table.pk, text="Round one, in brief.")

    services.open_round(viewer=facilitator, number=2)  # round 2: newcomers hear round 1's
    seen = participants_read_back(event, table)
    assert (seen["round"], seen["for_round"]) == (1, 2)
    assert seen["summary"]["text"] == "Round one, in brief."

    services.close_round(viewer=facilitator)  # plenary 2: round 2's, for round 3
    seen = read_back_seen(host, table)
    assert (seen["round"], seen["for_round"], seen["summary"]) == (2, 3, None)
    services.save_read_back(viewer=host, table_id=table.pk, text="Round two, in brief.")
    assert participants_read_back(event, table)["summary"]["text"] == "Round two, in brief."

    services.open_round(viewer=facilitator, number=3)
    seen = participants_read_back(event, table)
    assert (seen["round"], seen["summary"]["text"]) == (2, "Round two, in brief.")

    # After the last round nobody is new: no box in the plenary, the closing questions or
    # at the end (it used to say "round 2" during the closing questions).
    services.close_round(viewer=facilitator)
    assert participants_read_back(event, table) is None
    for phase in (CafePhase.CLOSING, CafePhase.ENDED):
        services.set_phase(viewer=facilitator, phase=phase)
        assert participants_read_back(event, table) is None
        assert read_back_seen(host, table) is None


def test_a_host_writes_the_read_back_of_the_round_the_box_shows(event, hosted):
    facilitator, host, table = hosted
    services.open_round(viewer=facilitator, number=1)
    with pytest.raises(CafeError) as error:
        services.save_read_back(viewer=host, table_id=table.pk, text="Too soon")
    assert error.value.code == "too_early"

    services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=2)
    assert services.save_read_back(viewer=host, table_id=table.pk, text="R1").round.number == 1
    services.close_round(viewer=facilitator)
    assert services.save_read_back(viewer=host, table_id=table.pk, text="R2").round.number == 2
    services.open_round(viewer=facilitator, number=3)
    services.close_round(viewer=facilitator)

    with pytest.raises(CafeError) as error:
        services.save_read_back(viewer=host, table_id=table.pk, text="For nobody")
    assert error.value.code == "too_late"
    assert sorted(ReadBack.objects.values_list("round__number", "text")) == [
        (1, "R1"),
        (2, "R2"),
    ]


def test_closing_questions_straight_after_round_two_show_no_read_back(event, hosted):
    """Skipping round 3 (the facilitator moves to the closing questions): round 2's read-back
    would be for nobody, so the box and the write are gone too."""
    facilitator, host, table = hosted
    services.open_round(viewer=facilitator, number=1)
    services.post_note(
        viewer=facilitator, text="A note", kind="story", client_id=cid(), table_id=table.pk
    )
    services.close_round(viewer=facilitator)
    services.open_round(viewer=facilitator, number=2)
    services.close_round(viewer=facilitator)
    services.set_phase(viewer=facilitator, phase=CafePhase.CLOSING)

    assert participants_read_back(event, table) is None
    with pytest.raises(CafeError) as error:
        services.save_read_back(viewer=host, table_id=table.pk, text="For nobody")
    assert error.value.code == "too_late"
