"""A demo series for ``make run``: a Connect, an Explore (scheduled, so it can be joined) and a
Create event, with the four stakeholder groups; the other groups' Explore events are one
"Duplicate" click away on the series page."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from events import services
from events.models import EventStatus, SegmentKind, Series, StaffRole, Stage

DEMO_SLUG = "bridge-the-gap"

# What the tables discuss in the Explore café's three rounds.
ROUND_PROMPTS = (
    "What has helped or hindered your experience of children's social care?",
    "What problems, strengths and possibilities do you hear across the stories?",
    "Which three solutions matter most to your table?",
)

EXPLORE_AGENDA = [
    (SegmentKind.TECH_INTRO, "Technical introduction", 10, ""),
    (SegmentKind.CONTEXT, "The case for change", 15, ""),
    (SegmentKind.CAFE_ROUND, "Round 1: stories", 30, ROUND_PROMPTS[0]),
    (SegmentKind.PLENARY, "Plenary 1", 15, ""),
    (SegmentKind.BREAK, "Break", 10, ""),
    (SegmentKind.CAFE_ROUND, "Round 2: the collective story", 30, ROUND_PROMPTS[1]),
    (SegmentKind.PLENARY, "Plenary 2", 15, ""),
    (SegmentKind.CAFE_ROUND, "Round 3: priorities", 25, ROUND_PROMPTS[2]),
    (SegmentKind.PLENARY, "Closing plenary", 15, ""),
    (SegmentKind.CLOSING_QUESTIONS, "Closing questions", 15, ""),
]

STAKEHOLDER_GROUPS = [
    ("Birth parents and families", [("BP", "Birth parent"), ("BF", "Wider birth family")]),
    ("Care-experienced young people", [("CEYP", "Care-experienced young person")]),
    (
        "Kinship, foster and adoptive carers",
        [("KC", "Kinship carer"), ("FC", "Foster carer"), ("AP", "Adoptive parent")],
    ),
    ("Social workers", [("SW", "Social worker"), ("SWM", "Social work manager")]),
]

CLOSING_QUESTIONS = [
    "What is the one thing that must change?",
    "What should stay the same?",
    "How did you find taking part today?",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


@transaction.atomic
def load_demo(*, password: str) -> tuple[Series, list[DemoLogin]]:
    """Create the demo series once; later calls only reset the demo logins' passwords."""
    users = [
        DemoLogin("facilitator", password, StaffRole.FACILITATOR),
        DemoLogin("tablehost", password, StaffRole.TABLE_HOST),
        DemoLogin("reviewer", password, StaffRole.REVIEW_TEAM),
    ]
    series = Series.objects.filter(slug=DEMO_SLUG).first()
    if series is None:
        series = _create_demo_series()
    User = get_user_model()
    for login in users:
        user, _ = User.objects.get_or_create(username=login.username)
        user.is_staff = login.role == StaffRole.FACILITATOR
        user.set_password(login.password)
        user.save()
        services.grant_role(user=user, role=login.role, series=series)
    return series, users


def _create_demo_series() -> Series:
    series = services.create_series(
        title="Bridge the Gap",
        slug=DEMO_SLUG,
        description="Listening to people with lived experience of children's social care.",
    )
    groups = [
        services.add_stakeholder_group(series=series, name=name, role_codes=codes)
        for name, codes in STAKEHOLDER_GROUPS
    ]
    birth_parents = groups[0]
    start = (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    services.create_event(
        series=series,
        stage=Stage.CONNECT,
        title="Connect: the launch",
        slug="bridge-the-gap-connect",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=200,
        description="Meet, hear the context and propose the topics that matter to you.",
    )
    explore = services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title="Explore: birth parents and families",
        slug="bridge-the-gap-explore-birth-parents",
        starts_at=start + timedelta(days=14),
        ends_at=start + timedelta(days=14, hours=3),
        stakeholder_group=birth_parents,
        description="A Collective Story Café for birth parents and wider birth family.",
        context="The review's case for change asks how families can be helped to stay together.",
    )
    for kind, title, minutes, prompt in EXPLORE_AGENDA:
        services.add_segment(
            event=explore, kind=kind, title=title, planned_minutes=minutes, prompt=prompt
        )
    for question in CLOSING_QUESTIONS:
        services.add_closing_question(event=explore, text=question)
    services.transition_event(event=explore, to=EventStatus.SCHEDULED, by=None)
    services.create_event(
        series=series,
        stage=Stage.CREATE,
        title="Create: ideas for change",
        slug="bridge-the-gap-create",
        starts_at=start + timedelta(days=49),
        ends_at=start + timedelta(days=49, hours=3),
        description="Turn the themes of every Explore event into proposals for the review.",
    )
    return series
