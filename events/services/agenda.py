"""An event's agenda: its blocks (segments), their order, and each café round's prompt."""

from django.db import transaction

from events.errors import EventsError
from events.models import AgendaSegment, Event, SegmentKind
from events.services.checks import _validate, check_editable, check_plain_text
from events.services.positions import _delete_from_plan, _move_in_plan, _next_position


def _check_segment(segment: AgendaSegment) -> None:
    segment.title = check_plain_text(segment.title, field="title", label="The title")
    segment.prompt = (segment.prompt or "").strip()
    if segment.kind == SegmentKind.CAFE_ROUND and not segment.prompt:
        raise EventsError({"prompt": "A café round needs the question its tables discuss."})
    _validate(segment)


@transaction.atomic
def add_segment(
    *, event: Event, kind: SegmentKind, title: str, planned_minutes: int, prompt: str = ""
) -> AgendaSegment:
    """Add a block at the end of the agenda; later start times follow from the durations."""
    check_editable(event)
    segment = AgendaSegment(
        event=event,
        position=_next_position(event.segments.all()),
        kind=kind,
        title=title,
        planned_minutes=planned_minutes,
        prompt=prompt,
    )
    _check_segment(segment)
    segment.save()
    return segment


@transaction.atomic
def update_segment(
    *, segment: AgendaSegment, kind: SegmentKind, title: str, planned_minutes: int, prompt: str = ""
) -> AgendaSegment:
    check_editable(segment.event)
    segment.kind, segment.title = kind, title
    segment.planned_minutes, segment.prompt = planned_minutes, prompt
    _check_segment(segment)
    segment.save()
    return segment


@transaction.atomic
def set_round_prompt(*, segment: AgendaSegment, prompt: str) -> AgendaSegment:
    """Change only the question a café round's tables discuss."""
    return update_segment(
        segment=segment,
        kind=segment.kind,
        title=segment.title,
        planned_minutes=segment.planned_minutes,
        prompt=prompt,
    )


@transaction.atomic
def move_segment(*, segment: AgendaSegment, offset: int) -> None:
    """Move a block one place earlier (-1) or later (+1)."""
    _move_in_plan(segment, offset)


@transaction.atomic
def delete_segment(*, segment: AgendaSegment) -> None:
    _delete_from_plan(segment)
