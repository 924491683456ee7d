"""Reads of series, events, agendas and participants, shaped for pages and other apps."""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from events import permissions
from events.models import (
    AgendaSegment,
    ClosingQuestion,
    Event,
    EventStatus,
    Membership,
    Participant,
    ParticipantStatus,
    SegmentKind,
    Series,
    Stage,
)

ACTIVE = (EventStatus.DRAFT, EventStatus.SCHEDULED, EventStatus.LIVE)


def local_time(event: Event, moment: datetime) -> datetime:
    """``moment`` on the event's own clock (what the invitation and welcome page show)."""
    return moment.astimezone(zoneinfo.ZoneInfo(event.timezone))


@dataclass(frozen=True)
class ScheduledSegment:
    segment: AgendaSegment
    starts_at: datetime
    ends_at: datetime

    @property
    def overruns(self) -> bool:
        return self.ends_at > local_time(self.segment.event, self.segment.event.ends_at)


def agenda(event: Event) -> list[ScheduledSegment]:
    """Each agenda block with its start and end, in the event's time zone: the event's start
    plus the planned minutes of every block before it."""
    # Add minutes in UTC, then read the clock: adding to a local time would do wall-clock
    # arithmetic and give hours that do not exist on a daylight-saving change.
    clock = event.starts_at.astimezone(UTC)
    scheduled = []
    for segment in event.segments.order_by("position", "id"):
        segment.event = event
        end = clock + timedelta(minutes=segment.planned_minutes)
        scheduled.append(
            ScheduledSegment(
                segment=segment,
                starts_at=local_time(event, clock),
                ends_at=local_time(event, end),
            )
        )
        clock = end
    return scheduled


def agenda_minutes(event: Event) -> int:
    return sum(event.segments.values_list("planned_minutes", flat=True))


def round_prompts(event: Event) -> QuerySet[AgendaSegment]:
    """The café rounds in order; their position among rounds is the round number."""
    return event.segments.filter(kind=SegmentKind.CAFE_ROUND).order_by("position", "id")


def open_space_segments(event: Event) -> QuerySet[AgendaSegment]:
    """The agenda's Open Space segments, in order (an Open Space runs them as one round)."""
    return event.segments.filter(kind=SegmentKind.OPEN_SPACE).order_by("position", "id")


def closing_questions(event: Event) -> QuerySet[ClosingQuestion]:
    """The event's closing questions, in the order the facilitator set."""
    return ClosingQuestion.objects.filter(event=event).order_by("position", "id")


def event_by_slug(slug: str) -> Event | None:
    """The event at ``/events/<slug>/``, or ``None``."""
    return Event.objects.filter(slug=slug).first()


def series_by_slug(slug: str) -> Series | None:
    return Series.objects.filter(slug=slug).first()


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("series", "stakeholder_group").annotate(
        # distinct: the join with invitations would otherwise count each participant again
        # for every invitation.
        joined_count=Count(
            "participants",
            filter=Q(participants__status=ParticipantStatus.JOINED),
            distinct=True,
        ),
        waitlisted_count=Count(
            "participants",
            filter=Q(participants__status=ParticipantStatus.WAITLISTED),
            distinct=True,
        ),
        checked_in_count=Count(
            "participants",
            distinct=True,
            filter=Q(
                participants__status=ParticipantStatus.JOINED,
                participants__checked_in_at__isnull=False,
            ),
        ),
        invitation_count=Count("invitations", distinct=True),
    )


def series_for_user(user) -> QuerySet[Series]:
    """Series the user holds any role on (on the series or one of its events)."""
    if not user.is_authenticated:
        return Series.objects.none()
    if user.is_superuser:
        return Series.objects.all()
    return Series.objects.filter(
        Q(memberships__user=user) | Q(events__memberships__user=user)
    ).distinct()


@dataclass
class StageColumn:
    stage: Stage
    events: list[Event]


@dataclass
class SeriesOverview:
    series: Series
    columns: list[StageColumn]
    next_event: Event | None
    groups_without_explore: list


def series_overview(series: Series) -> SeriesOverview:
    """All stages at a glance: each stage's events with counts, the next event to come and
    the stakeholder groups still without an Explore event."""
    events = list(with_counts(series.events.all()).order_by("starts_at", "id"))
    columns = [StageColumn(stage=s, events=[e for e in events if e.stage == s]) for s in Stage]
    now = timezone.now()
    upcoming = [e for e in events if e.ends_at >= now and e.status in ACTIVE]
    covered = {e.stakeholder_group_id for e in events if e.stage == Stage.EXPLORE}
    groups = [g for g in series.stakeholder_groups.all() if g.pk not in covered]
    return SeriesOverview(
        series=series,
        columns=columns,
        next_event=upcoming[0] if upcoming else None,
        groups_without_explore=groups,
    )


def events_for_user(user) -> QuerySet[Event]:
    """Events the user holds any role on (on the event or on its series); all for a
    superuser. The same reach as ``permissions.staff_roles``."""
    if not user.is_authenticated:
        return Event.objects.none()
    events = Event.objects.select_related("series", "stakeholder_group")
    if user.is_superuser:
        return events.all()
    return events.filter(Q(memberships__user=user) | Q(series__memberships__user=user)).distinct()


@dataclass(frozen=True)
class EventDoors:
    """An event on the staff home page and the pages of it this user may open. Every staff
    role may open the overview, watch the console and read the series' reports."""

    event: Event
    can_run: bool


@dataclass(frozen=True)
class StaffHome:
    series: list[SeriesOverview]
    live: list[EventDoors]
    upcoming: list[EventDoors]
    more_upcoming: int
    ended: list[EventDoors]  # closed most recently first: their harvest and reports


UPCOMING_SHOWN = 10
ENDED_SHOWN = 5


def _doors(user, event: Event) -> EventDoors:
    return EventDoors(
        event=event,
        can_run=permissions.can_manage_event(user, event),
    )


def staff_home(user, *, now: datetime | None = None) -> StaffHome:
    """What a facilitator or reviewer sees first after signing in: the events running now,
    the scheduled events still to come (soonest first), the events that ended most recently
    (whose harvest and reports come next) and the series they work on."""
    now = now or timezone.now()
    events = events_for_user(user).order_by("starts_at", "id")
    scheduled = events.filter(status=EventStatus.SCHEDULED, ends_at__gte=now)
    upcoming = list(scheduled[:UPCOMING_SHOWN])
    return StaffHome(
        series=[series_overview(s) for s in series_for_user(user)],
        live=[_doors(user, e) for e in events.filter(status=EventStatus.LIVE)],
        upcoming=[_doors(user, e) for e in upcoming],
        more_upcoming=scheduled.count() - len(upcoming),
        ended=[
            _doors(user, e)
            for e in events.filter(status=EventStatus.CLOSED).order_by("-ends_at", "-id")[
                :ENDED_SHOWN
            ]
        ],
    )


def starts_on_another_day(event: Event, *, now: datetime | None = None) -> date | None:
    """The event's scheduled date if, on the event's own clock, today is none of its days
    (from the day it starts to the day it ends); ``None`` when today is one of them."""
    today = local_time(event, now or timezone.now()).date()
    first = local_time(event, event.starts_at).date()
    last = local_time(event, event.ends_at).date()
    return None if first <= today <= last else first


def next_group_for_duplicate(event: Event):
    """The first stakeholder group of the series with no event of this stage yet."""
    taken = set(
        event.series.events.filter(stage=event.stage).values_list("stakeholder_group", flat=True)
    )
    return next((g for g in event.series.stakeholder_groups.all() if g.pk not in taken), None)


def event_by_code(code: str) -> Event | None:
    """The event a typed code names; spaces, dashes and lower case are forgiven."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not cleaned:
        return None
    return Event.objects.filter(code=cleaned).first()


def participants(event: Event) -> QuerySet[Participant]:
    return event.participants.select_related("invitation").order_by("pseudonym")


@dataclass
class RoleGroup:
    code: str
    label: str
    joined: list[Participant]
    waitlisted: list[Participant]
    withdrawn: list[Participant]
    # For an event nobody joined here (run on paper, imported): the recorded number.
    recorded: int | None = None

    @property
    def count(self) -> int:
        """How many took part in this role: those who joined, or else the recorded number."""
        return len(self.joined) if self.recorded is None else self.recorded


def participants_by_role(event: Event) -> list[RoleGroup]:
    """Participants grouped by role code (then "prefer not to say"), split by status.

    An event with no joined participants of its own (its people took part on paper or on
    another board) counts its recorded attendance instead: each group's ``count``."""
    labels = dict(event.role_codes.values_list("code", "label"))
    everyone = list(participants(event))
    recorded: dict[str, int] | None = None
    if not any(p.status == ParticipantStatus.JOINED for p in everyone):
        recorded = dict(event.recorded_attendance.values_list("role_code", "count")) or None
    used = {p.role_code for p in everyone} | set(recorded or ())
    codes = list(labels) + sorted({code for code in used if code} - set(labels))
    groups = []
    for code in [*codes, ""]:
        people = [p for p in everyone if p.role_code == code]
        if code == "" and not people and not (recorded or {}).get(""):
            continue
        groups.append(
            RoleGroup(
                code=code or "—",
                label=labels.get(code, code or "Prefer not to say"),
                joined=[p for p in people if p.status == ParticipantStatus.JOINED],
                waitlisted=[p for p in people if p.status == ParticipantStatus.WAITLISTED],
                withdrawn=[p for p in people if p.status == ParticipantStatus.WITHDRAWN],
                recorded=None if recorded is None else recorded.get(code, 0),
            )
        )
    return groups


def active_participants(event: Event) -> QuerySet[Participant]:
    """Participants whose words count: joined, not withdrawn (other apps use this)."""
    return event.participants.filter(status=ParticipantStatus.JOINED)


def memberships_of_series(series: Series) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(Q(series=series) | Q(event__series=series))
        .select_related("user", "event")
        .order_by("role", "user__username")
    )


def memberships_of_event(event: Event) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(Q(event=event) | Q(series_id=event.series_id))
        .select_related("user", "series", "event")
        .order_by("role", "user__username")
    )


def what_closing_does(event: Event) -> str:
    """What ending an event sets going, in the facilitator's words (the console's and the
    overview's confirmation say the same)."""
    if event.stage == Stage.EXPLORE:
        says = (
            "Nobody can post any more. Draft themes are built from the notes, then report "
            "version 1 compiles; both appear in the harvest and on the reports page."
        )
    elif event.stage == Stage.CREATE:
        says = (
            "Nobody can post any more. A new version of the series report compiles with "
            "this event's proposals."
        )
    else:
        says = (
            "Nobody can post any more. The topics and their notes stay on the Connect "
            "harvest page and go into the series report; Connect events get no report of "
            "their own."
        )
    if closing_questions(event).exists():
        says += (
            " Everyone who gave an email and has not answered every closing question is "
            "emailed their questionnaire link."
        )
    return says
