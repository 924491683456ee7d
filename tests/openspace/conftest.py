"""Fixtures for Open Space and Create: a series with a Connect, two Explore and a Create
event, participants, and staff in every role."""

import uuid
from dataclasses import dataclass

import pytest

from cafes.models import Note, NoteKind, Round, Table
from cafes.permissions import Viewer
from events.models import EventStatus, StaffRole, Stage
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
    event = EventFactory(
        series=series or SeriesFactory(),
        stage=Stage.CONNECT,
        title="Connect",
        status=EventStatus.SCHEDULED,
    )
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


HOUSING = [
    ("Nobody helped us find somewhere safe to live after the baby came", "BP"),
    ("We were moved to temporary housing three times in a year", "BP"),
    ("Housing officers and social workers never spoke to each other", "BF"),
]
SIBLINGS = [
    ("I was split up from my brothers and sisters when we went into care", "CE"),
    ("Keeping siblings together should be the starting point", "CE"),
    ("I only saw my sister twice a year in contact centres", "CE"),
]


@dataclass
class SeriesSetup:
    series: object
    connect: Connect
    explore_bp: object
    explore_ce: object
    bp_notes: list
    ce_notes: list
    create: object
    facilitator: Viewer
    reviewer: Viewer
    people: list


def make_series() -> SeriesSetup:
    """A series with a Connect event, two Explore events (birth parents, care-experienced
    young people) whose themes are built, and a Create event with four participants."""
    from harvest.services import build_themes

    series = SeriesFactory(title="Bridge the Gap")
    connect = make_connect(series)
    explore_bp, bp_notes = explore_event_with_notes(series, "Birth parents and families", HOUSING)
    explore_ce, ce_notes = explore_event_with_notes(
        series, "Care-experienced young people", SIBLINGS
    )
    for event in (explore_bp, explore_ce):
        build_themes(event=event)
    create = EventFactory(
        series=series, stage=Stage.CREATE, title="Create", status=EventStatus.SCHEDULED
    )
    people = [
        ParticipantFactory(event=create, role_code=code, pseudonym=f"Maker{i}")
        for i, code in enumerate(["BP", "CE", "SW", "FC"])
    ]
    return SeriesSetup(
        series=series,
        connect=connect,
        explore_bp=explore_bp,
        explore_ce=explore_ce,
        bp_notes=bp_notes,
        ce_notes=ce_notes,
        create=create,
        facilitator=staff(create),
        reviewer=staff(create, StaffRole.REVIEW_TEAM),
        people=[person(p) for p in people],
    )


@pytest.fixture
def setup(db) -> SeriesSetup:
    return make_series()


def agenda_from_theme(setup: SeriesSetup, event):
    """Put the first theme of an Explore event on the Create agenda."""
    from openspace import selectors

    column = next(
        c for c in selectors.explore_columns(series=setup.series) if c.event.pk == event.pk
    )
    theme = column.themes[0]
    return theme, services.add_conversation_from_theme(
        viewer=setup.facilitator, theme_key=theme.key, client_id=cid()
    )


def proposal_fields(**overrides) -> dict:
    fields = {
        "problem": "Families lose their home while the court case runs",
        "change": "A housing worker joins every child protection plan",
        "who_acts": "Local authorities with housing teams",
        "first_step": "Pilot in two councils next year",
        "impact": "Fewer moves for families during proceedings",
        "open_questions": "Who pays for the housing worker?",
    }
    return fields | overrides


SECRET = "Only for the people in this room"


def build_journey(setup: SeriesSetup):
    """A full series: Connect topics (one staff-free, not shared), a Create conversation
    from a birth parents' theme, and a proposal from it with an endorsement and concerns
    (a tension and a problem). Returns ``(setup, the proposal's ThemeSource)``."""
    from cafes import services as cafe_services
    from openspace.models import ThemeSource

    connect = setup.connect
    services.open_space(viewer=connect.facilitator)
    ana, ben, cai, _dee = connect.viewers
    private = propose(ana, "Just us")
    services.set_staff_free(viewer=ana, topic_id=private.pk, staff_free=True)
    services.go_to_topic(viewer=ben, topic_id=private.pk)
    cafe_services.post_note(viewer=ben, text=SECRET, kind="story", client_id=cid())
    housing = propose(cai, "Housing first", "Nobody can heal without a home")
    services.go_to_topic(viewer=cai, topic_id=housing.pk)
    cafe_services.post_note(
        viewer=cai,
        text=f"{ana.participant.pseudonym} said housing is everything",
        kind="idea",
        client_id=cid(),
    )
    services.share_key_points(
        viewer=cai, topic_id=housing.pk, text="Housing is the foundation", share_notes=False
    )
    _theme, topic = agenda_from_theme(setup, setup.explore_bp)
    source = ThemeSource.objects.get(topic=topic)
    maker = setup.people[0]
    proposal = services.add_proposal(
        viewer=maker,
        topic_id=topic.pk,
        source_ids=[source.pk],
        client_id=cid(),
        **proposal_fields(
            change=f"A housing worker for every family, as {maker.participant.pseudonym} said"
        ),
    )
    services.endorse(viewer=setup.people[1], proposal_id=proposal.pk)
    services.raise_concern(
        viewer=setup.people[2],
        proposal_id=proposal.pk,
        kind="tension",
        text="Speed versus stability",
        client_id=cid(),
    )
    services.raise_concern(
        viewer=setup.people[3],
        proposal_id=proposal.pk,
        kind="problem",
        text="Housing teams have no spare staff",
        client_id=cid(),
    )
    return setup, source
