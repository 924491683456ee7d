"""Fixtures of the events tests: a series with its stakeholder groups and its staff."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events import services
from events.models import EventStatus, SegmentKind, StaffRole, Stage
from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def series(db):
    return services.create_series(
        title="Bridge the Gap",
        slug="bridge-the-gap",
        stakeholder_groups=[
            ("Birth parents and families", [("BP", "Birth parent"), ("BF", "Wider birth family")]),
            ("Care-experienced young people", [("CEYP", "Care-experienced young person")]),
            ("Kinship, foster and adoptive carers", [("KC", "Kinship carer")]),
            ("Social workers", [("SW", "Social worker")]),
        ],
    )


@pytest.fixture
def birth_parents(series):
    return series.stakeholder_groups.get(name="Birth parents and families")


@pytest.fixture
def start():
    return (
        (timezone.now() + timedelta(days=10))
        .astimezone(LONDON)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )


@pytest.fixture
def explore(series, birth_parents, start):
    event = services.create_event(
        series=series,
        stage=Stage.EXPLORE,
        title="Explore: birth parents",
        slug="explore-birth-parents",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        stakeholder_group=birth_parents,
        capacity=3,
    )
    services.add_segment(
        event=event, kind=SegmentKind.TECH_INTRO, title="Technical introduction", planned_minutes=10
    )
    services.add_segment(
        event=event,
        kind=SegmentKind.CAFE_ROUND,
        title="Round 1: stories",
        planned_minutes=30,
        prompt="What has helped or hindered you?",
    )
    services.add_segment(event=event, kind=SegmentKind.PLENARY, title="Plenary", planned_minutes=15)
    services.add_closing_question(event=event, text="What must change?")
    return event


@pytest.fixture
def open_event(explore):
    services.transition_event(event=explore, to=EventStatus.SCHEDULED, by=None)
    explore.refresh_from_db()
    return explore


@pytest.fixture
def facilitator(series):
    user = UserFactory(username="fac", is_staff=True)
    services.grant_role(user=user, role=StaffRole.FACILITATOR, series=series)
    return user


def at(year, month, day, hour=10, minute=0, zone=LONDON) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)
