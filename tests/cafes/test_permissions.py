"""Who may do what at the café: every role against every action."""

import pytest

from cafes import selectors, services
from cafes.models import Round, Seat, SeatHosting, Table
from cafes.permissions import (
    Viewer,
    can_chat,
    can_moderate,
    can_run,
    can_vote,
    can_watch,
    can_write_at,
)
from events.models import ParticipantStatus, StaffRole
from tests.cafes.conftest import participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

# role -> what it may do at "its" table (table 1)
EXPECTED = {
    "participant at the table": {"write", "chat", "vote"},
    "participant at another table": {"chat"},
    "table host of the table": {"watch", "moderate", "write", "chat"},
    "table host of another table": {"watch", "chat"},
    "facilitator": {"watch", "run", "moderate", "write", "chat"},
    "review team": {"watch"},
}


@pytest.fixture
def cast(event, people):
    facilitator = staff_viewer(event)
    host_one = staff_viewer(event, StaffRole.TABLE_HOST)
    host_two = staff_viewer(event, StaffRole.TABLE_HOST)
    services.start_cafe(viewer=facilitator)
    table = Table.objects.get(event=event, host=host_one.user)
    seats = Seat.objects.filter(round__number=1)
    here = seats.filter(table=table).first().participant
    there = seats.exclude(table=table).first().participant
    return table, {
        "participant at the table": participant_viewer(here),
        "participant at another table": participant_viewer(there),
        "table host of the table": host_one,
        "table host of another table": host_two,
        "facilitator": facilitator,
        "review team": staff_viewer(event, StaffRole.REVIEW_TEAM),
    }


def allowed(viewer: Viewer, table: Table) -> set[str]:
    seated = None
    round_id = Round.objects.get(event=viewer.event, number=1).pk
    hosting = selectors.hosted_table_id(viewer=viewer, round_id=round_id)
    if viewer.participant is not None:
        seated = Seat.objects.get(round_id=round_id, participant=viewer.participant).table_id
    checks = {
        "watch": can_watch(viewer),
        "run": can_run(viewer),
        "moderate": can_moderate(viewer, table, hosting),
        "write": can_write_at(viewer, table, seated),
        "chat": can_chat(viewer),
        "vote": can_vote(viewer, seated, table),
    }
    return {action for action, ok in checks.items() if ok}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_may_do_exactly_its_share(cast, role):
    table, viewers = cast
    assert allowed(viewers[role], table) == EXPECTED[role]


# At tables with no staff host, the first person seated keeps the table (``SeatHosting``).
EXPECTED_WITHOUT_STAFF_HOST = {
    "participant hosting the table": {"write", "chat", "vote", "moderate"},
    "participant at the table": {"write", "chat", "vote"},
    "participant hosting another table": {"chat"},
    "facilitator": {"watch", "run", "moderate", "write", "chat"},
}


@pytest.mark.parametrize("role", list(EXPECTED_WITHOUT_STAFF_HOST))
def test_a_participant_hosting_a_table_moderates_that_table_only(live_cafe, facilitator, role):
    hostings = SeatHosting.objects.filter(seat__round__number=1).select_related("seat")
    here, there = sorted((h.seat for h in hostings), key=lambda seat: seat.table_id)
    mate = Seat.objects.filter(round__number=1, table_id=here.table_id).exclude(pk=here.pk)
    viewers = {
        "participant hosting the table": participant_viewer(here.participant),
        "participant at the table": participant_viewer(mate.first().participant),
        "participant hosting another table": participant_viewer(there.participant),
        "facilitator": facilitator,
    }
    assert allowed(viewers[role], here.table) == EXPECTED_WITHOUT_STAFF_HOST[role]


def test_a_superuser_runs_everything(event, people, django_user_model):
    from events.permissions import staff_roles

    boss = django_user_model.objects.create_superuser("boss", password="pw-12345678")
    viewer = Viewer(event=event, user=boss, roles=frozenset(staff_roles(boss, event)))
    assert can_run(viewer)
    assert can_watch(viewer)


def test_waitlisted_and_withdrawn_people_are_not_seated(event, facilitator):
    waiting = ParticipantFactory(event=event, status=ParticipantStatus.WAITLISTED)
    gone = ParticipantFactory(event=event, status=ParticipantStatus.WITHDRAWN)
    ParticipantFactory(event=event)
    services.start_cafe(viewer=facilitator)
    assert services.seat_newcomer(participant=waiting) is None
    assert services.seat_newcomer(participant=gone) is None
    assert Seat.objects.count() == 1
