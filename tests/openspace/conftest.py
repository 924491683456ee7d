"""Fixtures for Open Space and Create: a series with a Connect, two Explore and a Create
event, participants, and staff in every role."""

import uuid
from dataclasses import dataclass

import pytest

from cafes.models import Note, NoteKind, Round, Table
from cafes.permissions import Viewer
from events.models import StaffRole, Stage
from events.permissions import staff_roles
from openspace import services
from tests.factories import (
    EventFactory,
    MembershipFactory,
    ParticipantFactory,
    SeriesFactory,
    StakeholderGroupFactory,
    UserFactory,
)


def cid() -> str:
    return str(uuid.uuid4())


def staff(event, role=StaffRole.FACILITATOR) -> Viewer:
    user = UserFactory()
    MembershipFactory(user=user, role=role, event=event)
    return Viewer(event=event, user=user, roles=frozenset(staff_roles(user, event)))


def person(participant) -> Viewer:
    return Viewer(event=participant.event, participant=participant)


def propose(viewer: Viewer, title: str, why: str = "", **kw):
    return services.propose_topic(viewer=viewer, title=title, why=why, client_id=cid(), **kw)


@dataclass
class Connect:
    event: object
    facilitator: Viewer
    table_host: Viewer
    reviewer: Viewer
    people: list
    viewers: list


def make_connect(series=None, *, people: int = 4) -> Connect:
    event = EventFactory(series=series or SeriesFactory(), stage=Stage.CONNECT, title="Connect")
    participants = [
        ParticipantFactory(event=event, role_code=code, pseudonym=f"Person{i}")
        for i, code in enumerate(["BP", "CE", "SW", "FC", "BP", "CE"][:people])
    ]
    return Connect(
        event=event,
        facilitator=staff(event),
        table_host=staff(event, StaffRole.TABLE_HOST),
        reviewer=staff(event, StaffRole.REVIEW_TEAM),
        people=participants,
        viewers=[person(p) for p in participants],
    )


@pytest.fixture
def connect(db) -> Connect:
    return make_connect()


def explore_event_with_notes(series, group_name: str, notes: list[tuple[str, str]]):
    """An Explore event of the series with one round and table holding ``notes``
    (text, role code); each note by its own participant."""
    group = StakeholderGroupFactory(series=series, name=group_name)
    event = EventFactory(series=series, stage=Stage.EXPLORE, stakeholder_group=group)
    round_ = Round.objects.create(event=event, number=1, prompt="What helped or hindered?")
    table = Table.objects.create(event=event, number=1)
    made = []
    for text, role in notes:
        participant = ParticipantFactory(event=event, role_code=role)
        made.append(
            Note.objects.create(
                event=event,
                round=round_,
                table=table,
                participant=participant,
                role_code=role,
                kind=NoteKind.PROBLEM,
                text=text,
                client_id=uuid.uuid4(),
            )
        )
    return event, made
