"""Reads: derived agenda times in the event's time zone, counts, the series at a glance."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events import selectors, services
from events.models import Event, SegmentKind, Stage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_agenda_start_times_follow_the_durations_and_any_change(explore):
    times = [(s.starts_at.strftime("%H:%M"), s.segment.title) for s in selectors.agenda(explore)]
    assert times == [
        ("10:00", "Technical introduction"),
        ("10:10", "Round 1: stories"),
        ("10:40", "Plenary"),
    ]
    first = explore.segments.get(position=1)
    services.update_segment(
        segment=first, kind=first.kind, title=first.title, planned_minutes=25, prompt=""
    )
    assert [s.starts_at.strftime("%H:%M") for s in selectors.agenda(explore)] == [
        "10:00",
        "10:25",
        "10:55",
    ]


def test_agenda_times_are_on_the_events_own_clock_across_a_dst_change(series):
    new_york = ZoneInfo("America/New_York")
    # 8 March 2026, 01:30 in New York: clocks go forward at 02:00.
    start = datetime(2026, 3, 8, 1, 30, tzinfo=new_york)
    event = services.create_event(
        series=series,
        stage=Stage.CONNECT,
        title="Night owls",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        timezone_name="America/New_York",
    )
    services.add_segment(event=event, kind=SegmentKind.OTHER, title="One", planned_minutes=60)
    services.add_segment(event=event, kind=SegmentKind.OTHER, title="Two", planned_minutes=30)
    agenda = selectors.agenda(event)
    assert [s.starts_at.strftime("%H:%M %Z") for s in agenda] == ["01:30 EST", "03:30 EDT"]


def test_counts_are_not_multiplied_by_invitations(open_event):
    services.invite_people(
        event=open_event, pasted_emails="a@x.org\nb@x.org\nc@x.org", invited_by=UserFactory()
    )
    services.join_event(event=open_event, pseudonym="Ann", role_code="BP", consent=True)
    event = selectors.with_counts(Event.objects.filter(pk=open_event.pk)).get()
    assert (event.joined_count, event.invitation_count) == (1, 3)


def test_series_overview_shows_stages_next_event_and_groups_left(series, explore):
    overview = selectors.series_overview(series)
    assert [len(c.events) for c in overview.columns] == [0, 1, 0]
    assert overview.next_event == explore
    assert [g.name for g in overview.groups_without_explore] == [
        "Care-experienced young people",
        "Kinship, foster and adoptive carers",
        "Social workers",
    ]
    assert selectors.next_group_for_duplicate(explore).name == "Care-experienced young people"


def test_event_codes_are_forgiving_when_typed(explore):
    assert selectors.event_by_code(f" {explore.code[:3].lower()}-{explore.code[3:]} ") == explore
    assert selectors.event_by_code("") is None


def test_participants_grouped_by_role_then_prefer_not_to_say(open_event):
    services.join_event(event=open_event, pseudonym="Ann", role_code="BP", consent=True)
    services.join_event(event=open_event, pseudonym="Sam", role_code="", consent=True)
    groups = selectors.participants_by_role(open_event)
    assert [(g.code, [p.pseudonym for p in g.joined]) for g in groups] == [
        ("BF", []),
        ("BP", ["Ann"]),
        ("—", ["Sam"]),
    ]


# --- the day an event is on -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "answer"),
    [
        (datetime(2027, 1, 15, 23, 59, tzinfo=ZoneInfo("Europe/London")), date(2027, 1, 16)),
        (datetime(2027, 1, 16, 0, 1, tzinfo=ZoneInfo("Europe/London")), None),
        (datetime(2027, 1, 16, 22, 0, tzinfo=ZoneInfo("Europe/London")), None),
        # An event over two days is on both of them.
        (datetime(2027, 1, 17, 11, 0, tzinfo=ZoneInfo("Europe/London")), None),
        (datetime(2027, 1, 18, 9, 0, tzinfo=ZoneInfo("Europe/London")), date(2027, 1, 16)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/London")), date(2027, 1, 16)),
    ],
)
def test_an_event_is_on_the_days_from_its_start_to_its_end_on_its_own_clock(series, now, answer):
    start = datetime(2027, 1, 16, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    event = Event(series=series, starts_at=start, ends_at=start + timedelta(days=1, hours=2))
    assert selectors.starts_on_another_day(event, now=now) == answer


def test_the_day_is_the_events_own_not_the_servers(series):
    """9:00 on 16 January in Auckland is still 15 January in London and in UTC."""
    auckland = ZoneInfo("Pacific/Auckland")
    start = datetime(2027, 1, 16, 9, 0, tzinfo=auckland)
    event = Event(
        series=series,
        timezone="Pacific/Auckland",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    half_an_hour_before = start - timedelta(minutes=30)
    assert half_an_hour_before.astimezone(UTC).date() == date(2027, 1, 15)
    assert selectors.starts_on_another_day(event, now=half_an_hour_before) is None
    day_before = start - timedelta(hours=10)  # 23:00 on the 15th in Auckland
    assert selectors.starts_on_another_day(event, now=day_before) == date(2027, 1, 16)
