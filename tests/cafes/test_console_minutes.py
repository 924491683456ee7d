"""The console's "Minutes" box starts at each round's planned length from the agenda."""

from datetime import timedelta

import pytest

from cafes import selectors, services
from events import services as event_services
from events.models import AgendaSegment, SegmentKind
from tests.cafes.conftest import make_event, participant_viewer, staff_viewer
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def console_minutes(facilitator) -> dict:
    return selectors.live_state(viewer=facilitator)["planned_minutes"]


def test_the_console_offers_the_agendas_thirty_minutes_for_each_round():
    event = make_event(minutes=30)
    facilitator = staff_viewer(event)
    ParticipantFactory.create_batch(4, event=event)
    services.start_cafe(viewer=facilitator)

    assert console_minutes(facilitator) == {1: 30, 2: 30, 3: 30}

    # The agenda is the plan, also once the café runs: round 3 shortened to 25 minutes.
    third = AgendaSegment.objects.filter(event=event, kind=SegmentKind.CAFE_ROUND).last()
    event_services.update_segment(
        segment=third,
        kind=third.kind,
        title=third.title,
        planned_minutes=25,
        prompt=third.prompt,
    )
    assert console_minutes(facilitator) == {1: 30, 2: 30, 3: 25}

    # Opening with what the box offered runs the round for that long.
    offered = console_minutes(facilitator)[1]
    round_ = services.open_round(viewer=facilitator, number=1, minutes=offered)
    assert round_.ends_at - round_.opened_at == timedelta(minutes=30)


def test_without_cafe_rounds_on_the_agenda_the_rounds_own_length_is_offered():
    event = make_event(rounds=[])
    facilitator = staff_viewer(event)
    ParticipantFactory.create_batch(4, event=event)
    services.start_cafe(viewer=facilitator)

    assert console_minutes(facilitator) == {
        r.number: r.planned_minutes for r in selectors.rounds_for_event(event=event)
    }
    assert console_minutes(facilitator) == {1: 30, 2: 30, 3: 25}  # services.DEFAULT_ROUNDS


def test_only_consoles_get_the_planned_minutes():
    event = make_event(minutes=30)
    facilitator = staff_viewer(event)
    person = ParticipantFactory(event=event)
    services.start_cafe(viewer=facilitator)
    assert "planned_minutes" not in selectors.live_state(viewer=participant_viewer(person))
