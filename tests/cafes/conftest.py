"""Fixtures for café tests: an Explore event with three café rounds and closing questions."""

import uuid

import pytest

from cafes import services
from cafes.permissions import Viewer
from events.models import EventStatus, SegmentKind, StaffRole
from events.permissions import staff_roles
from tests.factories import (
    ClosingQuestionFactory,
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
)

ROUNDS = [
    ("Round 1: stories", "What has helped or hindered you?"),
    ("Round 2: the collective story", "What problems, strengths and possibilities?"),
    ("Round 3: priorities", "Which three solutions matter most?"),
]


def make_event(*, table_size: int = 4, rounds=ROUNDS, questions: int = 2, minutes: int = 20):
    from events import services as event_services

    event = EventFactory(table_size=table_size, status=EventStatus.SCHEDULED)
    for title, prompt in rounds:
        event_services.add_segment(
            event=event,
            kind=SegmentKind.CAFE_ROUND,
            title=title,
            planned_minutes=minutes,
            prompt=prompt,
        )
        event_services.add_segment(
            event=event, kind=SegmentKind.PLENARY, title="Plenary", planned_minutes=10
        )
    for _ in range(questions):
        ClosingQuestionFactory(event=event)
    return event


def staff_viewer(event, role=StaffRole.FACILITATOR, user=None) -> Viewer:
    user = user or UserFactory()
    MembershipFactory(user=user, role=role, event=event)
    return Viewer(event=event, user=user, roles=frozenset(staff_roles(user, event)))


def participant_viewer(participant) -> Viewer:
    return Viewer(event=participant.event, participant=participant)


def cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def event(db):
    return make_event()


@pytest.fixture
def facilitator(event):
    return staff_viewer(event)


@pytest.fixture
def people(event):
    roles = ["BP", "BP", "BP", "BF", "BF", "BP", "BF", "BP"]
    return [ParticipantFactory(event=event, role_code=role) for role in roles]


@pytest.fixture
def live_cafe(event, facilitator, people):
    """Eight people at two tables, round 1 open."""
    services.start_cafe(viewer=facilitator)
    services.open_round(viewer=facilitator, number=1)
    return event
