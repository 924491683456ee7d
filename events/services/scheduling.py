"""Events: creating one in a series, changing its details, duplicating it for another group."""

from datetime import UTC, datetime

from django.db import transaction

from events.errors import EventsError
from events.models import AgendaSegment, ClosingQuestion, Event, Series, Stage, StakeholderGroup
from events.services.checks import (
    _check_slug_free,
    _unique_slug,
    _validate,
    check_editable,
    check_event_times,
    check_plain_text,
    check_time_zone,
)
from events.services.participants import joined_count
from events.services.role_codes import add_role_code


def _check_event(event: Event) -> None:
    event.title = check_plain_text(event.title, field="title", label="The title")
    check_event_times(event.starts_at, event.ends_at)
    check_time_zone(event.timezone)
    if event.stakeholder_group and event.stakeholder_group.series_id != event.series_id:
        raise EventsError({"stakeholder_group": "Choose a stakeholder group of this series."})
    _check_slug_free(Event, event.slug, exclude_pk=event.pk)
    _validate(event)


@transaction.atomic
def create_event(
    *,
    series: Series,
    stage: Stage,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    slug: str = "",
    stakeholder_group: StakeholderGroup | None = None,
    description: str = "",
    context: str = "",
    capacity: int = 30,
    table_size: int = 4,
    timezone_name: str = "Europe/London",
) -> Event:
    """Create a draft event; it starts with its stakeholder group's role codes."""
    event = Event(
        series=series,
        stage=stage,
        title=title,
        slug=slug or _unique_slug(Event, f"{series.slug}-{title}"),
        starts_at=starts_at,
        ends_at=ends_at,
        stakeholder_group=stakeholder_group,
        description=description.strip(),
        context=context.strip(),
        capacity=capacity,
        table_size=table_size,
        timezone=timezone_name,
    )
    _check_event(event)
    event.save()
    if stakeholder_group:
        for code, label in stakeholder_group.default_role_codes:
            add_role_code(event=event, code=code, label=label)
    return event


EDITABLE_EVENT_FIELDS = (
    "title",
    "slug",
    "stage",
    "stakeholder_group",
    "description",
    "context",
    "starts_at",
    "ends_at",
    "timezone",
    "capacity",
    "table_size",
)


@transaction.atomic
def update_event(*, event: Event, **changes) -> Event:
    """Change an event's details (any of ``EDITABLE_EVENT_FIELDS``)."""
    unknown = set(changes) - set(EDITABLE_EVENT_FIELDS)
    if unknown:
        raise TypeError(f"update_event() can't change {', '.join(sorted(unknown))}")
    check_editable(event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if "capacity" in changes and event.capacity < joined_count(event):
        raise EventsError(
            {
                "capacity": f"{joined_count(event)} people have already joined; the capacity "
                "can't be lower than that."
            }
        )
    _check_event(event)
    event.save()
    return event


@transaction.atomic
def duplicate_event(
    *,
    event: Event,
    stakeholder_group: StakeholderGroup | None,
    title: str,
    starts_at: datetime,
    slug: str = "",
) -> Event:
    """A draft copy of ``event`` for another stakeholder group, with the same length, details,
    agenda (and its round prompts), closing questions and role codes.

    When the new group has default role codes of its own, the copy uses those instead of the
    original's: an event for young people should not offer the birth parents' codes."""
    copy = create_event(
        series=event.series,
        stage=event.stage,
        title=title,
        slug=slug,
        starts_at=starts_at,
        ends_at=starts_at.astimezone(UTC) + (event.ends_at - event.starts_at),
        stakeholder_group=stakeholder_group,
        description=event.description,
        context=event.context,
        capacity=event.capacity,
        table_size=event.table_size,
        timezone_name=event.timezone,
    )
    if not (stakeholder_group and stakeholder_group.default_role_codes):
        for role_code in event.role_codes.all():
            add_role_code(event=copy, code=role_code.code, label=role_code.label)
    AgendaSegment.objects.bulk_create(
        AgendaSegment(
            event=copy,
            position=segment.position,
            kind=segment.kind,
            title=segment.title,
            planned_minutes=segment.planned_minutes,
            prompt=segment.prompt,
        )
        for segment in event.segments.all()
    )
    ClosingQuestion.objects.bulk_create(
        ClosingQuestion(event=copy, position=question.position, text=question.text)
        for question in event.closing_questions.all()
    )
    return copy
